import { CLOUD_ENDPOINTS } from '@app/common';
import { CTIM_SCHEMA_VERSION, Relation, Sighting, Target } from '@app/ctim';
import { domainToASCII } from 'node:url';
import {
  Alert,
  DEMO_ALERTS,
  DEMO_FILES,
  DEMO_HUNTING,
  DEMO_MACHINES,
  DEMO_TENANT_ID,
  HuntingRow,
  KqlQuery,
  Pipeline,
  SEED_ADAPTERS,
  SEED_FILES,
  SEED_NETWORK,
} from '../apps/defender-sandbox/src';
import { attachRelay, RelayHarness, startRelay } from './support/relay-harness';
import { DEMO_CLAIMS, hsToken } from './support/tokens';
import { isPrevalence, withoutPrevalence } from './support/prevalence';

// Sightings checked field by field against the sandbox seed: every expected value
// below is derived from the seed data the sandbox serves, never copied from the relay's output.

interface Obs {
  type: string;
  value: string;
}

const SOURCE = 'Microsoft Defender for Endpoint';
const PORTAL = CLOUD_ENDPOINTS.commercial.portalUrl;
const SEVERITY: Record<string, string> = { Informational: 'Info', Low: 'Low', Medium: 'Medium', High: 'High', UnSpecified: 'Unknown' };
const UUID4 = /^transient:sighting-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const HASH_COLUMN: Record<string, string> = { sha1: 'SHA1', sha256: 'SHA256', md5: 'MD5' };

/** One observable of every supported type, each with seed evidence behind it. */
const EVERY_TYPE: Obs[] = [
  { type: 'sha1', value: SEED_FILES.svcUpdater.sha1 },
  { type: 'sha256', value: SEED_FILES.emotetDropper.sha256 },
  { type: 'md5', value: SEED_FILES.webShell.md5 },
  { type: 'md5', value: SEED_FILES.sevenZip.md5 },
  { type: 'ip', value: SEED_NETWORK.c2Ip },
  { type: 'ipv6', value: SEED_NETWORK.webShellClientIpv6 },
  { type: 'domain', value: SEED_NETWORK.payloadDomain },
];

// ---- what the seed says each observable should produce -------------------------------------

