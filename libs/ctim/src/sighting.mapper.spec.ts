import {
  HOSTNAME,
  MACHINE_ID,
  MD5,
  PORTAL_URL,
  SHA1,
  SHA256,
  TENANT_ID,
  aFileEvent,
  aFileProfile,
  aMachine,
  aNetworkEvent,
  aNonFileEvidence,
  aSightingContext,
  anAlert,
  anEvidence,
  filesIndex,
  fixedStamps,
  NOW,
  uuidNo,
} from '../test-support/builders';
import { CTIM_SCHEMA_VERSION, SOURCE } from './ctim.constants';
import { Sighting } from './ctim.types';
import { byNewestAlert, byNewestEvent, SightingMapper } from './sighting.mapper';

/** What every sighting of the relay carries. */
const ENDPOINT_SIGHTING = { type: 'sighting', schema_version: CTIM_SCHEMA_VERSION, source: SOURCE, sensor: 'endpoint', confidence: 'High', internal: true };

/** Mappers stamped at NOW whose ids count from uuidNo(1) in each test. */
let mapper: SightingMapper;
beforeEach(() => (mapper = new SightingMapper(fixedStamps())));

function richContext() {
  return aSightingContext({
    count: 3,
    machines: new Map([[MACHINE_ID, aMachine()]]),
    files: filesIndex(aFileProfile()),
  });
}

/** Fails on any null / undefined value or empty array anywhere in the document. */
function expectNoEmptyFields(value: unknown, path = '$'): void {
  expect([path, value]).not.toEqual([path, null]);
  expect([path, value]).not.toEqual([path, undefined]);
  if (Array.isArray(value)) {
    expect([path, value.length]).not.toEqual([path, 0]);
    value.forEach((item, i) => expectNoEmptyFields(item, `${path}[${i}]`));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) expectNoEmptyFields(item, `${path}.${key}`);
  }
}

