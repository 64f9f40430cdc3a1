import { Alert, FileProfile, Machine, MachineAction } from '../model/entities';
import {
  DEMO_MACHINE_IDS,
  ISOLATED_MACHINE_ID,
  NOPERM_CLIENT_ID,
  NOPERM_CLIENT_SECRET,
  OTHER_CLIENT_ID,
  OTHER_CLIENT_SECRET,
  OTHER_TENANT_ID,
  SEED_FILES,
  SEED_NETWORK,
} from '../seed/seed.constants';
import { call, Collection, ErrorEnvelope, GRAPH_RESOURCE, tokenFor, sandboxFixture } from '../testing/sandbox-client.helper';

describe('Defender read API', () => {
  const env = sandboxFixture();

  const get = <T>(path: string) => call<T>(env.sandbox, path, { token: env.token });
  const alertIds = async (path: string): Promise<string[]> => {
    const res = await get<Collection<Alert>>(path);
    expect(res.status).toBe(200);
    return res.body.value.map((a) => a.id).sort();
  };

  describe('auth', () => {
    it.each([
      ['no Authorization header', undefined],
      ['an unknown token', 'sbx.not-issued'],
    ])('answers 401 Unauthorized for %s', async (_name, bearer) => {
      const res = await call<ErrorEnvelope>(env.sandbox, '/api/alerts', { token: bearer });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('Unauthorized');
      expect(res.body.error.target).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('answers 401 for an expired token', async () => {
      const fresh = await tokenFor(env.sandbox);
      env.sandbox.expireTokens();
      const res = await call<ErrorEnvelope>(env.sandbox, '/api/alerts', { token: fresh });
      expect(res.status).toBe(401);
      expect(res.body.error.message).toContain('expired');
      env.token = await tokenFor(env.sandbox);
    });

    it('answers 403 for a Graph token on the Defender API', async () => {
      const graphToken = await tokenFor(env.sandbox, { resource: GRAPH_RESOURCE });
      const res = await call<ErrorEnvelope>(env.sandbox, '/api/alerts', { token: graphToken });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('Forbidden');
    });

    it('names the missing permissions in the 403 message', async () => {
      const noperm = await tokenFor(env.sandbox, { clientId: NOPERM_CLIENT_ID, clientSecret: NOPERM_CLIENT_SECRET });
      const res = await call<ErrorEnvelope>(env.sandbox, '/api/machines/x', { token: noperm });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'The application does not have any of the required application permissions (Machine.Read.All, Machine.ReadWrite.All) to access the resource.',
      );
    });

    it('exposureScore needs Score.Read.All, which the demo app lacks (the other tenant app has it)', async () => {
      const res = await get<ErrorEnvelope>('/api/exposureScore');
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('(Score.Read.All)');
      const other = await tokenFor(env.sandbox, { tenant: OTHER_TENANT_ID, clientId: OTHER_CLIENT_ID, clientSecret: OTHER_CLIENT_SECRET });
      const score = await call<{ score: number; time: string }>(env.sandbox, '/api/exposureScore', { token: other });
      expect(score.status).toBe(200);
      expect(score.body.score).toBeGreaterThan(0);
    });
  });

  describe('alerts', () => {
    it('lists alerts without evidence unless $expand=evidence, honouring $top', async () => {
      const plain = await get<Collection<Alert>>('/api/alerts?$top=3');
      expect(plain.body.value).toHaveLength(3);
      expect(plain.body.value.every((a) => a.evidence.length === 0)).toBe(true);
      expect(plain.body['@odata.context']).toBe(`${env.sandbox.url}/api/$metadata#Alerts`);
      const expanded = await get<Collection<Alert>>('/api/v1.0/alerts?$top=3&$expand=evidence');
      expect(expanded.body.value.every((a) => a.evidence.length > 0)).toBe(true);
    });

    it("pages alerts created since a time with $top and $skip (the tiles' read)", async () => {
      const since = '2026-11-18T12:00:00.000Z';
      const filter = encodeURIComponent(`alertCreationTime ge ${since}`);
      const all = (await get<Collection<Alert>>(`/api/alerts?$filter=${filter}&$top=10000`)).body.value;
      expect(all.length).toBeGreaterThan(4);
      expect(all.every((a) => Date.parse(a.alertCreationTime) >= Date.parse(since))).toBe(true);
      const first = (await get<Collection<Alert>>(`/api/alerts?$filter=${filter}&$top=3`)).body.value;
      const second = (await get<Collection<Alert>>(`/api/alerts?$filter=${filter}&$top=3&$skip=3`)).body.value;
      expect([...first, ...second].map((a) => a.id)).toEqual(all.slice(0, 6).map((a) => a.id));
      expect((await get<Collection<Alert>>(`/api/alerts?$filter=${filter}&$top=3&$skip=10000`)).body.value).toEqual([]);
    });

    it('filters alerts with $filter and rejects a malformed one with 400 ODataError', async () => {
      const high = await get<Collection<Alert>>("/api/alerts?$filter=severity eq 'High' and status ne 'Resolved'");
      expect(high.body.value.length).toBeGreaterThan(0);
      expect(high.body.value.every((a) => a.severity === 'High' && a.status !== 'Resolved')).toBe(true);
      const bad = await get<ErrorEnvelope>("/api/alerts?$filter=severity eq 'High' and");
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('ODataError');
    });

    it('files/{sha1}/alerts finds alerts by evidence sha1; unknown or non-sha1 → 200 empty', async () => {
      expect(await alertIds(`/api/v1.0/files/${SEED_FILES.svcUpdater.sha1}/alerts`)).toEqual([
        'da638681901566778899_1029384756',
        'da638682012233445566_-1928374650',
      ]);
      expect(await alertIds(`/api/files/${'0'.repeat(40)}/alerts`)).toEqual([]);
      expect(await alertIds(`/api/files/${SEED_FILES.svcUpdater.sha256}/alerts`)).toEqual([]);
    });

    it('related alerts include full evidence items with every key', async () => {
      const res = await get<Collection<Alert>>(`/api/files/${SEED_FILES.emotetDropper.sha1}/alerts`);
      // File evidence (A1, A2) and Process evidence (A1, A3) of the dropper.
      expect(res.body.value.map((a) => a.id).sort()).toEqual([
        'da638681844123456789_1364969609',
        'da638681844987654321_-812345671',
        'da638681852345678901_2094857361',
      ]);
      const keys = Object.keys(res.body.value[0].evidence[0]);
      expect(keys).toEqual(expect.arrayContaining(['entityType', 'sha1', 'sha256', 'fileName', 'filePath', 'processId', 'parentProcessId', 'ipAddress', 'url', 'userPrincipalName', 'detectionStatus']));
      expect(keys).toHaveLength(25);
    });

    it('domains/{domain}/alerts matches the domain and its subdomains; unknown → 200 empty', async () => {
      expect(await alertIds(`/api/domains/${SEED_NETWORK.payloadDomain}/alerts`)).toEqual([
        'da638681901122334455_-473829104',
        'da638681901566778899_1029384756',
      ]);
      expect(await alertIds('/api/domains/unknown.example/alerts')).toEqual([]);
    });

    it('ips/{ip}/alerts: known → alerts of the caller tenant only; unknown → empty; IPv6 and garbage → 400', async () => {
      expect(await alertIds(`/api/ips/${SEED_NETWORK.c2Ip}/alerts`)).toEqual([
        'da638681852345678901_2094857361',
        'da638681901122334455_-473829104',
      ]);
      const other = await tokenFor(env.sandbox, { tenant: OTHER_TENANT_ID, clientId: OTHER_CLIENT_ID, clientSecret: OTHER_CLIENT_SECRET });
      const otherAlerts = await call<Collection<Alert>>(env.sandbox, `/api/ips/${SEED_NETWORK.c2Ip}/alerts`, { token: other });
      expect(otherAlerts.body.value.map((a) => a.aadTenantId)).toEqual([OTHER_TENANT_ID]);
      expect(await alertIds('/api/ips/192.0.2.200/alerts')).toEqual([]);
      for (const ip of [SEED_NETWORK.webShellClientIpv6, '::1', '300.1.1.1']) {
        const res = await get<ErrorEnvelope>(`/api/ips/${encodeURIComponent(ip)}/alerts`);
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('InvalidIpAddress');
      }
    });
  });

  describe('files', () => {
    it.each(['sha1', 'sha256', 'md5'] as const)('files/{%s} returns the profile with all three hashes', async (kind) => {
      const res = await get<FileProfile & { '@odata.context': string }>(`/api/v1.0/files/${SEED_FILES.emotetDropper[kind].toUpperCase()}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        sha1: SEED_FILES.emotetDropper.sha1,
        sha256: SEED_FILES.emotetDropper.sha256,
        md5: SEED_FILES.emotetDropper.md5,
        determinationType: 'Malware',
      });
    });

    it('unknown hash → 404; malformed → 400 InvalidHashValue', async () => {
      const missing = await get<ErrorEnvelope>(`/api/files/${'a'.repeat(64)}`);
      expect(missing.status).toBe(404);
      const bad = await get<ErrorEnvelope>('/api/files/not-a-hash');
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('InvalidHashValue');
    });
  });

  describe('machines', () => {
    it('machines/{id} by id or DNS name; unknown → 404 ResourceNotFound', async () => {
      const byId = await get<Machine>(`/api/machines/${DEMO_MACHINE_IDS.linux}`);
      expect(byId.body).toMatchObject({ osPlatform: 'Linux', osProcessor: 'x64', version: '22.04' });
      const byName = await get<Machine>('/api/machines/FIN-WKS-017.corp.contosodemo.example');
      expect(byName.body.id).toBe(DEMO_MACHINE_IDS.win10);
      const missing = await get<ErrorEnvelope>('/api/machines/123123123');
      expect(missing.status).toBe(404);
      expect(missing.body.error).toMatchObject({ code: 'ResourceNotFound', message: 'Machine 123123123 was not found' });
    });

    it("machines/{id} lists every adapter address with the adapter's MAC, type and status, matching DeviceNetworkInfo", async () => {
      const { body } = await get<Machine>(`/api/machines/${DEMO_MACHINE_IDS.win10}`);
      expect(body.ipAddresses).toEqual([
        { ipAddress: '10.20.14.37', macAddress: '3C7C3FA1B2C4', type: 'Ethernet', operationalStatus: 'Up' },
        { ipAddress: 'fe80::8d4c:2b1e:4f6a:91c3', macAddress: '3C7C3FA1B2C4', type: 'Ethernet', operationalStatus: 'Up' },
        { ipAddress: '169.254.12.7', macAddress: 'F4A4754C9D10', type: 'Wireless80211', operationalStatus: 'Down' },
      ]);
      expect(body.lastIpAddress).toBe('10.20.14.37');
      const hunted = env.sandbox.state.hunting.DeviceNetworkInfo.filter((r) => r.DeviceId === DEMO_MACHINE_IDS.win10);
      for (const address of body.ipAddresses) {
        expect(hunted.some((r) => r.MacAddress === address.macAddress && r.NetworkAdapterType === address.type)).toBe(true);
      }
    });

    it('lists machines with $top', async () => {
      const res = await get<Collection<Machine>>('/api/machines?$top=2');
      expect(res.body.value).toHaveLength(2);
    });

    it("lists every machine's succeeded isolations and releases, and actions and indicators created since a time (the tiles' reads)", async () => {
      const isolations = await get<Collection<MachineAction>>(`/api/machineactions?$filter=${encodeURIComponent("status eq 'Succeeded' and type in ('Isolate', 'Unisolate')")}&$top=10000`);
      expect(new Set(isolations.body.value.map((a) => `${a.type}:${a.status}`))).toEqual(new Set(['Isolate:Succeeded', 'Unisolate:Succeeded']));
      expect(new Set(isolations.body.value.map((a) => a.machineId)).size).toBeGreaterThan(2);
      const since = '2026-11-24T12:00:00.000Z';
      const recent = await get<Collection<MachineAction>>(`/api/machineactions?$filter=${encodeURIComponent(`creationDateTimeUtc ge ${since}`)}&$top=10000`);
      expect(recent.body.value.length).toBeGreaterThan(0);
      expect(recent.body.value.every((a) => a.creationDateTimeUtc >= since)).toBe(true);
      const indicators = await get<Collection<{ creationTimeDateTimeUtc: string }>>(`/api/indicators?$filter=${encodeURIComponent(`creationTimeDateTimeUtc ge ${since}`)}&$top=10000`);
      expect(indicators.body.value.length).toBeGreaterThan(0);
      expect(indicators.body.value.every((i) => i.creationTimeDateTimeUtc >= since)).toBe(true);
    });

    it("machineactions with the relay's reverse-action filter returns the newest Succeeded isolation action", async () => {
      const filter = encodeURIComponent("type in ('Unisolate', 'Isolate') and status eq 'Succeeded'");
      const isolated = await get<Collection<MachineAction>>(`/api/v1.0/machines/${ISOLATED_MACHINE_ID}/machineactions?$filter=${filter}&$top=1`);
      expect(isolated.body.value.map((a) => a.type)).toEqual(['Isolate']);
      // win10's latest isolation attempt Failed, so its latest Succeeded one is the release.
      const released = await get<Collection<MachineAction>>(`/api/machineactions?$filter=machineId eq '${DEMO_MACHINE_IDS.win10}' and ${filter}&$top=1`);
      expect(released.body.value.map((a) => a.type)).toEqual(['Unisolate']);
    });

    it('machineactions are newest first', async () => {
      const res = await get<Collection<MachineAction>>('/api/machineactions');
      const times = res.body.value.map((a) => a.creationDateTimeUtc);
      expect(times).toEqual([...times].sort().reverse());
    });

    it("filters machines by computerDnsName with eq and startswith (case-insensitive), quotes doubled", async () => {
      const names = async (filter: string) =>
        (await get<Collection<Machine>>(`/api/machines?$filter=${encodeURIComponent(filter)}`)).body.value.map((m) => m.computerDnsName);
      expect(await names("computerDnsName eq 'FIN-WKS-017.corp.contosodemo.example'")).toEqual(['fin-wks-017.corp.contosodemo.example']);
      expect(await names("computerDnsName eq 'fin-wks-017' or startswith(computerDnsName,'fin-wks-017.')")).toEqual(['fin-wks-017.corp.contosodemo.example']);
      expect(await names("startswith(computerDnsName,'srv-')")).toEqual(['srv-file-01.corp.contosodemo.example', 'srv-web-02.dmz.contosodemo.example', 'srv-sql-04.corp.contosodemo.example']);
      expect(await names("computerDnsName eq 'a'' or 1 eq 1'")).toEqual([]);
    });

    it('findbyip: devices seen with the IP within 15 minutes of the timestamp; older than 30 days → 400', async () => {
      const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const find = (ip: string, timestamp: string) => get<Collection<Machine> & ErrorEnvelope>(`/api/machines/findbyip(ip='${encodeURIComponent(ip)}',timestamp=${timestamp})`);
      const now = await find('10.20.14.37', at(Date.now()));
      expect(now.status).toBe(200);
      expect(now.body.value.map((m) => m.id)).toEqual([DEMO_MACHINE_IDS.win10]);
      expect((await find('10.20.14.38', at(Date.now()))).body.value).toEqual([]);
      const inactive = env.sandbox.state.machines.find((m) => m.id === DEMO_MACHINE_IDS.win10);
      if (!inactive) throw new Error('win10 is seeded');
      inactive.healthStatus = 'Inactive';
      try {
        // No longer reporting: seen with its IP only until its lastSeen.
        expect((await find('10.20.14.37', at(Date.now()))).body.value).toEqual([]);
        expect((await find('10.20.14.37', at(Date.parse(inactive.lastSeen)))).body.value.map((m) => m.id)).toEqual([DEMO_MACHINE_IDS.win10]);
      } finally {
        inactive.healthStatus = 'Active';
      }
      const old = await find('10.20.14.37', at(Date.now() - 31 * 24 * 3600_000));
      expect(old.status).toBe(400);
      expect(old.body.error.message).toContain('within the last 30 days');
      expect((await find('not-an-ip', at(Date.now()))).status).toBe(400);
      expect(env.sandbox.stats.count('machines.findByIp')).toBeGreaterThanOrEqual(5);
    });

    it('machines/{id}/alerts: the device’s alerts; unknown machine → 404', async () => {
      const ids = await alertIds(`/api/machines/${DEMO_MACHINE_IDS.win10}/alerts`);
      expect(ids.length).toBeGreaterThan(0);
      expect(env.sandbox.state.alerts.filter((a) => ids.includes(a.id)).every((a) => a.machineId === DEMO_MACHINE_IDS.win10)).toBe(true);
      const missing = await get<ErrorEnvelope>(`/api/machines/${'0'.repeat(40)}/alerts`);
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('ResourceNotFound');
    });

    it('users/{name}/alerts: by bare account name only; unknown → 200 empty', async () => {
      const ids = await alertIds('/api/users/JDOE/alerts');
      expect(ids.length).toBeGreaterThan(0);
      expect(await alertIds(`/api/users/${encodeURIComponent('jdoe@contosodemo.example')}/alerts`)).toEqual([]);
      expect(await alertIds('/api/users/nobody/alerts')).toEqual([]);
    });

    it('availableMachineActions is 404 unless switched on', async () => {
      const path = `/api/machines/${DEMO_MACHINE_IDS.win10}/availableMachineActions`;
      expect((await get(path)).status).toBe(404);
      env.sandbox.configure({ availableMachineActions: true });
      const res = await get<Collection<{ action: string; isAvailable: boolean }>>(path);
      expect(res.status).toBe(200);
      expect(res.body.value.map((a) => a.action)).toContain('FullIsolation');
    });
  });

  describe("what Defender answers for the relay's lookups that cannot be served", () => {
    const filter = (f: string) => encodeURIComponent(f);
    it.each([
      ['machine actions by an unsupported property', `/api/machineactions?$filter=${filter("computerDnsName eq 'x'")}`, "Could not find a filterable property named 'computerDnsName'."],
      ['machine actions by an unsupported function', `/api/machineactions?$filter=${filter("contains(machineId,'ab')")}`, "Unknown function 'contains'."],
      ['machine actions with $top over 10,000', '/api/machineactions?$top=10001', "The limit of '10000' for Top query has been exceeded."],
      ['indicators by an unsupported property', `/api/indicators?$filter=${filter("value eq 'x'")}`, "Could not find a filterable property named 'value'."],
      ['indicators with an unsupported query option', '/api/indicators?$orderby=id', "The query parameter '$orderby' is not supported."],
    ])('%s → 400 ODataError', async (_name, path, message) => {
      const res = await get<ErrorEnvelope>(path);
      expect([res.status, res.body.error.code, res.body.error.message]).toEqual([400, 'ODataError', `The query specified in the URI is not valid. ${message}`]);
    });

    it.each([
      ['a malformed domain', '/api/domains/bad_domain!.example/alerts', 'InvalidDomainName'],
      ['a malformed hash (related alerts)', '/api/files/xyz/alerts', 'InvalidHashValue'],
      ['a malformed hash (profile)', '/api/files/1234', 'InvalidHashValue'],
    ])('%s → 400 %s', async (_name, path, code) => {
      const res = await get<ErrorEnvelope>(path);
      expect([res.status, res.body.error.code]).toEqual([400, code]);
    });

    it('a machine id that is neither a device id nor a DNS name is simply not found (404)', async () => {
      const res = await get<ErrorEnvelope>(`/api/machines/${encodeURIComponent('not a machine!')}`);
      expect([res.status, res.body.error.code]).toEqual([404, 'ResourceNotFound']);
    });
  });

  describe("unknownLookups: 'notFound' (older Defender's 404 for what it knows nothing of)", () => {
    beforeEach(() => env.sandbox.configure({ unknownLookups: 'notFound' }));

    const expectNotFound = async (path: string, message: string) => {
      const res = await get<ErrorEnvelope>(path);
      expect([path, res.status, res.body.error?.code, res.body.error?.message]).toEqual([path, 404, 'ResourceNotFound', message]);
    };

    it('related alerts of an unknown file, domain or IP → 404 ResourceNotFound', async () => {
      await expectNotFound('/api/files/48c9a08e179286c4f1a5272efdad2beb75de880a/alerts', 'File 48c9a08e179286c4f1a5272efdad2beb75de880a was not found');
      await expectNotFound('/api/domains/unknown.example/alerts', 'Domain unknown.example was not found');
      await expectNotFound('/api/ips/192.0.2.200/alerts', 'Ip 192.0.2.200 was not found');
    });

    it('indicators and machine actions by $filter matching nothing → 404; unfiltered lists stay 200', async () => {
      await expectNotFound("/api/indicators?$filter=indicatorValue eq 'unknown.example'", 'No indicator matches the filter');
      await expectNotFound("/api/machineactions?$filter=machineId eq '0123456789abcdef0123456789abcdef01234567'", 'No machine action matches the filter');
      expect((await get('/api/indicators')).status).toBe(200);
      expect((await get('/api/machineactions')).status).toBe(200);
    });

    it('what is known answers as before: alerts found, a profiled file without alerts is 200 empty; bad values stay 400', async () => {
      expect(await alertIds(`/api/domains/${SEED_NETWORK.payloadDomain}/alerts`)).toHaveLength(2);
      expect(await alertIds(`/api/files/${SEED_FILES.sevenZip.sha1}/alerts`)).toEqual([]);
      expect((await get('/api/ips/300.1.1.1/alerts')).status).toBe(400);
      expect((await get('/api/files/not-a-hash/alerts')).status).toBe(400);
    });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await get<ErrorEnvelope>('/api/v1.0/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NotFound');
  });
});