function hostOf(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`).hostname;
  } catch {
    return undefined;
  }
}

const isDomainOrSubdomain = (host: unknown, domain: string) => typeof host === 'string' && (host === domain || host.endsWith(`.${domain}`));

function seedSha1(o: Obs): string | undefined {
  return DEMO_FILES.find((f) => f.sha1 === o.value || f.sha256 === o.value || f.md5 === o.value)?.sha1;
}

/** The seed alerts related to the observable (files by SHA-1; IPv6 never has related alerts). */
function seedAlerts(o: Obs): Alert[] {
  const related = (match: (e: Alert['evidence'][number]) => boolean) => DEMO_ALERTS.filter((a) => a.evidence.some(match));
  switch (o.type) {
    case 'sha1':
    case 'sha256':
    case 'md5': {
      const sha1 = seedSha1(o);
      return sha1 ? related((e) => e.sha1 === sha1) : [];
    }
    case 'ip':
      return related((e) => e.ipAddress === o.value);
    case 'domain':
      return related((e) => isDomainOrSubdomain(hostOf(e.url), o.value));
    default:
      return [];
  }
}

/** The seed hunting rows of the observable's table and column. */
function seedEvents(o: Obs): HuntingRow[] {
  if (HASH_COLUMN[o.type]) return DEMO_HUNTING.DeviceFileEvents.filter((r) => r[HASH_COLUMN[o.type]] === o.value);
  if (o.type === 'domain') return DEMO_HUNTING.DeviceNetworkEvents.filter((r) => isDomainOrSubdomain(r.RemoteUrl, o.value));
  return DEMO_HUNTING.DeviceNetworkEvents.filter((r) => r.RemoteIP === o.value);
}

const newestFirst = <T>(time: (x: T) => unknown) => (a: T, b: T) => Date.parse(String(time(b))) - Date.parse(String(time(a)));

/** Alerts newest first, then events newest first. */
function expectedOrder(o: Obs): { alerts: Alert[]; events: HuntingRow[] } {
  return { alerts: seedAlerts(o).sort(newestFirst((a) => a.firstEventTime)), events: seedEvents(o).sort(newestFirst((r) => r.Timestamp)) };
}

const sortObservables = (list: readonly Obs[]) => [...list].sort((a, b) => `${a.type} ${a.value}`.localeCompare(`${b.type} ${b.value}`));
const mac = (raw: string) => raw.toLowerCase().match(/../g)?.join(':');

const isLinkLocal = (ip: string) => ip.startsWith('169.254.') || /^fe[89ab][0-9a-f]:/i.test(ip);

/** The device as the seed knows it; addresses of its adapters as its machine profile lists them. */
function expectTarget(target: Target | undefined, machineId: string, hostname: string | null, observed: Sighting['observed_time']): void {
  const machine = DEMO_MACHINES.find((m) => m.id === machineId);
  const adapters = SEED_ADAPTERS[machineId];
  if (!machine || !adapters || !target) throw new Error(`no seed machine, adapters or target for ${machineId}`);
  expect(target).toMatchObject({ type: 'endpoint', observed_time: observed, os: `${machine.osPlatform}${machine.osProcessor} version: ${machine.version}` });
  expect(sortObservables(target.observables)).toEqual(
    sortObservables([
      { type: 'hostname', value: hostname ?? machine.computerDnsName },
      { type: 'ms_machine_id', value: machineId },
      ...adapters.map((a) => ({ type: 'mac_address', value: String(mac(a.mac)) })),
      ...adapters.flatMap((a) => [{ type: 'ip', value: a.ipv4 }, ...a.ipv6.map((value) => ({ type: 'ipv6', value }))]).filter((ip) => !isLinkLocal(ip.value)),
    ]),
  );
  for (const a of adapters) if (a.previousIpv4) expect(target.observables).not.toContainEqual({ type: 'ip', value: a.previousIpv4 });
}

function alertRelationKinds(alert: Alert): string[] {
  const files = alert.evidence.filter((e) => e.entityType === 'File' || e.entityType === 'Process');
  const urls = alert.evidence.filter((e) => e.entityType === 'Url' && e.url);
  const ips = alert.evidence.filter((e) => e.entityType === 'Ip' && e.ipAddress);
  const kinds = new Set<string>();
  if (files.some((f) => f.fileName)) kinds.add('File_Name_Of');
  if (files.some((f) => f.fileName && f.filePath)) kinds.add('File_Path_Of');
  if (files.some((f) => f.parentProcessFileName)) kinds.add('Parent_Of');
  if (files.some((f) => files.some((p) => p !== f && f.parentProcessId !== null && p.processId === f.parentProcessId))) {
    kinds.add('Parent_Of').add('Injected_Into');
  }
  if (files.length > 0 && urls.length + ips.length > 0) kinds.add('Connect_To');
  if (urls.length > 0 && ips.length > 0) kinds.add('Resolved_To');
  return [...kinds].sort();
}

function eventRelationKinds(row: HuntingRow): string[] {
  const has = (column: string) => typeof row[column] === 'string' && row[column] !== '';
  const file = ['SHA1', 'SHA256', 'MD5'].some(has);
  const process = ['InitiatingProcessSHA1', 'InitiatingProcessSHA256', 'InitiatingProcessMD5'].some(has);
  const kinds = new Set<string>();
  if (file && has('FileName')) kinds.add('File_Name_Of');
  if (file && has('FolderPath')) kinds.add('File_Path_Of');
  if (file && has('FileOriginUrl')) kinds.add('Downloaded_From');
  if (has('FileOriginUrl') && has('FileOriginReferrerUrl')) kinds.add('Refers_To');
  if (process && has('InitiatingProcessFileName')) kinds.add('File_Name_Of');
  if (process && has('InitiatingProcessFolderPath')) kinds.add('File_Path_Of');
  if (process && (has('InitiatingProcessParentFileName') || file)) kinds.add('Parent_Of');
  if (process && (has('RemoteUrl') || has('RemoteIP'))) kinds.add('Connect_To');
  if (has('LocalIP') && has('RemoteIP')) kinds.add('Connect_To');
  if (has('RemoteUrl') && has('RemoteIP')) kinds.add('Resolved_To');
  return [...kinds].sort();
}

const kindsOf = (s: Sighting) => [...new Set((s.relations ?? []).map((r) => r.relation))].sort();

function expectCommon(s: Sighting, o: Obs, count: number): void {
  expect(s).toMatchObject({ type: 'sighting', schema_version: CTIM_SCHEMA_VERSION, source: SOURCE, sensor: 'endpoint', confidence: 'High', internal: true, count });
  expect(s.observables).toEqual([o]);
  expect(s.id).toMatch(UUID4);
}

function expectAlertSighting(s: Sighting, alert: Alert, o: Obs, count: number): void {
  expectCommon(s, o, count);
  expect(s).toMatchObject({
    observed_time: { start_time: alert.firstEventTime, end_time: alert.lastEventTime > alert.firstEventTime ? alert.lastEventTime : alert.firstEventTime },
    title: alert.title,
    description: alert.description,
    severity: SEVERITY[alert.severity],
    timestamp: alert.lastUpdateTime,
    source_uri: `${PORTAL}/alerts/${encodeURIComponent(alert.id)}?tid=${DEMO_TENANT_ID}`,
  });
  expectTarget(s.targets?.[0], alert.machineId, alert.computerDnsName, s.observed_time);
  expect(s.targets).toHaveLength(1);
  expect(kindsOf(s)).toEqual(alertRelationKinds(alert));
  expect(new Set(s.relations?.map((r) => r.origin))).toEqual(new Set([alert.detectionSource]));
}

function expectEventSighting(s: Sighting, row: HuntingRow, o: Obs, count: number): void {
  expectCommon(s, o, count);
  expect(s.observed_time).toEqual({ start_time: row.Timestamp, end_time: row.Timestamp });
  const column = s.data?.columns.findIndex((c) => c.name === 'ActionType') ?? -1;
  expect(s.data?.columns[column]).toEqual({ name: 'ActionType', type: 'string' });
  expect(s.data?.rows).toHaveLength(1);
  expect(s.data?.rows[0][column]).toBe(row.ActionType);
  expectTarget(s.targets?.[0], String(row.DeviceId), String(row.DeviceName), s.observed_time);
  expect(kindsOf(s)).toEqual(eventRelationKinds(row));
  expect(new Set(s.relations?.map((r) => r.origin))).toEqual(new Set([SOURCE]));
}

const sightingsOf = (docs: readonly Sighting[], o: Obs) => docs.filter((s) => s.observables[0].type === o.type && s.observables[0].value === o.value);

/** The sighting of a hunting row (alert sightings carry the alert id in `external_ids`; rows have none). */
function rowSighting(docs: readonly Sighting[], o: Obs, row: HuntingRow): Sighting {
  const found = sightingsOf(docs, o).filter((s) => !s.external_ids && s.observed_time.start_time === row.Timestamp);
  expect(found).toHaveLength(1);
  return found[0];
}

/** Every sighting of this observable, in order, against the seed. */
function expectSightingsFor(docs: readonly Sighting[], o: Obs): void {
  const mine = sightingsOf(docs, o);
  const { alerts, events } = expectedOrder(o);
  const count = alerts.length + events.length;
  expect(count).toBeGreaterThan(0);
  expect(mine.map((s) => s.observed_time.start_time)).toEqual([...alerts.map((a) => a.firstEventTime), ...events.map((r) => r.Timestamp)]);
  alerts.forEach((alert, i) => expectAlertSighting(mine[i], alert, o, count));
  events.forEach((row, i) => expectEventSighting(mine[alerts.length + i], row, o, count));
}

/** The table pipelines of a hunting query: itself, or the legs of a union. */
const pipelinesOf = (q: KqlQuery | undefined): Pipeline[] => (q === undefined ? [] : q.kind === 'union' ? q.pipelines : [q]);

// ---- the wire ----------------------------------------------------------------------------

const relationKey = (r: Relation) => JSON.stringify([r.origin, r.relation, r.source.type, r.source.value, r.related.type, r.related.value]);

/** POST /observe/observables; every answer is checked for repeated relations. */
async function observe(relay: RelayHarness, body: unknown, token?: string) {
  const res = await relay.post('/observe/observables', body, token === undefined ? {} : { token });
  expect(res.status).toBe(200);
  const docs: Sighting[] = res.body.data?.sightings?.docs ?? [];
  for (const s of docs) {
    const keys = (s.relations ?? []).map(relationKey);
    expect(keys).toEqual([...new Set(keys)]);
  }
  if (res.body.data?.sightings) expect(res.body.data.sightings.count).toBe(docs.length);
  // One prevalence sighting at most per observable, each of a type Defender keeps statistics of.
  const prevalence = docs.filter(isPrevalence);
  expect(prevalence.map((s) => s.observables[0].type).every((t) => ['sha1', 'sha256', 'md5', 'ip', 'domain'].includes(t))).toBe(true);
  expect(new Set(prevalence.map((s) => s.observables[0].value)).size).toBe(prevalence.length);
  return { body: res.body, docs: withoutPrevalence(docs), prevalence };
}

const hasRelation = (s: Sighting, relation: string, source: Obs, related: Obs) =>
  (s.relations ?? []).some((r) => r.relation === relation && r.source.type === source.type && r.source.value === source.value && r.related.type === related.type && r.related.value === related.value);

describe('POST /observe/observables: sightings from the seed', () => {
  let relay: RelayHarness;
  let docs: Sighting[];
  let prevalence: Sighting[];
  let body: { data?: unknown; errors?: unknown };

  beforeAll(async () => {
    relay = await startRelay();
    ({ docs, body, prevalence } = await observe(relay, EVERY_TYPE));
  });
  afterAll(() => relay.close());

  it('answers every type without any error, one sighting per alert and per event', () => {
    expect(body.errors).toBeUndefined();
    const expected = EVERY_TYPE.reduce((n, o) => n + seedAlerts(o).length + seedEvents(o).length, 0);
    expect(docs).toHaveLength(expected);
    expect(new Set(docs.map((s) => s.id)).size).toBe(docs.length);
    // Besides them, a prevalence sighting for each file, IP and domain with alerts or events.
    const seen = EVERY_TYPE.filter((o) => ['sha1', 'sha256', 'md5', 'ip', 'domain'].includes(o.type) && seedAlerts(o).length + seedEvents(o).length > 0);
    expect(prevalence.map((s) => s.observables[0].value).sort()).toEqual(seen.map((o) => o.value).sort());
  });

  it.each(EVERY_TYPE.map((o) => [`${o.type} ${o.value}`, o] as const))('%s: every field, newest first', (_name, o) => {
    expectSightingsFor(docs, o);
  });

  it('queries IPv6 events although Defender refuses IPv6 related alerts', () => {
    const ipv6 = EVERY_TYPE.find((o) => o.type === 'ipv6') as Obs;
    const refused = relay.sandbox.stats.entries('alerts.byIp').filter((e) => e.path.endsWith(`/${encodeURIComponent(ipv6.value)}/alerts`));
    expect(refused.map((e) => e.status)).toEqual([400]);
    expect(sightingsOf(docs, ipv6).length).toBe(seedEvents(ipv6).length);
  });

  it('completes the sibling hashes evidence and rows lack, from Defender itself', () => {
    const dropper = SEED_FILES.emotetDropper;
    const byDropperHash = sightingsOf(docs, { type: 'sha256', value: dropper.sha256 });
    const alertSightings = byDropperHash.filter((s) => s.external_ids);
    // Alert evidence carries no MD5: the sighting still relates the file name to it.
    expect(alertSightings.length).toBeGreaterThan(0);
    for (const s of alertSightings) expect(hasRelation(s, 'File_Name_Of', { type: 'file_name', value: dropper.fileName }, { type: 'md5', value: dropper.md5 })).toBe(true);

    const svc = SEED_FILES.svcUpdater;
    const rowWithoutSha256 = DEMO_HUNTING.DeviceFileEvents.find((r) => r.SHA1 === svc.sha1 && r.SHA256 === '') as HuntingRow;
    const s = rowSighting(docs, { type: 'sha1', value: svc.sha1 }, rowWithoutSha256);
    expect(hasRelation(s, 'File_Name_Of', { type: 'file_name', value: svc.fileName }, { type: 'sha256', value: svc.sha256 })).toBe(true);
  });

  it('relates downloads to their origin and referrer, and domains to the addresses they resolved to', () => {
    const svc = SEED_FILES.svcUpdater;
    const download = DEMO_HUNTING.DeviceFileEvents.find((r) => r.SHA1 === svc.sha1 && r.FileOriginUrl) as HuntingRow;
    const svcSighting = rowSighting(docs, { type: 'sha1', value: svc.sha1 }, download);
    expect(hasRelation(svcSighting, 'Downloaded_From', { type: 'sha1', value: svc.sha1 }, { type: 'url', value: String(download.FileOriginUrl) })).toBe(true);

    const seven = SEED_FILES.sevenZip;
    const referred = DEMO_HUNTING.DeviceFileEvents.find((r) => r.MD5 === seven.md5 && r.FileOriginReferrerUrl) as HuntingRow;
    const sevenSighting = rowSighting(docs, { type: 'md5', value: seven.md5 }, referred);
    expect(
      hasRelation(sevenSighting, 'Refers_To', { type: 'url', value: String(referred.FileOriginReferrerUrl) }, { type: 'url', value: String(referred.FileOriginUrl) }),
    ).toBe(true);

    const domain = { type: 'domain', value: SEED_NETWORK.payloadDomain };
    for (const row of seedEvents(domain)) {
      const s = rowSighting(docs, domain, row);
      expect(hasRelation(s, 'Resolved_To', { type: 'domain', value: String(row.RemoteUrl) }, { type: 'ip', value: String(row.RemoteIP) })).toBe(true);
    }
  });

  // The devices' MACs and IPs used to come from a DeviceNetworkInfo query run after the alerts;
  // they now come from the machine profiles the answer needs anyway, so the request makes one
  // hunting call (both event tables) and no DeviceNetworkInfo query.
  it('asks one hunting query (both event tables, no DeviceNetworkInfo) and takes MACs and IPs from the machine profiles', async () => {
    const queries = relay.sandbox.stats.entries('graph.hunting').map((e) => e.kql);
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatchObject({ kind: 'union', pipelines: [{ table: 'DeviceFileEvents' }, { table: 'DeviceNetworkEvents' }] });

    // An adapter only the machine profile knows shows up in the target (profiles fetched afresh here).
    const c2 = { type: 'ip', value: SEED_NETWORK.c2Ip };
    const [alert] = seedAlerts(c2);
    const machine = relay.sandbox.state.machines.find((m) => m.id === alert.machineId);
    if (!machine) throw new Error('no seed machine for the C2 alert');
    machine.ipAddresses = [
      ...(machine.ipAddresses ?? []),
      { ipAddress: '10.99.0.7', macAddress: '0A1B2C3D4E5F', type: 'Ethernet', operationalStatus: 'Up' },
      { ipAddress: '2001:db8:99::7', macAddress: '0A1B2C3D4E5F', type: 'Ethernet', operationalStatus: 'Up' },
    ];
    const fresh = await attachRelay(relay.sandbox, { PROFILE_CACHE_TTL_MS: '0' });
    try {
      const again = await observe(fresh, [c2]);
      const target = again.docs.find((s) => s.external_ids?.[0] === alert.id)?.targets?.[0];
      expect(target?.observables).toEqual(
        expect.arrayContaining([
          { type: 'mac_address', value: '0a:1b:2c:3d:4e:5f' },
          { type: 'ip', value: '10.99.0.7' },
          { type: 'ipv6', value: '2001:db8:99::7' },
        ]),
      );
    } finally {
      await fresh.close();
      relay.sandbox.reset();
    }
  });

  it('answers {"data":{}} when Defender knows nothing of valid observables', async () => {
    const res = await observe(relay, [
      { type: 'ip', value: '192.0.2.199' },
      { type: 'domain', value: 'nothing-here.example' },
      { type: 'sha256', value: 'ab'.repeat(32) },
    ]);
    expect(res.body).toEqual({ data: {} });
  });
});

describe('entity limit', () => {
  let relay: RelayHarness;
  let full: Sighting[];

  beforeAll(async () => {
    relay = await startRelay({ CTR_ENTITIES_LIMIT: '2' });
    ({ docs: full } = await observe(relay, EVERY_TYPE, hsToken({ ...DEMO_CLAIMS, CTR_ENTITIES_LIMIT: 1000 })));
  });
  afterAll(() => relay.close());
  beforeEach(() => relay.sandbox.stats.reset());

  /** The newest `limit` of what the unlimited answer had, per observable, alerts before events. */
  function expectLimited(docs: readonly Sighting[], limit: number): void {
    for (const o of EVERY_TYPE) {
      const expected = sightingsOf(full, o).slice(0, limit);
      const got = sightingsOf(docs, o);
      expect(got.map((s) => [s.title, s.observed_time.start_time])).toEqual(expected.map((s) => [s.title, s.observed_time.start_time]));
    }
    // Each table is asked for enough rows for every observable of it: limit × observables, at least 1000.
    const perTable = { DeviceFileEvents: 4, DeviceNetworkEvents: 3 };
    const tops = relay.sandbox.stats
      .entries('graph.hunting')
      .flatMap((e) => pipelinesOf(e.kql))
      .filter((q) => q.table in perTable)
      .map((q) => [q.table, q.operators.find((op) => op.kind === 'top')]);
    expect(tops.length).toBe(2);
    for (const [table, top] of tops) expect(top).toMatchObject({ count: Math.max(1000, limit * perTable[table as keyof typeof perTable]), by: 'Timestamp', order: 'desc' });
  }

  it('keeps at most CTR_ENTITIES_LIMIT sightings per observable from the environment', async () => {
    expect(EVERY_TYPE.some((o) => seedAlerts(o).length + seedEvents(o).length > 2)).toBe(true);
    const { docs } = await observe(relay, EVERY_TYPE);
    expectLimited(docs, 2);
  });

  it('lets the JWT claim override the environment, lower or higher', async () => {
    expectLimited((await observe(relay, EVERY_TYPE, hsToken({ ...DEMO_CLAIMS, CTR_ENTITIES_LIMIT: 1 }))).docs, 1);
    relay.sandbox.stats.reset();
    expectLimited((await observe(relay, EVERY_TYPE, hsToken({ ...DEMO_CLAIMS, CTR_ENTITIES_LIMIT: '3' }))).docs, 3);
  });
});

describe('hostile and unusual values', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay()));
  afterAll(() => relay.close());
  beforeEach(() => relay.sandbox.reset());

  const networkQueries = () =>
    relay.sandbox.stats
      .entries('graph.hunting')
      .flatMap((e) => pipelinesOf(e.kql))
      .filter((q) => q.table === 'DeviceNetworkEvents');

  it('keeps valid but unusual domains one string literal each, in a query of exactly the documented shape', async () => {
    // A 63-character label is the DNS maximum. (Whole names over 100 characters cannot be tried:
    // the sandbox's Fastify router answers 414 for any path parameter longer than 100.)
    const unusual = ['bücher.example', `${'a'.repeat(63)}.${'b'.repeat(20)}.example`, '日本語.example', 'xn--bcher-kva.example', 'x-1.y--z.example'];
    const { body } = await observe(
      relay,
      unusual.map((value) => ({ type: 'domain', value })),
    );
    expect(body).toEqual({ data: {} });

    const queries = networkQueries();
    expect(queries).toHaveLength(1);
    // One `has` term per domain, or-ed, each the exact input as one string literal.
    const terms = unusual.map((value) => ({ kind: 'compare', column: 'RemoteUrl', op: 'has', value: expect.objectContaining({ kind: 'string', value }) }));
    const condition = terms.slice(1).reduce<unknown>((left, right) => ({ kind: 'or', left, right }), terms[0]);
    expect(queries[0]).toEqual({
      kind: 'pipeline',
      table: 'DeviceNetworkEvents',
      operators: [
        { kind: 'where', condition },
        { kind: 'top', count: 1000, by: 'Timestamp', order: 'desc' },
        { kind: 'extend', name: 'RelayTable', value: expect.objectContaining({ value: 'DeviceNetworkEvents' }) },
      ],
    });
    // The REST path takes the ASCII form of an international name, URL-encoded as one segment.
    expect(relay.sandbox.stats.entries('alerts.byDomain').map((e) => e.status)).toEqual(unusual.map(() => 200));
    expect(relay.sandbox.stats.entries('alerts.byDomain').map((e) => e.path)).toContain(`/api/domains/${domainToASCII(unusual[0])}/alerts`);
  });

  it('refuses values carrying quotes, pipes or line breaks before Defender sees them', async () => {
    const hostile = [
      { type: 'domain', value: "evil.example' | take 1 //" },
      { type: 'domain', value: 'evil.example\n| project AccountName' },
      { type: 'ip', value: "198.51.100.23' or 1==1" },
      { type: 'sha1', value: `${SEED_FILES.svcUpdater.sha1}'|` },
      { type: 'md5', value: '"; drop' },
    ];
    const c2 = { type: 'ip', value: SEED_NETWORK.c2Ip };
    const { body, docs } = await observe(relay, [...hostile, c2]);

    expect(body.errors).toEqual(hostile.map((_, i) => ({ type: 'warning', code: 'invalid payload', message: expect.stringMatching(new RegExp(`^Skipped observable at index ${i}: not `)) })));
    expect(sightingsOf(docs, c2).length).toBe(seedAlerts(c2).length + seedEvents(c2).length);
    const sent = JSON.stringify(relay.sandbox.stats.entries().map((e) => [e.path, e.query, e.body]));
    for (const marker of ['take 1', 'project AccountName', '1==1', "'|", 'drop']) expect(sent).not.toContain(marker);
    const [query] = networkQueries();
    expect(query.kind === 'pipeline' && query.operators[0]).toEqual({
      kind: 'where',
      condition: { kind: 'in', column: 'RemoteIP', caseInsensitive: false, values: [expect.objectContaining({ value: c2.value })] },
    });
  });
});