describe('sightingFromAlert', () => {
  it('maps every field of an alert', () => {
    const sighting = mapper.fromAlert(anAlert(), richContext());

    expect(sighting).toMatchObject({
      ...ENDPOINT_SIGHTING,
      count: 3,
      observables: [{ type: 'sha1', value: SHA1 }],
      observed_time: { start_time: '2021-01-26T20:31:32.9562661Z', end_time: '2021-01-26T20:31:33.0577322Z' },
      title: 'Low-reputation arbitrary code executed by signed executable',
      description: 'Binaries signed by Microsoft can be used to run low-reputation arbitrary code.',
      severity: 'Low',
      timestamp: '2021-01-26T20:33:59.2Z',
      source_uri: `${PORTAL_URL}/alerts/da637472900382838869_1364969609?tid=${TENANT_ID}`,
      resolution: 'detected',
      external_ids: ['da637472900382838869_1364969609'],
    });
    expect(sighting.id).toBe(`transient:sighting-${uuidNo(1)}`);
    expectNoEmptyFields(sighting);
  });

  it('gives each sighting its own transient id', () => {
    const ctx = richContext();
    expect([mapper.fromAlert(anAlert(), ctx).id, mapper.fromAlert(anAlert(), ctx).id]).toEqual([`transient:sighting-${uuidNo(1)}`, `transient:sighting-${uuidNo(2)}`]);
  });

  // What a target lists for a device is the target mapper's (target.mapper.spec.ts); here, which device and when.
  it('targets the alert device', () => {
    const [target] = mapper.fromAlert(anAlert(), richContext()).targets ?? [];
    expect(target).toMatchObject({
      type: 'endpoint',
      observed_time: { start_time: '2021-01-26T20:31:32.9562661Z', end_time: '2021-01-26T20:31:33.0577322Z' },
      os: 'Windows10x64 version: 1901',
    });
    expect(target.observables.slice(0, 2)).toEqual([
      { type: 'hostname', value: HOSTNAME },
      { type: 'ms_machine_id', value: MACHINE_ID },
    ]);
  });

  it('carries evidence relations with sibling hashes and no duplicates', () => {
    const alert = anAlert({ evidence: [anEvidence(), anEvidence(), aNonFileEvidence('Ip', { ipAddress: '93.184.216.34' })] });
    const relations = mapper.fromAlert(alert, richContext()).relations ?? [];
    const keys = relations.map((r) => JSON.stringify(r));

    expect(new Set(keys).size).toBe(keys.length);
    expect(relations).toContainEqual({
      origin: 'WindowsDefenderAtp',
      relation: 'File_Name_Of',
      source: { type: 'file_name', value: 'rundll32.exe' },
      related: { type: 'md5', value: MD5 },
    });
    expect(relations).toContainEqual({
      origin: 'WindowsDefenderAtp',
      relation: 'Connect_To',
      source: { type: 'sha256', value: SHA256 },
      related: { type: 'ip', value: '93.184.216.34' },
    });
  });

  it.each([
    ['Informational', 'Info'],
    ['UnSpecified', 'Unknown'],
    ['High', 'High'],
  ])('maps severity %p to %p', (severity, expected) => {
    expect(mapper.fromAlert(anAlert({ severity }), richContext()).severity).toBe(expected);
  });

  it.each(['Blocked', 'Prevented'])('marks the sighting blocked when evidence was %s', (status) => {
    const alert = anAlert({ evidence: [anEvidence(), anEvidence({ detectionStatus: status })] });
    expect(mapper.fromAlert(alert, richContext()).resolution).toBe('blocked');
  });

  it('spans firstEventTime to lastEventTime (a real alert: first 2019-06-25, last 2019-08-10), target included', () => {
    const alert = anAlert({ firstEventTime: '2019-06-25T08:31:12.6033333Z', lastEventTime: '2019-08-10T14:18:02.1Z' });
    const sighting = mapper.fromAlert(alert, richContext());
    expect(sighting.observed_time).toEqual({ start_time: '2019-06-25T08:31:12.6033333Z', end_time: '2019-08-10T14:18:02.1Z' });
    expect(sighting.targets?.[0].observed_time).toEqual(sighting.observed_time);
  });

  it('is one instant when lastEventTime is missing, invalid or not later than the start', () => {
    for (const lastEventTime of [null, '', 'null', 'garbage', '2020-01-01T00:00:00Z', '2021-01-26T20:31:32.9562661Z']) {
      expect(mapper.fromAlert(anAlert({ lastEventTime }), richContext()).observed_time).toEqual({
        start_time: '2021-01-26T20:31:32.9562661Z',
        end_time: '2021-01-26T20:31:32.9562661Z',
      });
    }
    expect(mapper.fromAlert(anAlert({ firstEventTime: null, lastEventTime: '2021-01-27T00:00:00Z' }), richContext()).observed_time).toEqual({
      start_time: '2021-01-26T20:33:57.7220239Z',
      end_time: '2021-01-27T00:00:00Z',
    });
  });

  it('falls back to the alert creation, then its last update, then the time of mapping', () => {
    const observed = (overrides: Parameters<typeof anAlert>[0]) => mapper.fromAlert(anAlert(overrides), richContext()).observed_time.start_time;
    expect(observed({ firstEventTime: 'garbage' })).toBe('2021-01-26T20:33:57.7220239Z');
    expect(observed({ firstEventTime: null, alertCreationTime: null })).toBe('2021-01-26T20:33:59.2Z');
    const timeless = mapper.fromAlert(anAlert({ firstEventTime: null, alertCreationTime: '', lastUpdateTime: null }), richContext());
    expect(timeless.observed_time).toEqual({ start_time: NOW, end_time: NOW });
    expect(timeless.targets?.[0].observed_time).toEqual({ start_time: NOW, end_time: NOW });
  });

  it('url-encodes the alert id and tenant in source_uri', () => {
    const sighting = mapper.fromAlert(anAlert({ id: 'a/b c' }), aSightingContext({ tenantId: 't&x' }));
    expect(sighting.source_uri).toBe(`${PORTAL_URL}/alerts/a%2Fb%20c?tid=t%26x`);
  });

  it('omits what the alert lacks instead of emitting null or empty fields', () => {
    const alert = anAlert({
      title: null,
      description: '',
      lastUpdateTime: null,
      machineId: null,
      computerDnsName: null,
      evidence: [],
      category: null,
      detectionSource: null,
      status: null,
      mitreTechniques: [],
      incidentId: null,
      investigationState: null,
      relatedUser: null,
    });
    const sighting: Sighting = mapper.fromAlert(alert, aSightingContext());

    expect(sighting).not.toHaveProperty('title');
    expect(sighting).not.toHaveProperty('description');
    expect(sighting).not.toHaveProperty('timestamp');
    expect(sighting).not.toHaveProperty('targets');
    expect(sighting).not.toHaveProperty('relations');
    expect(sighting).not.toHaveProperty('data');
    expectNoEmptyFields(sighting);
  });

  it('summarises the alert classification in a data table', () => {
    const { data } = mapper.fromAlert(anAlert(), richContext());
    expect(data?.columns.map((c) => c.name)).toEqual([
      'Category',
      'DetectionSource',
      'Status',
      'MitreTechniques',
      'InvestigationState',
      'IncidentId',
      'RelatedUser',
    ]);
    expect(data?.rows).toEqual([['Execution', 'WindowsDefenderAtp', 'New', 'T1064, T1085', 'Queued', 1126093, 'DOMAIN\\temp123']]);
  });

  it('leaves out values Defender spells as strings ("null", "None", "N/A", blank), as real alerts do', () => {
    const alert = anAlert({
      category: 'null',
      detectionSource: 'None',
      status: ' N/A ',
      classification: 'NULL',
      determination: '',
      investigationState: 'n/a',
      mitreTechniques: ['null', 'T1064'],
      relatedUser: { userName: 'temp123', domainName: 'None' },
      title: 'null',
    });
    const sighting = mapper.fromAlert(alert, richContext());
    expect(sighting.data?.columns.map((c) => c.name)).toEqual(['MitreTechniques', 'IncidentId', 'RelatedUser']);
    expect(sighting.data?.rows).toEqual([['T1064', 1126093, 'temp123']]);
    expect(sighting).not.toHaveProperty('title');
  });

  it('shows a triaged alert: resolution with the classification, status, determination and assignee in the data table', () => {
    const triaged = anAlert({ status: 'Resolved', classification: 'FalsePositive', determination: 'Clean', assignedTo: 'lead@contoso.example' });
    const sighting = mapper.fromAlert(triaged, richContext());
    expect(sighting.resolution).toBe('resolved: false positive');
    const row = Object.fromEntries((sighting.data?.columns ?? []).map((c, i) => [c.name, sighting.data?.rows[0][i]]));
    expect(row).toMatchObject({ Status: 'Resolved', Classification: 'FalsePositive', Determination: 'Clean', AssignedTo: 'lead@contoso.example' });
    expect(mapper.fromAlert(anAlert({ status: 'Resolved', classification: null }), richContext()).resolution).toBe('resolved');
    expect(mapper.fromAlert(anAlert({ status: 'InProgress' }), richContext()).resolution).toBe('detected');
  });
});

