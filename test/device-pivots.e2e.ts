import { Sighting } from '@app/ctim';
import { Alert, DEMO_MACHINE_IDS, DEMO_TENANT_ID, HuntingRow, Machine, RouteKey, SEED_NETWORK } from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';

// Pivots on what analysts click besides hashes: host names (resolved to devices by exact name),
// device ids, users and URLs, on observe, refer and respond, against the sandbox.

interface Obs {
  type: string;
  value: string;
}
interface Link {
  id: string;
  title: string;
  url: string;
}
interface Action {
  id: string;
  title: string;
  'query-params': Record<string, string>;
}

const WIN10 = DEMO_MACHINE_IDS.win10;
const WS01_CORP = 'a1'.repeat(20);
const WS01_LAB = 'b2'.repeat(20);
const WS010 = 'c3'.repeat(20);
const WS01_OLD = 'd4'.repeat(20);
const ISOLATE = 'microsoft-defender-FullIsolation';
const MACHINE_ACTION_ROUTES: RouteKey[] = ['machines.isolate', 'machines.unisolate', 'machines.runAntiVirusScan', 'machines.restrictCodeExecution'];

describe('device, user and URL pivots', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay({ PROFILE_CACHE_TTL_MS: '0' })));
  afterAll(() => relay.close());

  /** Devices sharing the short name ws-01, and the near misses ws-010 and ws-01-old; one alert on each. */
  beforeEach(() => {
    relay.sandbox.reset();
    const template = relay.sandbox.state.machines.find((m) => m.id === WIN10) as Machine;
    const alertTemplate = relay.sandbox.state.alerts.find((a) => a.machineId === WIN10) as Alert;
    const devices: Array<[string, string, number]> = [
      [WS01_CORP, 'ws-01.corp.contosodemo.example', 5],
      [WS01_LAB, 'WS-01.lab.contosodemo.example', 50],
      [WS010, 'ws-010.corp.contosodemo.example', 5],
      [WS01_OLD, 'ws-01-old.corp.contosodemo.example', 5],
    ];
    for (const [id, computerDnsName, minutes] of devices) {
      const lastSeen = new Date(Date.now() - minutes * 60_000).toISOString();
      const ipAddress = `10.99.0.${minutes}`;
      relay.sandbox.state.machines.push({ ...template, id, computerDnsName, lastSeen, lastIpAddress: ipAddress, ipAddresses: [{ ipAddress, macAddress: '0A0B0C0D0E0F', type: 'Ethernet', operationalStatus: 'Up' }] });
      relay.sandbox.state.alerts.push({ ...alertTemplate, id: `da-${id.slice(0, 8)}`, machineId: id, computerDnsName, relatedUser: { userName: 'pivot-user', domainName: 'CONTOSODEMO' } });
    }
    relay.sandbox.stats.reset();
  });

  const post = (path: string, body: Obs[]) => relay.post(path, body);
  const sightingsOf = (body: { data: { sightings?: { docs: Sighting[] } } }): Sighting[] => body.data.sightings?.docs ?? [];
  const deviceOf = (s: Sighting) => s.targets?.[0].observables.find((o) => o.type === 'ms_machine_id')?.value;
  const calls = (route: RouteKey) => relay.sandbox.stats.count(route, DEMO_TENANT_ID);
  const filters = () => relay.sandbox.stats.entries('machines.list').map((e) => e.query.$filter);

  describe('observe', () => {
    it('a short host name finds every device with that short name, never ws-010 or ws-01-old; sightings are the hostname’s, targets the devices', async () => {
      const res = await post('/observe/observables', [{ type: 'hostname', value: 'WS-01' }]);
      expect(res.body.errors).toBeUndefined();
      const sightings = sightingsOf(res.body);
      expect(sightings.map(deviceOf).sort()).toEqual([WS01_CORP, WS01_LAB].sort());
      for (const s of sightings) expect(s.observables).toEqual([{ type: 'hostname', value: 'ws-01' }]);
      expect(sightings[0].targets?.[0].os).toBeDefined();
      expect(filters()).toEqual(["computerDnsName eq 'ws-01' or startswith(computerDnsName,'ws-01.')"]);
      expect(calls('alerts.byMachine')).toBe(2);
      // The profiles came with the resolution: no machines/{id} read for them.
      expect(calls('machines.get')).toBe(0);
    });

    it('a full DNS name finds only that device; near misses resolve to nothing', async () => {
      const full = await post('/observe/observables', [{ type: 'hostname', value: 'ws-01.lab.contosodemo.example' }]);
      expect(sightingsOf(full.body).map(deviceOf)).toEqual([WS01_LAB]);
      relay.sandbox.stats.reset();
      const near = await post('/observe/observables', [
        { type: 'hostname', value: 'ws-0' },
        { type: 'hostname', value: 'ws-01.corp' },
        { type: 'hostname', value: 'ws-01.corp.contosodemo' },
        { type: 'hostname', value: 'nobody-here' },
      ]);
      expect(near.body).toEqual({ data: {} });
      expect(calls('alerts.byMachine')).toBe(0);
    });

    it('OData-hostile host names reach Defender as one quoted literal and find nothing; one no host can have is skipped with a warning', async () => {
      const res = await post('/observe/observables', [
        { type: 'hostname', value: "x'" },
        { type: 'hostname', value: 'x%27' },
        { type: 'hostname', value: 'poste-équipe' },
        { type: 'hostname', value: "ws-01' or 1 eq 1" },
      ]);
      expect(res.body).toEqual({ errors: [{ type: 'warning', code: 'invalid payload', message: 'Skipped observable at index 3: not a host name' }] });
      expect(filters().sort()).toEqual(
        ["computerDnsName eq 'poste-équipe' or startswith(computerDnsName,'poste-équipe.')", "computerDnsName eq 'x%27' or startswith(computerDnsName,'x%27.')", "computerDnsName eq 'x''' or startswith(computerDnsName,'x''.')"].sort(),
      );
    });

    it('more than 10 devices with one name: the 10 last seen, with a warning', async () => {
      const template = relay.sandbox.state.machines.find((m) => m.id === WIN10) as Machine;
      for (let i = 0; i < 12; i += 1) {
        const id = (i + 16).toString(16).padStart(2, '0').repeat(20);
        relay.sandbox.state.machines.push({ ...template, id, computerDnsName: `kiosk.site${i}.example`, lastSeen: new Date(Date.now() - i * 60_000).toISOString() });
      }
      const res = await post('/refer/observables', [{ type: 'hostname', value: 'kiosk' }]);
      expect(res.body.data).toHaveLength(10);
      expect(res.body.data.map((l: Link) => l.title)).not.toContain('Open device kiosk.site10.example');
      expect(res.body.errors).toEqual([{ type: 'warning', code: 'unknown', message: 'More than 10 devices are named kiosk: only the 10 last seen are used' }]);
    });

    it('a machine id gives its device’s alerts; an unknown one (Defender 404) gives nothing', async () => {
      const res = await post('/observe/observables', [{ type: 'ms_machine_id', value: WS01_CORP }]);
      expect(sightingsOf(res.body).map(deviceOf)).toEqual([WS01_CORP]);
      expect(sightingsOf(res.body)[0].observables).toEqual([{ type: 'ms_machine_id', value: WS01_CORP }]);
      const unknown = await post('/observe/observables', [{ type: 'ms_machine_id', value: '0'.repeat(40) }]);
      expect(unknown.body).toEqual({ data: {} });
    });

    it('a user in any spelling gives the account’s alerts; an unknown user gives nothing', async () => {
      for (const value of ['CONTOSODEMO\\pivot-user', 'pivot-user@contosodemo.example', 'Pivot-User']) {
        const res = await post('/observe/observables', [{ type: 'user', value }]);
        expect(sightingsOf(res.body)).toHaveLength(4);
        for (const s of sightingsOf(res.body)) expect(s.observables).toEqual([{ type: 'user', value }]);
      }
      // The account name without its domain, as Defender takes it.
      expect(relay.sandbox.stats.entries('alerts.byUser').map((e) => e.path)).toEqual(['/api/users/pivot-user/alerts', '/api/users/pivot-user/alerts', '/api/users/Pivot-User/alerts']);
      expect((await post('/observe/observables', [{ type: 'user', value: 'CONTOSODEMO\\nobody' }])).body).toEqual({ data: {} });
    });

    it('a URL matches hunting rows whatever their scheme, with exactly its host and path, inside the one network query', async () => {
      const rows = relay.sandbox.state.hunting.DeviceNetworkEvents;
      const template = rows[0];
      const urls = ['https://login-verify.example/o365/signin', 'login-verify.example/o365/signin', 'https://login-verify.example/o365/signin2', 'https://cdn.login-verify.example/o365/signin'];
      urls.forEach((RemoteUrl, i) => rows.push({ ...template, RemoteUrl, Timestamp: new Date(Date.now() - i * 60_000).toISOString() } as HuntingRow));
      const res = await post('/observe/observables', [
        { type: 'url', value: SEED_NETWORK.phishingUrl },
        { type: 'ip', value: SEED_NETWORK.c2Ip },
      ]);
      const forUrl = sightingsOf(res.body).filter((s) => s.observables[0].type === 'url');
      expect(forUrl.map((s) => s.data?.rows[0][s.data.columns.findIndex((c) => c.name === 'RemoteUrl')]).sort()).toEqual(urls.slice(0, 2).sort());
      expect(calls('graph.hunting') + calls('hunting')).toBe(1); // one query for every event table; network facts come from the machine profiles
    });

    it('hostname + user + url + ms_machine_id together: each device’s alerts read once', async () => {
      const res = await post('/observe/observables', [
        { type: 'hostname', value: 'fin-wks-017' },
        { type: 'user', value: 'jdoe@contosodemo.example' },
        { type: 'url', value: 'http://badcdn-delivery.example/' },
        { type: 'ms_machine_id', value: WIN10 },
      ]);
      expect(res.body.errors).toBeUndefined();
      const types = new Set(sightingsOf(res.body).map((s) => s.observables[0].type));
      expect([...types].sort()).toEqual(['hostname', 'ms_machine_id', 'url', 'user']);
      expect(calls('alerts.byMachine')).toBe(1);
      expect(calls('machines.list')).toBe(1);
      expect(calls('alerts.byUser')).toBe(1);
    });
  });

  describe('refer', () => {
    it('links the resolved devices of a host name, a user search and a URL page; nothing for an unresolved host name', async () => {
      const res = await post('/refer/observables', [
        { type: 'hostname', value: 'ws-01' },
        { type: 'hostname', value: 'ws-0' },
        { type: 'user', value: 'CONTOSODEMO\\jdoe' },
        { type: 'url', value: SEED_NETWORK.phishingUrl },
        { type: 'ms_machine_id', value: WIN10 },
      ]);
      expect(res.body.errors).toBeUndefined();
      const urls = (res.body.data as Link[]).map((l) => l.url.replace(/\?tid=.*|&tid=.*/, ''));
      expect(urls).toEqual([
        `https://security.microsoft.com/machines/${WS01_CORP}/overview`,
        `https://security.microsoft.com/machines/${WS01_LAB}/overview`,
        'https://security.microsoft.com/search?query=jdoe',
        `https://security.microsoft.com/url/overview?url=${encodeURIComponent(SEED_NETWORK.phishingUrl)}`,
        `https://security.microsoft.com/machines/${WIN10}/overview`,
      ]);
      expect((res.body.data as Link[])[0].title).toBe('Open device ws-01.corp.contosodemo.example');
    });

    it('without a host name, refer makes no Defender call', async () => {
      await post('/refer/observables', [{ type: 'user', value: 'jdoe' }]);
      expect(relay.sandbox.stats.count() - relay.sandbox.stats.count('token')).toBe(0);
    });
  });

  describe('respond', () => {
    it('a host name gets each device’s machine actions, titled with its name and carrying its machine_id', async () => {
      const res = await post('/respond/observables', [{ type: 'hostname', value: 'ws-01' }]);
      expect(res.body.errors).toBeUndefined();
      const isolations = (res.body.data as Action[]).filter((a) => a.id === ISOLATE);
      expect(isolations.map((a) => a.title)).toEqual(['Isolate ws-01.corp.contosodemo.example (Full)', 'Isolate WS-01.lab.contosodemo.example (Full)']);
      expect(isolations.map((a) => a['query-params'])).toEqual([
        { observable_type: 'hostname', observable_value: 'ws-01', machine_id: WS01_CORP },
        { observable_type: 'hostname', observable_value: 'ws-01', machine_id: WS01_LAB },
      ]);
      expect((await post('/respond/observables', [{ type: 'hostname', value: 'ws-0' }])).body).toEqual({ data: [] });
    });

    it('an internal IP gets indicator actions and the machine actions of the device seen with it', async () => {
      const res = await post('/respond/observables', [{ type: 'ip', value: '10.20.14.37' }]);
      const machine = (res.body.data as Action[]).filter((a) => a['query-params'].machine_id !== undefined);
      expect(new Set(machine.map((a) => a['query-params'].machine_id))).toEqual(new Set([WIN10]));
      expect(machine[0].title).toContain('fin-wks-017.corp.contosodemo.example');
      expect((res.body.data as Action[]).some((a) => a.id === 'microsoft-defender-add-indicator-alert')).toBe(true);
      expect(relay.sandbox.stats.entries('machines.findByIp')[0].path).toMatch(/^\/api\/machines\/findbyip\(ip='10\.20\.14\.37',timestamp=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$/);
    });

    it('a failing device lookup costs only the device actions: the indicator actions come with the error', async () => {
      relay.sandbox.faults.add({ route: 'machines.findByIp', status: 400, body: { error: { code: 'InvalidTimestamp', message: 'The timestamp must be within the last 30 days.', target: 'e2e' } } });
      const res = await post('/respond/observables', [{ type: 'ip', value: '10.20.14.37' }]);
      expect((res.body.data as Action[]).map((a) => a.id)).toEqual(['microsoft-defender-add-indicator-alert', 'microsoft-defender-add-indicator-alert-and-block', 'microsoft-defender-add-indicator-allowed']);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0].message).toContain('The timestamp must be within the last 30 days.');
    });

    it('trigger acts on the offered machine_id only, without resolving the host name again', async () => {
      const res = await relay.post('/respond/trigger', { 'action-id': ISOLATE, observable_type: 'hostname', observable_value: 'ws-01', machine_id: WS01_LAB.toUpperCase() });
      expect(res.body).toEqual({ data: { status: 'success' } });
      expect(relay.sandbox.stats.entries('machines.isolate').map((e) => e.path)).toEqual([`/api/machines/${WS01_LAB}/isolate`]);
      expect(calls('machines.list')).toBe(0);
    });

    it('trigger with an IP acts on the device when it still has that IP', async () => {
      const res = await relay.post('/respond/trigger', { 'action-id': ISOLATE, observable_type: 'ip', observable_value: '10.20.14.37', machine_id: WIN10 });
      expect(res.body).toEqual({ data: { status: 'success' } });
      expect(calls('machines.findByIp')).toBe(0);
    });

    it.each<[string, Record<string, string>, string]>([
      ['a device of another host name', { observable_type: 'hostname', observable_value: 'ws-01', machine_id: WS010 }, `Device ${WS010} does not have the hostname ws-01 it was offered for, so nothing was sent to Microsoft Defender for Endpoint`],
      ['a device without that IP', { observable_type: 'ip', observable_value: '10.20.14.37', machine_id: WS01_CORP }, `Device ${WS01_CORP} does not have the ip 10.20.14.37 it was offered for, so nothing was sent to Microsoft Defender for Endpoint`],
      ['an unknown device', { observable_type: 'hostname', observable_value: 'ws-01', machine_id: 'e5'.repeat(20) }, `Device ${'e5'.repeat(20)} is not known to Microsoft Defender for Endpoint, so nothing was sent to Microsoft Defender for Endpoint`],
    ])('trigger on %s → failure with a clear message, no action sent', async (_name, params, message) => {
      const res = await relay.post('/respond/trigger', { 'action-id': ISOLATE, ...params });
      expect(res.body.data).toEqual({ status: 'failure' });
      expect(res.body.errors).toEqual([expect.objectContaining({ type: 'fatal', message })]);
      for (const route of MACHINE_ACTION_ROUTES) expect(calls(route)).toBe(0);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['no machine_id', {}, "Invalid JSON payload received: 'machine_id' is required to act on a device found by hostname, so nothing was sent to Microsoft Defender for Endpoint"],
      ['a machine_id that is not one', { machine_id: "x' or 1 eq 1" }, "Invalid JSON payload received: 'machine_id' must be the Defender machine id listed by /respond/observables (40 hexadecimal characters)"],
    ])('trigger with %s → invalid payload and no Defender call at all', async (_name, extra, message) => {
      const res = await relay.post('/respond/trigger', { 'action-id': ISOLATE, observable_type: 'hostname', observable_value: 'ws-01', ...extra });
      expect(res.body.errors).toEqual([{ type: 'fatal', code: 'invalid payload', message }]);
      expect(relay.sandbox.stats.count() - relay.sandbox.stats.count('token')).toBe(0);
    });
  });
});
