import { DEMO_MACHINE_IDS, RouteKey, SandboxConfig, SEED_FILES, SEED_NETWORK } from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';

// Defender knows nothing of these values. Microsoft documents 200 with an empty list for the
// related-alert lookups; older Defender (and independent fakes) answer 404 "… was not found".
// Either way the relay answers "nothing found": no sightings, no verdicts, no error.

type Mode = SandboxConfig['unknownLookups'];
interface Obs {
  type: string;
  value: string;
}

const UNKNOWN_FILES: Obs[] = [
  { type: 'sha1', value: '48c9a08e179286c4f1a5272efdad2beb75de880a' },
  { type: 'sha256', value: '5e'.repeat(32) },
  { type: 'md5', value: '5e'.repeat(16) },
];
const UNKNOWN_NETWORK: Obs[] = [
  { type: 'ip', value: '192.0.2.199' },
  { type: 'domain', value: 'nothing-here.example' },
];
const UNKNOWN_MACHINE = '0123456789abcdef0123456789abcdef01234567';

/** Observables Defender does know, one a profiled file without alerts (sevenZip). */
const KNOWN: Obs[] = [
  { type: 'sha1', value: SEED_FILES.svcUpdater.sha1 },
  { type: 'sha256', value: SEED_FILES.emotetDropper.sha256 },
  { type: 'sha1', value: SEED_FILES.sevenZip.sha1 },
  { type: 'ip', value: SEED_NETWORK.c2Ip },
  { type: 'domain', value: SEED_NETWORK.payloadDomain },
];

/** What the sandbox answered each lookup of the unknown values, in each mode. */
const LOOKUP_STATUS: Record<Mode, Partial<Record<RouteKey, number>>> = {
  empty: { 'alerts.byFile': 200, 'alerts.byIp': 200, 'alerts.byDomain': 200, 'files.get': 404, 'indicators.list': 200, 'machines.get': 404, 'machineactions.list': 200 },
  notFound: { 'alerts.byFile': 404, 'alerts.byIp': 404, 'alerts.byDomain': 404, 'files.get': 404, 'indicators.list': 404, 'machines.get': 404, 'machineactions.list': 404 },
};

const MODES: Mode[] = ['empty', 'notFound'];