describe('sightingFromEvent', () => {
  it('maps a DeviceFileEvents row', () => {
    const ctx = aSightingContext({ count: 2, machines: new Map([[MACHINE_ID, aMachine()]]) });
    const sighting = mapper.fromEvent(aFileEvent(), ctx);

    expect(sighting).toMatchObject({
      ...ENDPOINT_SIGHTING,
      count: 2,
      observables: [{ type: 'sha1', value: SHA1 }],
      observed_time: { start_time: '2020-05-28T07:06:58.4340352Z', end_time: '2020-05-28T07:06:58.4340352Z' },
      title: `${SOURCE} file event: FileCreated`,
      source_uri: `${PORTAL_URL}/machines/${MACHINE_ID}/overview?tid=${TENANT_ID}`,
    });
    expect(sighting.id).toBe(`transient:sighting-${uuidNo(1)}`);
    expect(sighting).not.toHaveProperty('severity');
    expect(sighting.targets?.[0].observables.slice(0, 2)).toEqual([
      { type: 'hostname', value: HOSTNAME },
      { type: 'ms_machine_id', value: MACHINE_ID },
    ]);
    expect(sighting.relations?.every((r) => r.origin === SOURCE)).toBe(true);
    expectNoEmptyFields(sighting);
  });

  it('puts ActionType and the populated file columns in the data table', () => {
    const { data } = mapper.fromEvent(aFileEvent(), aSightingContext());
    const columns = data?.columns.map((c) => c.name) ?? [];

    expect(columns[0]).toBe('ActionType');
    expect(columns).toEqual(
      expect.arrayContaining([
        'FileName',
        'FolderPath',
        'SHA1',
        'MD5',
        'FileSize',
        'InitiatingProcessFileName',
        'InitiatingProcessCommandLine',
      ]),
    );
    expect(columns).not.toContain('SHA256');
    expect(columns).not.toContain('FileOriginUrl');
    expect(columns).not.toContain('RemoteIP');
    expect(data?.rows).toHaveLength(1);
    expect(data?.rows[0]).toHaveLength(columns.length);
    expect(data?.rows[0][0]).toBe('FileCreated');
    expect(data?.columns.find((c) => c.name === 'FileSize')?.type).toBe('integer');
  });

  it('maps a DeviceNetworkEvents row with the remote end in the data table', () => {
    const ctx = aSightingContext({ observable: { type: 'ip', value: '93.184.216.34' } });
    const sighting = mapper.fromEvent(aNetworkEvent(), ctx);
    const data = sighting.data;
    const cell = (name: string) => data?.rows[0][data.columns.findIndex((c) => c.name === name)];

    expect(sighting.title).toBe(`${SOURCE} network event: ConnectionSuccess`);
    expect(sighting.observables).toEqual([{ type: 'ip', value: '93.184.216.34' }]);
    expect(cell('ActionType')).toBe('ConnectionSuccess');
    expect(cell('RemoteIP')).toBe('93.184.216.34');
    expect(cell('RemotePort')).toBe(443);
    expect(cell('RemoteUrl')).toBe('example.com');
    expect(cell('InitiatingProcessFileName')).toBe('powershell.exe');
    expect(sighting.relations).toContainEqual({
      origin: SOURCE,
      relation: 'Resolved_To',
      source: { type: 'domain', value: 'example.com' },
      related: { type: 'ip', value: '93.184.216.34' },
    });
  });

  it('keeps an ActionType column even when the row has none', () => {
    const { data, title } = mapper.fromEvent(aFileEvent({ ActionType: '' }), aSightingContext());
    expect(data?.columns[0]).toEqual({ name: 'ActionType', type: 'string' });
    expect(data?.rows[0][0]).toBe('Unknown');
    expect(title).toBe(`${SOURCE} file event`);
  });

  it('is observed at the time of mapping when the row has no valid Timestamp', () => {
    for (const Timestamp of [null, '', 'yesterday']) {
      expect(mapper.fromEvent(aFileEvent({ Timestamp }), aSightingContext()).observed_time).toEqual({ start_time: NOW, end_time: NOW });
    }
  });

  it('marks blocked events', () => {
    expect(mapper.fromEvent(aNetworkEvent({ ActionType: 'ConnectionBlocked' }), aSightingContext()).resolution).toBe('blocked');
    expect(mapper.fromEvent(aNetworkEvent(), aSightingContext())).not.toHaveProperty('resolution');
  });
});

