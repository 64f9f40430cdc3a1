import { Credentials, ErrorList } from '@app/common';
import { Sighting } from '@app/ctim';
import { DefenderContextFactory, ObservableSearch } from '@app/defender';
import { Logger } from '@nestjs/common';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID, SEED_FILES, SEED_REGISTRY } from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';

// file_name, file_path, process_name, registry_key, mac_address and email: what each finds is
// computed here from the sandbox's own seed (its hunting tables and alerts), independently of the
// relay's search table.

interface Obs {
  type: string;
  value: string;
}
type Row = Record<string, unknown>;

const DROPPER = SEED_FILES.emotetDropper.fileName;
const DROPPER_PATH = `C:\\Users\\jdoe\\Downloads\\${DROPPER}`;
const JDOE = 'jdoe@contosodemo.onmicrosoft.com';
/** fin-wks-017's adapter, as its machine profile spells it. */
const FIN_WKS_MAC = '3C7C3FA1B2C4';

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : '');
const same = (v: unknown, wanted: string) => v !== '' && lower(v) === wanted.toLowerCase();
const digits = (mac: unknown) => String(mac).replace(/[-:.]/g, '').toUpperCase();
const joinPath = (folder: string | null, name: string | null) => (folder && name ? `${folder}\\${name}` : '');

async function observe(relay: RelayHarness, body: Obs[]): Promise<{ docs: Sighting[]; errors?: Array<{ code: string; message: string }> }> {
  const res = await relay.post('/observe/observables', body);
  expect(res.status).toBe(200);
  return { docs: res.body.data?.sightings?.docs ?? [], errors: res.body.errors };
}

