import { HuntingRow } from '../model/entities';
import { Sandbox, startSandbox } from '../sandbox';
import {
  DEMO_MACHINE_IDS,
  NOPERM_CLIENT_ID,
  NOPERM_CLIENT_SECRET,
  OTHER_CLIENT_ID,
  OTHER_CLIENT_SECRET,
  OTHER_TENANT_ID,
  SEED_FILES,
  SEED_NETWORK,
} from '../seed/seed.constants';
import { call, ErrorEnvelope, GRAPH_RESOURCE, tokenFor } from '../testing/sandbox-client.helper';

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
  let sandbox: Sandbox;
  let token: string;
  let graphToken: string;

  beforeAll(async () => {
    sandbox = await startSandbox();
    token = await tokenFor(sandbox);
    graphToken = await tokenFor(sandbox, { resource: GRAPH_RESOURCE });
  });
  afterAll(() => sandbox.close());

  const hunt = (query: unknown, t = token) => call<DefenderHunting>(sandbox, '/api/v1.0/advancedqueries/run', { token: t, method: 'POST', body: { Query: query } });
  const huntError = (body: unknown) => call<ErrorEnvelope>(sandbox, '/api/advancedqueries/run', { token, method: 'POST', body });

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
    sandbox.stats.reset();
    const hostile = "x' or DeviceId != '' | union (DeviceNetworkInfo) //\n";
    const literal = `'${hostile.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
    const res = await hunt(`DeviceNetworkEvents | where RemoteUrl has ${literal} | top 5 by Timestamp desc`);
    expect(res.status).toBe(200);
    expect(res.body.Results).toEqual([]);
    const [entry] = sandbox.stats.entries('hunting');
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
    const other = await tokenFor(sandbox, { tenant: OTHER_TENANT_ID, clientId: OTHER_CLIENT_ID, clientSecret: OTHER_CLIENT_SECRET });
    const res = await hunt(`DeviceNetworkEvents | where RemoteIP == '${SEED_NETWORK.c2Ip}' | top 100 by Timestamp desc`, other);
    expect(res.body.Results.map((r) => r.DeviceName)).toEqual(['fab-wks-001.fabrikam.lab']);
  });

  describe('Graph runHuntingQuery', () => {
    it('answers schema/results with a Graph token', async () => {
      const res = await call<GraphHunting>(sandbox, '/v1.0/security/runHuntingQuery', {
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
      expect(sandbox.stats.entries('graph.hunting').at(-1)?.kql).toMatchObject({ kind: 'pipeline', table: 'DeviceNetworkEvents' });
    });

    it('rejects a Defender token (wrong audience) and an app without ThreatHunting.Read.All, in Graph error shape', async () => {
      const wrongAudience = await call<ErrorEnvelope>(sandbox, '/v1.0/security/runHuntingQuery', { token, method: 'POST', body: { Query: 'DeviceInfo' } });
      expect(wrongAudience.status).toBe(403);
      expect(wrongAudience.body.error.innerError).toEqual(expect.objectContaining({ 'request-id': expect.any(String), date: expect.any(String) }));
      const noperm = await tokenFor(sandbox, { clientId: NOPERM_CLIENT_ID, clientSecret: NOPERM_CLIENT_SECRET, resource: GRAPH_RESOURCE });
      const missingRole = await call<ErrorEnvelope>(sandbox, '/v1.0/security/runHuntingQuery', { token: noperm, method: 'POST', body: { Query: 'DeviceInfo' } });
      expect(missingRole.status).toBe(403);
      expect(missingRole.body.error.message).toContain('(ThreatHunting.Read.All)');
    });

    it('reports parse errors in Graph error shape', async () => {
      const res = await call<ErrorEnvelope>(sandbox, '/v1.0/security/runHuntingQuery', { token: graphToken, method: 'POST', body: { Query: 'DeviceFileEvents | count' } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('BadRequest');
      expect(res.body.error.message).toMatch(/^Query could not be parsed: /);
      expect(res.body.error.innerError).toBeDefined();
    });
  });
});