describe('newest-first comparators', () => {
  it('orders alerts by the start time their sightings show, unknown times last', () => {
    const at = (id: string, firstEventTime: string | null, alertCreationTime: string | null = null) => anAlert({ id, firstEventTime, alertCreationTime });
    // Created later but first seen earlier: the sighting's observed_time decides.
    const alerts = [
      at('created-late', '2026-01-01T10:00:00Z', '2026-01-03T00:00:00Z'),
      at('no-time', null, null),
      at('seen-late', '2026-01-02T10:00:00Z', '2026-01-02T11:00:00Z'),
      at('created-only', null, '2026-01-01T12:00:00Z'),
    ];
    expect(alerts.sort(byNewestAlert).map((a) => a.id)).toEqual(['seen-late', 'created-only', 'created-late', 'no-time']);
    for (const alert of alerts.filter((a) => a.firstEventTime)) {
      expect(mapper.fromAlert(alert, aSightingContext()).observed_time.start_time).toBe(alert.firstEventTime);
    }
  });

  it('orders hunting rows by Timestamp', () => {
    const rows = [aFileEvent({ ReportId: 1, Timestamp: '2026-01-01T00:00:00Z' }), aNetworkEvent({ ReportId: 2, Timestamp: '' }), aFileEvent({ ReportId: 3, Timestamp: '2026-01-02T00:00:00Z' })];
    expect(rows.sort(byNewestEvent).map((r) => r.ReportId)).toEqual([3, 1, 2]);
  });
});

