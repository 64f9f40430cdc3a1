import { Alert, HuntingRow } from '../model/entities';
import {
  DEMO_MACHINE_IDS,
  NOPERM_CLIENT_ID,
  NOPERM_CLIENT_SECRET,
  OTHER_CLIENT_ID,
  OTHER_CLIENT_SECRET,
  OTHER_TENANT_ID,
  SEED_BASE_TIME,
  SEED_FILES,
  SEED_NETWORK,
} from '../seed/seed.constants';
import { call, Collection, ErrorEnvelope, GRAPH_RESOURCE, tokenFor, sandboxFixture } from '../testing/sandbox-client.helper';

interface DefenderHunting {
  Stats: unknown;
  Schema: Array<{ Name: string; Type: string }>;
  Results: HuntingRow[];
}
interface GraphHunting {
  '@odata.context': string;
  schema: Array<{ name: string; type: string }>;
  results: HuntingRow[];
}

describe('advanced hunting (Defender and Graph)', () => {
  const env = sandboxFixture();
  let graphToken: string;
  beforeAll(async () => (graphToken = await tokenFor(env.sandbox, { resource: GRAPH_RESOURCE })));

  const hunt = (query: unknown, t = env.token) => call<DefenderHunting>(env.sandbox, '/api/v1.0/advancedqueries/run', { token: t, method: 'POST', body: { Query: query } });
  const graphHuntAs = (query: string) => call<GraphHunting>(env.sandbox, '/v1.0/security/runHuntingQuery', { token: graphToken, method: 'POST', body: { Query: query } });
  const huntError = (body: unknown) => call<ErrorEnvelope>(env.sandbox, '/api/advancedqueries/run', { token: env.token, method: 'POST', body });

  it('runs the relay file-events union: newest first, RelayKey per observable, .NET schema types', async () => {
    const { sha1, sha256 } = SEED_FILES.emotetDropper;
    const res = await hunt(`union
(DeviceFileEvents | where SHA1 == '${sha1}' | top 100 by Timestamp desc | extend RelayKey = 'o0'),
(DeviceFileEvents | where SHA256 == '${sha256}' | top 100 by Timestamp desc | extend RelayKey = 'o1')`);
    expect(res.status).toBe(200);
    expect(res.body.Schema).toEqual(expect.arrayContaining([
      { Name: 'Timestamp', Type: 'DateTime' },
      { Name: 'FileSize', Type: 'Int64' },
      { Name: 'RequestSourcePort', Type: 'Int32' },
      { Name: 'IsAzureInfoProtectionApplied', Type: 'SByte' },
      { Name: 'RelayKey', Type: 'String' },
    ]));
    const o0 = res.body.Results.filter((r) => r.RelayKey === 'o0');
    expect(o0).toHaveLength(2);
    expect(String(o0[0].Timestamp) > String(o0[1].Timestamp)).toBe(true);
    // Only one of the two events carries SHA256 (real data usually leaves it empty).
    expect(res.body.Results.filter((r) => r.RelayKey === 'o1')).toHaveLength(1);
    expect(o0.map((r) => r.SHA256)).toContain('');
    expect(o0[1].FolderPath).toBe('C:\\Users\\jdoe\\Downloads\\invoice_2026_11.pdf.exe');
    expect(o0[1].RequestSourcePort).toBeNull();
  });

  it('matches RemoteUrl has <domain> on the domain and its subdomains', async () => {
    const res = await hunt(`DeviceNetworkEvents | where RemoteUrl has '${SEED_NETWORK.payloadDomain}' | top 100 by Timestamp desc`);
    expect(res.body.Results.map((r) => r.RemoteUrl).sort()).toEqual([
      SEED_NETWORK.payloadSubdomain,
      SEED_NETWORK.payloadDomain,
      SEED_NETWORK.payloadDomain,
    ].sort());
  });

  it('finds IPv6 network events', async () => {
    const res = await hunt(`DeviceNetworkEvents | where RemoteIP == '${SEED_NETWORK.webShellClientIpv6}' | top 10 by Timestamp desc`);
    expect(res.body.Results).toHaveLength(2);
    expect(res.body.Results[0].DeviceId).toBe(DEMO_MACHINE_IDS.server2022);
  });

  it('returns the latest DeviceNetworkInfo row per device and adapter, IPAddresses as a JSON string', async () => {
    const res = await hunt(`DeviceNetworkInfo
| where DeviceId in ('${DEMO_MACHINE_IDS.win10}', '${DEMO_MACHINE_IDS.win11}')
| summarize arg_max(Timestamp, *) by DeviceId, MacAddress`);
    expect(res.body.Results).toHaveLength(4);
    const ethernet = res.body.Results.find((r) => r.MacAddress === '3C7C3FA1B2C4');
    const ips = JSON.parse(String(ethernet?.IPAddresses)) as Array<{ IPAddress: string }>;
    expect(ips[0].IPAddress).toBe('10.20.14.37');
    expect(res.body.Results.every((r) => /^[0-9A-F]{12}$/.test(String(r.MacAddress)))).toBe(true);
  });

  it('records the parsed query in the stats log: a hostile value stays one string literal', async () => {
    env.sandbox.stats.reset();
    const hostile = "x' or DeviceId != '' | union (DeviceNetworkInfo) //\n";
    const literal = `'${hostile.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
    const res = await hunt(`DeviceNetworkEvents | where RemoteUrl has ${literal} | top 5 by Timestamp desc`);
    expect(res.status).toBe(200);
    expect(res.body.Results).toEqual([]);
    const [entry] = env.sandbox.stats.entries('hunting');
    expect(entry.kql).toEqual({
      kind: 'pipeline',
      table: 'DeviceNetworkEvents',
      operators: [
        { kind: 'where', condition: { kind: 'compare', column: 'RemoteUrl', op: 'has', value: { kind: 'string', value: hostile, raw: literal, verbatim: false } } },
        { kind: 'top', count: 5, by: 'Timestamp', order: 'desc' },
      ],
    });
  });

  it('rejects syntax outside the grammar with 400 BadRequest "Query could not be parsed"', async () => {
    const res = await huntError({ Query: "DeviceNetworkEvents | where RemoteUrl == 'a'' or 1==1" });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BadRequest');
    expect(res.body.error.message).toMatch(/^Query could not be parsed: /);
    expect(res.body.error.target).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects an unknown column like Kusto', async () => {
    const res = await huntError({ Query: "DeviceFileEvents | where Sha1 == 'a'" });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe("'where' operator: Failed to resolve scalar expression named 'Sha1'");
  });

  it.each([
    ['no Query', {}],
    ['a lower-case query key', { query: 'DeviceFileEvents | take 1' }],
    ['broken JSON', '{"Query": "DeviceFileEvents\n| take 1"'],
  ])('answers %s with 400 InvalidRequestBody "Missing query."', async (_name, body) => {
    const res = await huntError(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'InvalidRequestBody', message: 'Missing query.' });
  });

  it('keeps tenants apart', async () => {
    const other = await tokenFor(env.sandbox, { tenant: OTHER_TENANT_ID, clientId: OTHER_CLIENT_ID, clientSecret: OTHER_CLIENT_SECRET });
    const res = await hunt(`DeviceNetworkEvents | where RemoteIP == '${SEED_NETWORK.c2Ip}' | top 100 by Timestamp desc`, other);
    expect(res.body.Results.map((r) => r.DeviceName)).toEqual(['fab-wks-001.fabrikam.lab']);
  });

  describe('Graph runHuntingQuery', () => {
    it('answers schema/results with a Graph token', async () => {
      const res = await call<GraphHunting>(env.sandbox, '/v1.0/security/runHuntingQuery', {
        token: graphToken,
        method: 'POST',
        body: { Query: `DeviceNetworkEvents | where RemoteIP == '${SEED_NETWORK.c2Ip}' | top 2 by Timestamp desc | project Timestamp, DeviceId` },
      });
      expect(res.status).toBe(200);
      expect(res.body.schema).toEqual([
        { name: 'Timestamp', type: 'DateTime' },
        { name: 'DeviceId', type: 'String' },
      ]);
      expect(res.body.results).toHaveLength(2);
      expect(res.body['@odata.context']).toContain('#microsoft.graph.security.huntingQueryResults');
      expect(env.sandbox.stats.entries('graph.hunting').at(-1)?.kql).toMatchObject({ kind: 'pipeline', table: 'DeviceNetworkEvents' });
    });

    it('rejects a Defender token (wrong audience) and an app without ThreatHunting.Read.All, in Graph error shape', async () => {
      const wrongAudience = await call<ErrorEnvelope>(env.sandbox, '/v1.0/security/runHuntingQuery', { token: env.token, method: 'POST', body: { Query: 'DeviceInfo' } });
      expect(wrongAudience.status).toBe(403);
      expect(wrongAudience.body.error.innerError).toEqual(expect.objectContaining({ 'request-id': expect.any(String), date: expect.any(String) }));
      const noperm = await tokenFor(env.sandbox, { clientId: NOPERM_CLIENT_ID, clientSecret: NOPERM_CLIENT_SECRET, resource: GRAPH_RESOURCE });
      const missingRole = await call<ErrorEnvelope>(env.sandbox, '/v1.0/security/runHuntingQuery', { token: noperm, method: 'POST', body: { Query: 'DeviceInfo' } });
      expect(missingRole.status).toBe(403);
      expect(missingRole.body.error.message).toContain('(ThreatHunting.Read.All)');
    });

    const graphHunt = (body: Record<string, unknown>) =>
      call<GraphHunting & ErrorEnvelope>(env.sandbox, '/v1.0/security/runHuntingQuery', { token: graphToken, method: 'POST', body });

    it('limits every table to the Timespan window (duration/end, start/end, start/duration)', async () => {
      const query = `DeviceNetworkEvents | where RemoteIP == '${SEED_NETWORK.c2Ip}' | project Timestamp`;
      const all = env.sandbox.state.hunting.DeviceNetworkEvents.filter((r) => r.RemoteIP === SEED_NETWORK.c2Ip).map((r) => Date.parse(String(r.Timestamp)));
      const base = Date.parse(SEED_BASE_TIME);
      const hours = (h: number) => h * 3_600_000;
      const inside = (start: number, end: number) => all.filter((t) => t >= start && t <= end).length;

      expect((await graphHunt({ Query: query })).body.results).toHaveLength(all.length);
      const lastDay = await graphHunt({ Query: query, Timespan: `P1D/${SEED_BASE_TIME}` });
      expect(lastDay.body.results).toHaveLength(inside(base - hours(24), base));
      expect(lastDay.body.results.length).toBeLessThan(all.length);
      const oldest = Math.min(...all);
      const around = `${new Date(oldest - 1000).toISOString()}/${new Date(oldest + 1000).toISOString()}`;
      expect((await graphHunt({ Query: query, timespan: around })).body.results).toHaveLength(inside(oldest - 1000, oldest + 1000));
      expect((await graphHunt({ Query: query, Timespan: `${new Date(oldest).toISOString()}/PT1S` })).body.results.length).toBeGreaterThanOrEqual(1);
    });

    it.each([
      ['30 days', "Invalid Timespan: '30 days' is not an ISO 8601 date."],
      ['P1M', "Invalid Timespan: 'P1M' is not an ISO 8601 duration in weeks, days, hours, minutes or seconds."],
      [30, 'Timespan must be a string.'],
    ])('answers Timespan %p with 400 BadRequest in Graph error shape', async (timespan, message) => {
      const res = await graphHunt({ Query: 'DeviceNetworkInfo | take 1', Timespan: timespan });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'BadRequest', message, innerError: expect.any(Object) });
    });

    it('reports parse errors in Graph error shape', async () => {
      const res = await call<ErrorEnvelope>(env.sandbox, '/v1.0/security/runHuntingQuery', { token: graphToken, method: 'POST', body: { Query: 'DeviceFileEvents | count' } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('BadRequest');
      expect(res.body.error.message).toMatch(/^Query could not be parsed: /);
      expect(res.body.error.innerError).toBeDefined();
    });
  });

  describe('AlertInfo and AlertEvidence', () => {
    const alertsApi = async (path: string) => (await call<Collection<Alert>>(env.sandbox, path, { token: env.token })).body.value;

    it('AlertInfo has one row per alert of the alerts API, in both hunting APIs', async () => {
      const alerts = await alertsApi('/api/alerts');
      const viaDefender = await hunt('AlertInfo | project AlertId, Title, Severity, Category');
      expect(viaDefender.status).toBe(200);
      expect(viaDefender.body.Results.map((r) => r.AlertId).sort()).toEqual(alerts.map((a) => a.id).sort());
      for (const alert of alerts) {
        expect(viaDefender.body.Results).toContainEqual({ AlertId: alert.id, Title: alert.title, Severity: alert.severity, Category: alert.category });
      }
      const viaGraph = await graphHuntAs('AlertInfo | take 100');
      expect(viaGraph.body.schema.map((c) => c.name)).toEqual(['Timestamp', 'AlertId', 'Title', 'Category', 'Severity', 'ServiceSource', 'DetectionSource', 'AttackTechniques']);
      expect(viaGraph.body.results).toHaveLength(alerts.length);
      expect(viaGraph.body.results.every((r) => r.ServiceSource === 'Microsoft Defender for Endpoint')).toBe(true);
    });

    it("AlertEvidence has a row per alert and entity (the alert's device included) and finds a file's alerts like the REST API", async () => {
      const { sha1 } = SEED_FILES.svcUpdater;
      const fileAlerts = await alertsApi(`/api/files/${sha1}/alerts`);
      expect(fileAlerts.length).toBeGreaterThan(0);
      const res = await hunt(`AlertEvidence | where SHA1 == '${sha1}' | project AlertId, EntityType, FileName, DeviceId`);
      expect([...new Set(res.body.Results.map((r) => r.AlertId))].sort()).toEqual(fileAlerts.map((a) => a.id).sort());
      expect(res.body.Results.every((r) => r.FileName === SEED_FILES.svcUpdater.fileName)).toBe(true);

      const [alert] = fileAlerts;
      const rows = (await hunt(`AlertEvidence | where AlertId == '${alert.id}'`)).body.Results;
      expect(rows).toHaveLength(alert.evidence.length + 1);
      expect(rows.filter((r) => r.EntityType === 'Machine')).toEqual([
        expect.objectContaining({ DeviceId: alert.machineId, DeviceName: alert.computerDnsName, EvidenceRole: 'Impacted', Title: alert.title }),
      ]);
      const ips = alert.evidence.filter((e) => e.entityType === 'Ip').map((e) => e.ipAddress);
      expect(rows.filter((r) => r.EntityType === 'Ip').map((r) => r.RemoteIP)).toEqual(ips);
      expect(rows.every((r) => r.Categories === JSON.stringify([alert.category]))).toBe(true);
    });

    it('follows the alerts as they are now, per tenant', async () => {
      const other = await tokenFor(env.sandbox, { tenant: OTHER_TENANT_ID, clientId: OTHER_CLIENT_ID, clientSecret: OTHER_CLIENT_SECRET });
      const otherAlerts = await call<Collection<Alert>>(env.sandbox, '/api/alerts', { token: other });
      const res = await hunt('AlertInfo | project AlertId', other);
      expect(res.body.Results.map((r) => r.AlertId).sort()).toEqual(otherAlerts.body.value.map((a) => a.id).sort());

      const before = (await hunt('AlertInfo | project AlertId')).body.Results.length;
      env.sandbox.state.alerts.pop();
      expect((await hunt('AlertInfo | project AlertId')).body.Results).toHaveLength(before - 1);
    });
  });
});