describe('HUNTING_API', () => {
  it('answers the same sightings whichever hunting API it is set to', async () => {
    const defender = await startRelay({ HUNTING_API: 'defender' });
    const auto = await startRelay();
    const graph = await startRelay({ HUNTING_API: 'graph' });
    try {
      const strip = (docs: Sighting[]) => docs.map(({ id: _id, ...rest }) => rest);
      const viaDefender = await observe(defender, EVERY_TYPE);
      expect(viaDefender.body.errors).toBeUndefined();
      for (const o of EVERY_TYPE) expectSightingsFor(viaDefender.docs, o);
      const defenderQueries = defender.sandbox.stats.count('hunting');
      expect(defenderQueries).toBeGreaterThan(0);
      expect(defender.sandbox.stats.count('graph.hunting')).toBe(0);

      for (const relay of [auto, graph]) {
        const viaGraph = await observe(relay, EVERY_TYPE);
        expect(viaGraph.body.errors).toBeUndefined();
        expect(strip(viaGraph.docs)).toEqual(strip(viaDefender.docs));
        expect(relay.sandbox.stats.count('hunting')).toBe(0);
        expect(relay.sandbox.stats.count('graph.hunting')).toBe(defenderQueries);
        const audiences = relay.sandbox.stats.entries('token').map((e) => (e.body as { resource?: string }).resource);
        expect(audiences).toHaveLength(2);
        expect(new Set(audiences).size).toBe(2);
      }
    } finally {
      await Promise.all([defender, auto, graph].map((r) => r.close()));
    }
  });
});