describe('fromPrevalence (Defender statistics)', () => {
  // Microsoft's documented examples of files/{sha1}/stats, ips/{ip}/stats and domains/{domain}/stats.
  const FILE_STATS = {
    '@odata.context': 'https://api.security.microsoft.com/api/$metadata#microsoft.windowsDefenderATP.api.InOrgFileStats',
    sha1: '0991a395da64e1c5fbe8732ed11e6be064081d9f',
    organizationPrevalence: 14850,
    orgFirstSeen: '2019-12-07T13:44:16Z',
    orgLastSeen: '2020-01-06T13:39:36Z',
    globallyPrevalence: 705012,
    globalFirstObserved: '2015-03-19T12:20:07.3432441Z',
    globalLastObserved: '2020-01-06T13:39:36Z',
    topFileNames: ['MREC.exe'],
  };
  const IP_STATS = {
    '@odata.context': 'https://api.security.microsoft.com/api/$metadata#microsoft.windowsDefenderATP.api.InOrgIPStats',
    ipAddress: '10.209.67.177',
    organizationPrevalence: 63515,
    orgFirstSeen: '2017-07-30T13:36:06Z',
    orgLastSeen: '2017-08-29T13:32:59Z',
  };
  const DOMAIN_STATS = {
    '@odata.context': 'https://api.security.microsoft.com/api/$metadata#microsoft.windowsDefenderATP.api.InOrgDomainStats',
    host: 'example.com',
    organizationPrevalence: 4070,
    orgFirstSeen: '2017-07-30T13:23:48Z',
    orgLastSeen: '2017-08-29T13:09:05Z',
  };

  it('a file: seen on N devices since its first sighting, last its last, on M worldwide; count and observed_time from the statistics', () => {
    const ctx = aSightingContext({ observable: { type: 'sha256', value: SHA256 }, count: 7 });
    expect(mapper.fromPrevalence(FILE_STATS, ctx)).toEqual({
      ...ENDPOINT_SIGHTING,
      id: `transient:sighting-${uuidNo(1)}`,
      count: 14850,
      observables: [{ type: 'sha256', value: SHA256 }],
      observed_time: { start_time: '2019-12-07T13:44:16Z', end_time: '2020-01-06T13:39:36Z' },
      title: `${SOURCE}: seen on 14850 devices of your organisation`,
      description: 'Seen on 14850 devices of your organisation since 2019-12-07T13:44:16Z, last 2020-01-06T13:39:36Z; on 705012 devices worldwide',
      source_uri: `${PORTAL_URL}/file/0991a395da64e1c5fbe8732ed11e6be064081d9f?tid=${TENANT_ID}`,
      data: {
        columns: [
          { name: 'OrganizationPrevalence', type: 'integer' },
          { name: 'OrgFirstSeen', type: 'string' },
          { name: 'OrgLastSeen', type: 'string' },
          { name: 'GloballyPrevalence', type: 'integer' },
          { name: 'GlobalFirstObserved', type: 'string' },
          { name: 'GlobalLastObserved', type: 'string' },
          { name: 'TopFileNames', type: 'string' },
        ],
        rows: [[14850, '2019-12-07T13:44:16Z', '2020-01-06T13:39:36Z', 705012, '2015-03-19T12:20:07.3432441Z', '2020-01-06T13:39:36Z', 'MREC.exe']],
        row_count: 1,
      },
    });
  });

  it('an IP and a domain: the organisation only (Defender gives no worldwide figure for them), their portal pages', () => {
    const ip = mapper.fromPrevalence(IP_STATS, aSightingContext({ observable: { type: 'ip', value: '10.209.67.177' } }));
    expect(ip).toMatchObject({
      count: 63515,
      observables: [{ type: 'ip', value: '10.209.67.177' }],
      observed_time: { start_time: '2017-07-30T13:36:06Z', end_time: '2017-08-29T13:32:59Z' },
      description: 'Seen on 63515 devices of your organisation since 2017-07-30T13:36:06Z, last 2017-08-29T13:32:59Z',
      source_uri: `${PORTAL_URL}/ip/10.209.67.177/overview?tid=${TENANT_ID}`,
    });
    expect(ip?.data?.columns.map((c) => c.name)).toEqual(['OrganizationPrevalence', 'OrgFirstSeen', 'OrgLastSeen']);
    const domain = mapper.fromPrevalence(DOMAIN_STATS, aSightingContext({ observable: { type: 'domain', value: 'example.com' } }));
    expect(domain).toMatchObject({
      count: 4070,
      observed_time: { start_time: '2017-07-30T13:23:48Z', end_time: '2017-08-29T13:09:05Z' },
      description: 'Seen on 4070 devices of your organisation since 2017-07-30T13:23:48Z, last 2017-08-29T13:09:05Z',
      source_uri: `${PORTAL_URL}/url/overview?url=example.com&tid=${TENANT_ID}`,
    });
  });

  it('no sighting when no device of the organisation has seen it (prevalence 0, null times), or the prevalence is unreadable', () => {
    const ctx = aSightingContext({ observable: { type: 'ip', value: '10.0.0.9' } });
    expect(mapper.fromPrevalence({ ipAddress: '10.0.0.9', organizationPrevalence: 0, orgFirstSeen: null, orgLastSeen: null }, ctx)).toBeUndefined();
    expect(mapper.fromPrevalence({ host: 'example.com', orgFirstSeen: '2017-07-30T13:23:48Z' }, ctx)).toBeUndefined();
    expect(mapper.fromPrevalence({ ...IP_STATS, organizationPrevalence: 'many' }, ctx)).toBeUndefined();
    expect(mapper.fromPrevalence({ ...IP_STATS, organizationPrevalence: -3 }, ctx)).toBeUndefined();
  });

  it('older pages: orgPrevalence as a number in a string, no global fields', () => {
    const old = { ipAddress: '10.209.67.177', orgPrevalence: '3', orgFirstSeen: '2017-07-30T13:36:06Z', orgLastSeen: '2017-08-29T13:32:59Z' };
    const sighting = mapper.fromPrevalence(old, aSightingContext({ observable: { type: 'ip', value: '10.209.67.177' } }));
    expect(sighting).toMatchObject({ count: 3, title: `${SOURCE}: seen on 3 devices of your organisation` });
    expect(sighting?.data?.rows).toEqual([[3, '2017-07-30T13:36:06Z', '2017-08-29T13:32:59Z']]);
  });

  it('one device, one instant; without times it is observed now, and says no dates', () => {
    const one = mapper.fromPrevalence({ ...IP_STATS, organizationPrevalence: 1, orgLastSeen: IP_STATS.orgFirstSeen }, aSightingContext());
    expect(one).toMatchObject({ count: 1, title: `${SOURCE}: seen on 1 device of your organisation`, observed_time: { start_time: '2017-07-30T13:36:06Z', end_time: '2017-07-30T13:36:06Z' } });
    const timeless = mapper.fromPrevalence({ organizationPrevalence: 2, orgFirstSeen: 'null', orgLastSeen: null }, aSightingContext());
    expect(timeless).toMatchObject({ observed_time: { start_time: NOW, end_time: NOW }, description: 'Seen on 2 devices of your organisation' });
  });
});