describe('lookups of values Defender knows nothing of', () => {
  const relays = {} as Record<Mode, RelayHarness>;
  beforeAll(async () => {
    // Profiles uncached, so every request asks Defender again.
    for (const mode of MODES) relays[mode] = await startRelay({ PROFILE_CACHE_TTL_MS: '0' }, { config: { unknownLookups: mode } });
  });
  afterAll(async () => {
    for (const mode of MODES) await relays[mode]?.close();
  });
  beforeEach(() => {
    for (const mode of MODES) relays[mode].sandbox.reset();
  });

  /** Every call the sandbox logged for `route` answered `status` (and there was at least one). */
  function expectLookups(relay: RelayHarness, mode: Mode, routes: RouteKey[]): void {
    for (const route of routes) {
      const statuses = relay.sandbox.stats.entries(route).map((e) => e.status);
      expect([route, statuses.length > 0]).toEqual([route, true]);
      expect([route, [...new Set(statuses)]]).toEqual([route, [LOOKUP_STATUS[mode][route]]]);
    }
  }

  describe.each(MODES)('answered the "%s" way', (mode) => {
    const relay = () => relays[mode];

    it.each([...UNKNOWN_FILES, ...UNKNOWN_NETWORK].map((o) => [`${o.type} ${o.value}`, o] as const))('observe %s → {"data":{}}', async (_name, o) => {
      const res = await relay().post('/observe/observables', [o]);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: {} });
      // A sha1 is looked up by its related alerts; a sha256/md5 is first resolved by files/{hash}.
      const route: RouteKey = o.type === 'sha1' ? 'alerts.byFile' : o.type === 'ip' ? 'alerts.byIp' : o.type === 'domain' ? 'alerts.byDomain' : 'files.get';
      expectLookups(relay(), mode, [route]);
    });

    it('observe: all of them together → {"data":{}}', async () => {
      const res = await relay().post('/observe/observables', [...UNKNOWN_FILES, ...UNKNOWN_NETWORK]);
      expect(res.body).toEqual({ data: {} });
      expectLookups(relay(), mode, ['alerts.byFile', 'alerts.byIp', 'alerts.byDomain', 'files.get']);
    });

    it('deliberate → {"data":{}}: no indicator, no file profile', async () => {
      const res = await relay().post('/deliberate/observables', [...UNKNOWN_FILES, ...UNKNOWN_NETWORK]);
      expect(res.body).toEqual({ data: {} });
      expectLookups(relay(), mode, ['indicators.list', 'files.get']);
    });

    it('respond: an unknown machine has no actions; unknown values are offered a new indicator', async () => {
      const res = await relay().post('/respond/observables', [{ type: 'ms_machine_id', value: UNKNOWN_MACHINE }, ...UNKNOWN_FILES.slice(0, 2), ...UNKNOWN_NETWORK]);
      expect(res.body.errors).toBeUndefined();
      const actions = res.body.data as Array<{ id: string; 'query-params': { observable_type: string; observable_value: string } }>;
      expect(actions.some((a) => a['query-params'].observable_type === 'ms_machine_id')).toBe(false);
      // No existing indicator: every value gets add actions and none gets "remove".
      const values = new Set(actions.map((a) => a['query-params'].observable_value));
      expect(values).toEqual(new Set([...UNKNOWN_FILES.slice(0, 2), ...UNKNOWN_NETWORK].map((o) => o.value)));
      expect(actions.filter((a) => /remove/i.test(a.id))).toEqual([]);
      expectLookups(relay(), mode, ['machines.get', 'machineactions.list', 'indicators.list']);
    });
  });

  it('known and unknown values together: the same answer whichever way Defender says "unknown"', async () => {
    const ask = async (mode: Mode) => {
      const relay = relays[mode];
      const observe = await relay.post('/observe/observables', [...KNOWN, ...UNKNOWN_FILES, ...UNKNOWN_NETWORK]);
      const deliberate = await relay.post('/deliberate/observables', [...KNOWN, ...UNKNOWN_FILES]);
      const respond = await relay.post('/respond/observables', [{ type: 'ms_machine_id', value: DEMO_MACHINE_IDS.win10 }, { type: 'ms_machine_id', value: UNKNOWN_MACHINE }, ...KNOWN]);
      return { observe: observe.body, deliberate: deliberate.body, respond: respond.body };
    };
    // Generated ids and "now" (a determination's start) differ between answers; nothing else may.
    const started = Date.now();
    const stable = (body: unknown) =>
      JSON.parse(JSON.stringify(body), (_key, value: unknown) => {
        if (typeof value !== 'string') return value;
        if (/^transient:/.test(value)) return value.replace(/-[0-9a-f-]{36}$/, '');
        return /^\d{4}-\d{2}-\d{2}T/.test(value) && Date.parse(value) >= started ? 'now' : value;
      });
    const documented = await ask('empty');
    const notFound = await ask('notFound');
    for (const answer of [documented, notFound]) {
      for (const body of Object.values(answer)) expect(body.errors).toBeUndefined();
    }
    expect(documented.observe.data.sightings.count).toBeGreaterThan(0);
    expect(documented.deliberate.data.verdicts.count).toBeGreaterThan(0);
    expect(documented.respond.data.length).toBeGreaterThan(0);
    expect(stable(notFound)).toEqual(stable(documented));
    // The switch was really exercised: the 404s were answered alongside the 200s of known values.
    const statuses = (route: RouteKey) => new Set(relays.notFound.sandbox.stats.entries(route).map((e) => e.status));
    for (const route of ['alerts.byFile', 'alerts.byIp', 'alerts.byDomain', 'indicators.list'] as RouteKey[]) expect([route, statuses(route)]).toEqual([route, new Set([200, 404])]);
  });
});