describe('observe: the observable types answered through the search table', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay()));
  afterAll(() => relay.close());
  beforeEach(() => relay.sandbox.reset());

  const table = (name: string): Row[] => (relay.sandbox.state.hunting as unknown as Record<string, Row[]>)[name] ?? [];
  const rowsWhere = (name: string, columns: string[], value: string, compare = same) => table(name).filter((r) => columns.some((c) => compare(r[c], value)));
  const alertsWhere = (test: (e: (typeof relay.sandbox.state.alerts)[number]['evidence'][number]) => boolean) =>
    relay.sandbox.state.alerts.filter((a) => a.evidence.some(test)).map((a) => a.id);

  /** Alert ids and event count the seed holds for each observable, by the documented rule of its type. */
  function expected(o: Obs): { alerts: string[]; events: number } {
    switch (o.type) {
      case 'file_name':
        return {
          alerts: alertsWhere((e) => same(e.fileName, o.value)),
          events: [...rowsWhere('DeviceProcessEvents', ['FileName', 'InitiatingProcessFileName'], o.value), ...rowsWhere('DeviceFileEvents', ['FileName', 'InitiatingProcessFileName'], o.value)].length,
        };
      case 'process_name':
        return {
          alerts: alertsWhere((e) => same(e.fileName, o.value)),
          events: [...rowsWhere('DeviceProcessEvents', ['FileName', 'InitiatingProcessFileName'], o.value), ...rowsWhere('DeviceFileEvents', ['InitiatingProcessFileName'], o.value)].length,
        };
      case 'file_path':
        return {
          alerts: alertsWhere((e) => same(joinPath(e.filePath, e.fileName), o.value)),
          events: [
            ...rowsWhere('DeviceProcessEvents', ['FolderPath', 'InitiatingProcessFolderPath'], o.value),
            ...rowsWhere('DeviceFileEvents', ['FolderPath', 'InitiatingProcessFolderPath'], o.value),
          ].length,
        };
      case 'registry_key':
        return {
          alerts: alertsWhere((e) => e.registryKey !== null && same(`${e.registryHive}\\${e.registryKey}`, o.value)),
          events: rowsWhere('DeviceRegistryEvents', ['RegistryKey'], o.value).length,
        };
      case 'email':
        return {
          alerts: alertsWhere((e) => same(e.userPrincipalName, o.value)),
          events: [...rowsWhere('DeviceProcessEvents', ['AccountUpn', 'InitiatingProcessAccountUpn'], o.value), ...rowsWhere('DeviceLogonEvents', ['AccountName'], o.value.split('@')[0])].length,
        };
      case 'mac_address': {
        const devices = new Set(table('DeviceNetworkInfo').filter((r) => digits(r.MacAddress) === digits(o.value)).map((r) => String(r.DeviceId)));
        return { alerts: relay.sandbox.state.alerts.filter((a) => devices.has(a.machineId)).map((a) => a.id), events: 0 };
      }
      default:
        throw new Error(`no rule for ${o.type}`);
    }
  }

  function expectFound(docs: Sighting[], o: Obs): void {
    const own = docs.filter((s) => s.observables[0].type === o.type && s.observables[0].value === o.value);
    const want = expected(o);
    const alertIds = own.filter((s) => s.source_uri?.includes('/alerts/')).map((s) => s.external_ids?.[0]);
    expect({ type: o.type, alerts: [...alertIds].sort() }).toEqual({ type: o.type, alerts: [...want.alerts].sort() });
    expect(own.length - alertIds.length).toBe(want.events);
    for (const s of own) expect(s.count).toBe(want.alerts.length + want.events);
  }

  const KNOWN: Obs[] = [
    { type: 'file_name', value: DROPPER },
    { type: 'file_path', value: DROPPER_PATH },
    { type: 'process_name', value: 'OUTLOOK.EXE' },
    { type: 'registry_key', value: SEED_REGISTRY.runKey },
    { type: 'mac_address', value: FIN_WKS_MAC },
    { type: 'email', value: JDOE },
  ];

  it('finds each known value: the expected alerts and events, all types in one hunting call', async () => {
    for (const o of KNOWN) expect(expected(o).alerts.length + expected(o).events).toBeGreaterThan(0);
    const { docs, errors } = await observe(relay, KNOWN);
    expect(errors).toBeUndefined();
    for (const o of KNOWN) expectFound(docs, o);
    const { stats } = relay.sandbox;
    expect(stats.count('graph.hunting')).toBe(1);
    const query = JSON.stringify(stats.entries('graph.hunting')[0].kql);
    for (const table of ['DeviceProcessEvents', 'DeviceFileEvents', 'DeviceRegistryEvents', 'DeviceLogonEvents', 'DeviceNetworkInfo', 'AlertEvidence']) expect(query).toContain(`"table":"${table}"`);
  });

  it('mac_address: the device it resolves to is the sightings\' target, in any common spelling', async () => {
    const spellings = ['3c:7c:3f:a1:b2:c4', '3C-7C-3F-A1-B2-C4', '3c7c.3fa1.b2c4'];
    const { docs, errors } = await observe(relay, spellings.map((value) => ({ type: 'mac_address', value })));
    expect(errors).toBeUndefined();
    const byValue = (v: string) => docs.filter((s) => s.observables[0].value === v.toUpperCase());
    const reference = byValue(spellings[0]);
    expect(reference.length).toBe(expected({ type: 'mac_address', value: FIN_WKS_MAC }).alerts.length);
    for (const s of reference) expect(s.targets?.[0].observables).toContainEqual({ type: 'ms_machine_id', value: '985ecec0d21c0c98890573e3a094474a2b6dbf6a' });
    for (const v of spellings.slice(1)) expect(byValue(v).map((s) => s.external_ids)).toEqual(reference.map((s) => s.external_ids));
  });

  it('near misses find nothing: another case still matches, a prefix, a suffix, another separator or a neighbouring key do not', async () => {
    const caseOnly: Obs[] = [
      { type: 'file_name', value: DROPPER.toUpperCase() },
      { type: 'file_path', value: DROPPER_PATH.toLowerCase() },
      { type: 'registry_key', value: SEED_REGISTRY.runKey.toLowerCase().replace(/^hkey_current_user/, 'HKEY_CURRENT_USER') },
      { type: 'email', value: JDOE.toUpperCase() },
    ];
    const misses: Obs[] = [
      { type: 'file_name', value: DROPPER.slice(0, -4) },
      { type: 'file_name', value: `x${DROPPER}` },
      { type: 'file_path', value: 'C:\\Users\\jdoe\\Downloads' },
      { type: 'file_path', value: DROPPER_PATH.replace(/\\/g, '/').replace(/^C:/, '/c') },
      { type: 'process_name', value: 'OUTLOOK' },
      { type: 'registry_key', value: 'HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion' },
      { type: 'mac_address', value: '3C7C3FA1B2C5' },
    ];
    // The logon table has no UPN column: an address of another domain with the same account name
    // finds that account's logons, and nothing else (no process events, no alerts).
    const sameAccount = { type: 'email', value: 'jdoe@contosodemo.onmicrosoft.co' };
    const { docs, errors } = await observe(relay, [...caseOnly, ...misses, sameAccount]);
    expect(errors).toBeUndefined();
    for (const o of caseOnly) {
      // Emails are read lower-case; the others keep their case.
      const found = docs.filter((s) => s.observables[0].value === (o.type === 'email' ? o.value.toLowerCase() : o.value));
      expect({ o, n: found.length }).toEqual({ o, n: expected(o).alerts.length + expected(o).events });
      expect(found.length).toBeGreaterThan(0);
    }
    for (const o of misses) expect({ o, found: docs.filter((s) => s.observables[0].type === o.type && s.observables[0].value === o.value).length }).toEqual({ o, found: 0 });
    const logons = docs.filter((s) => s.observables[0].value === sameAccount.value);
    expect(logons.length).toBe(table('DeviceLogonEvents').filter((r) => same(r.AccountName, 'jdoe')).length);
    expect(logons.length).toBeGreaterThan(0);
    expect(logons.some((s) => s.source_uri?.includes('/alerts/'))).toBe(false);
  });

  it('registry keys: a short hive name is read as the full one; a key that names no hive is refused with a warning', async () => {
    const short = { type: 'registry_key', value: 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run' };
    const res = await relay.post('/observe/observables', [short, { type: 'registry_key', value: 'Software\\Run' }]);
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual([expect.objectContaining({ type: 'warning', message: expect.stringContaining('registry key') })]);
    const docs: Sighting[] = res.body.data.sightings.docs;
    expect(docs.every((s) => s.observables[0].value === SEED_REGISTRY.runKey)).toBe(true);
    expect(docs.length).toBe(expected({ type: 'registry_key', value: SEED_REGISTRY.runKey }).alerts.length + expected({ type: 'registry_key', value: SEED_REGISTRY.runKey }).events);
  });

  it('hostile values reach Defender only as quoted literals, in the one query', async () => {
    const hostile: Obs[] = [
      { type: 'file_name', value: "x' or 1==1 | take 100000 --" },
      { type: 'file_path', value: "C:\\x' | union DeviceLogonEvents" },
      { type: 'process_name', value: 'a"b\u00e9\u2028.exe' },
      { type: 'registry_key', value: "HKEY_LOCAL_MACHINE\\a' or RegistryKey has 'b" },
      { type: 'email', value: "o'hara@example.com" },
    ];
    const { docs, errors } = await observe(relay, hostile);
    expect(errors).toBeUndefined();
    expect(docs).toEqual([]);
    const [entry] = relay.sandbox.stats.entries('graph.hunting');
    expect(entry.status).toBe(200);
    const literals = JSON.stringify(entry.kql);
    for (const o of hostile) expect(literals).toContain(JSON.stringify(o.value).slice(1, -1));
    expect(relay.sandbox.stats.count('graph.hunting')).toBe(1);
  });

  it('the alerts of an observable (for respond) are the ones observe finds, for every type that has alerts', async () => {
    const search = relay.app.get(ObservableSearch);
    const contexts = relay.app.get(DefenderContextFactory);
    const credentials = { tenantId: DEMO_TENANT_ID, clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET } as Credentials;
    const body: Obs[] = [...KNOWN, { type: 'sha256', value: SEED_FILES.emotetDropper.sha256 }, { type: 'hostname', value: 'fin-wks-017' }, { type: 'user', value: JDOE }];
    const errors = new ErrorList(new Logger('test'));
    const lists = await contexts.run(credentials, (ctx) => search.alertsOf(ctx, body as never, errors));
    expect(errors.all).toEqual([]);
    const { docs } = await observe(relay, body);
    body.forEach((o, i) => {
      const fromObserve = docs.filter((s) => s.observables[0].type === o.type && s.source_uri?.includes('/alerts/')).map((s) => s.external_ids?.[0]);
      expect({ o, ids: lists[i].map((a) => a.id).sort() }).toEqual({ o, ids: [...new Set(fromObserve)].sort() });
      if (o.type !== 'process_name') expect(lists[i].length).toBeGreaterThan(0);
    });
  });
});

describe('refer: MAC addresses link the devices they resolve to', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay()));
  afterAll(() => relay.close());

  it('links fin-wks-017 for its MAC, nothing for an unknown one, and no page for names, paths and keys', async () => {
    const res = await relay.post('/refer/observables', [
      { type: 'mac_address', value: '3c:7c:3f:a1:b2:c4' },
      { type: 'mac_address', value: '02:00:00:00:00:01' },
      { type: 'file_name', value: DROPPER },
      { type: 'registry_key', value: SEED_REGISTRY.runKey },
      { type: 'email', value: JDOE },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.map((l: { url: string }) => l.url.replace(/\?.*$/, ''))).toEqual([
      'https://security.microsoft.com/machines/985ecec0d21c0c98890573e3a094474a2b6dbf6a/overview',
      'https://security.microsoft.com/search',
    ]);
  });
});

describe('respond: device actions for a MAC address act only on the device that carries it', () => {
  interface Action {
    id: string;
    title: string;
    'query-params': Record<string, string>;
  }
  const WIN10 = '985ecec0d21c0c98890573e3a094474a2b6dbf6a';
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay()));
  afterAll(() => relay.close());
  beforeEach(() => relay.sandbox.reset());

  const list = async (value: string): Promise<Action[]> => {
    const res = await relay.post('/respond/observables', [{ type: 'mac_address', value }]);
    expect(res.body.errors).toBeUndefined();
    return res.body.data ?? [];
  };

  it('offers the machine actions of fin-wks-017, bound to its id; the trigger acts on it alone', async () => {
    const actions = await list('3c:7c:3f:a1:b2:c4');
    expect(actions.length).toBeGreaterThan(0);
    expect(new Set(actions.map((a) => a['query-params'].machine_id))).toEqual(new Set([WIN10]));
    const scan = actions.find((a) => a.id === 'microsoft-defender-RunAntiVirusScanQuick');
    if (!scan) throw new Error('no quick scan offered');
    relay.sandbox.stats.reset();
    const res = await relay.post('/respond/trigger', { 'action-id': scan.id, ...scan['query-params'] });
    expect(res.body).toEqual({ data: { status: 'success' } });
    expect(relay.sandbox.stats.entries().filter((e) => e.method === 'POST' && e.route !== 'token' && e.route !== 'graph.hunting').map((e) => e.path)).toEqual([
      expect.stringContaining(`machines/${WIN10}/runAntiVirusScan`),
    ]);
  });

  it('a trigger naming another device than the one carrying the MAC is refused, nothing sent; an unknown MAC offers nothing', async () => {
    expect(await list('02:00:00:00:00:01')).toEqual([]);
    const other = relay.sandbox.state.machines.find((m) => m.id !== WIN10);
    if (!other) throw new Error('no other seed machine');
    relay.sandbox.stats.reset();
    const res = await relay.post('/respond/trigger', {
      'action-id': 'microsoft-defender-RunAntiVirusScanQuick',
      observable_type: 'mac_address',
      observable_value: '3C-7C-3F-A1-B2-C4',
      machine_id: other.id,
    });
    expect(res.body.errors).toEqual([expect.objectContaining({ code: 'invalid request', message: expect.stringContaining('does not have the mac_address') })]);
    expect(relay.sandbox.stats.entries().filter((e) => e.method === 'POST' && e.route !== 'token')).toEqual([]);
  });
});
