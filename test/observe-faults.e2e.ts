import { Sighting, Target } from '@app/ctim';
import { DEMO_MACHINE_IDS, DEMO_OBSERVABLES, SEED_NETWORK } from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';
import { withoutPrevalence } from './support/prevalence';

// Defender failing in the middle of an /observe request: what was gathered is
// answered with a precise error, nothing crashes, and the next request gets everything again.

interface Obs {
  type: string;
  value: string;
}

const FOUR: Obs[] = DEMO_OBSERVABLES.map((o) => ({ ...o }));
const DOMAIN = FOUR.find((o) => o.type === 'domain') as Obs;

/** What identifies a sighting across requests: its observable, alert id (or none) and time. */
const summary = (docs: readonly Sighting[]) => docs.map((s) => [s.observables[0].value, s.external_ids?.[0] ?? 'event', s.observed_time.start_time].join(' '));
const isAlert = (s: Sighting) => s.external_ids !== undefined;

async function observe(relay: RelayHarness, body: Obs[] = FOUR) {
  const res = await relay.post('/observe/observables', body);
  expect(res.status).toBe(200);
  const docs: Sighting[] = res.body.data?.sightings?.docs ?? [];
  for (const s of docs) {
    const keys = (s.relations ?? []).map((r) => JSON.stringify([r.origin, r.relation, r.source, r.related]));
    expect(keys).toEqual([...new Set(keys)]);
  }
  return { errors: res.body.errors as Array<{ type: string; code: string; message: string }> | undefined, docs: withoutPrevalence(docs) };
}

/** Starts a relay, records its complete answer, and after each test checks it comes back whole. */
function withRelay(env: Record<string, string>): { relay: () => RelayHarness; baseline: () => Sighting[] } {
  let relay: RelayHarness;
  let baseline: Sighting[];
  beforeAll(async () => {
    relay = await startRelay({ PROFILE_CACHE_TTL_MS: '0', ...env });
    const first = await observe(relay);
    expect(first.errors).toBeUndefined();
    baseline = first.docs;
    expect(baseline.filter(isAlert).length).toBeGreaterThan(0);
    expect(baseline.filter((s) => !isAlert(s)).length).toBeGreaterThan(0);
  });
  afterAll(() => relay.close());
  afterEach(async () => {
    relay.sandbox.reset();
    const next = await observe(relay);
    expect(next.errors).toBeUndefined();
    expect(summary(next.docs)).toEqual(summary(baseline));
  });
  return { relay: () => relay, baseline: () => baseline };
}

describe('/observe with Defender failing mid-request', () => {
  const { relay, baseline } = withRelay({});

  it('hunting throttled (429, Retry-After: 120): alert sightings still come back, with the Advanced Hunting error', async () => {
    const quota = 'API calls quota exceeded! maximum allowed 45 per 00:01:00';
    relay().sandbox.faults.add({ route: 'graph.hunting', status: 429, retryAfter: 120, body: { error: { code: 'TooManyRequests', message: quota } } });
    const started = Date.now();
    const { errors, docs } = await observe(relay());
    expect(Date.now() - started).toBeLessThan(5000);
    expect(errors).toEqual([
      expect.objectContaining({ code: 'too many requests', message: `Advanced Hunting API rate limit has been exceeded: ${quota} (retry after 120 s)` }),
    ]);
    expect(summary(docs)).toEqual(summary(baseline().filter(isAlert)));
    for (const s of docs) expect(s.targets?.[0]).toMatchObject({ os: expect.any(String) });
  });

  it('one related-alerts call failing (500): the other observables are answered, with an internal error', async () => {
    relay().sandbox.faults.add({ route: 'alerts.byDomain', status: 500, times: 1 });
    const { errors, docs } = await observe(relay());
    expect(errors).toEqual([expect.objectContaining({ code: 'internal error', message: expect.stringContaining('Microsoft Defender for Endpoint had an internal error') })]);
    const lost = (s: Sighting) => s.observables[0].value === DOMAIN.value && isAlert(s);
    expect(baseline().some(lost)).toBe(true);
    expect(summary(docs)).toEqual(summary(baseline().filter((s) => !lost(s))));
  });

  it('one machine unknown to Defender (404): its sightings are still built, without os or addresses, and no error', async () => {
    const machines = relay().sandbox.state.machines;
    machines.splice(
      machines.findIndex((m) => m.id === DEMO_MACHINE_IDS.win11),
      1,
    );
    const { errors, docs } = await observe(relay());
    expect(errors).toBeUndefined();
    expect(summary(docs)).toEqual(summary(baseline()));
    const onDevice = (s: Sighting) => s.targets?.[0].observables.some((o) => o.type === 'ms_machine_id' && o.value === DEMO_MACHINE_IDS.win11);
    expect(docs.filter(onDevice).length).toBeGreaterThan(0);
    for (const s of docs) {
      const target = s.targets?.[0];
      if (onDevice(s)) {
        expect(target?.os).toBeUndefined();
        // MACs and IPs come from the machine profile (no longer from a DeviceNetworkInfo query): none without it.
        expect(target?.observables.map((o) => o.type)).toEqual(['hostname', 'ms_machine_id']);
      } else {
        expect(target?.os).toEqual(expect.any(String));
      }
    }
  });

  it("machine profiles without `id` (the original relay's own fixture): every sighting, with the os, no error", async () => {
    // That fixture lists no adapters, so the targets carry no MACs or IPs (which come from the profile).
    const withoutAddresses = (target: Target | undefined) => ({ ...target, observables: target?.observables.filter((o) => o.type === 'hostname' || o.type === 'ms_machine_id') });
    const profile = { '@odata.context': 'https://api.securitycenter.windows.com/api/v1.0/$metadata#Machines/$entity', osPlatform: 'Windows10', osProcessor: 'x64', version: '1709' };
    relay().sandbox.faults.add({ route: 'machines.get', status: 200, body: profile });
    const { errors, docs } = await observe(relay());
    expect(errors).toBeUndefined();
    expect(summary(docs)).toEqual(summary(baseline()));
    for (const [i, s] of docs.entries()) {
      const expected = withoutAddresses(baseline()[i].targets?.[0]);
      expect(s.targets?.[0]).toEqual({ ...expected, os: 'Windows10x64 version: 1709' });
    }
  });

  it('a malformed machine profile costs only its own target fields (os, MACs and IPs)', async () => {
    relay().sandbox.faults.add({ route: 'machines.get', status: 200, body: { id: 7, osPlatform: ['Windows10'], ipAddresses: 'none', computerDnsName: {} } });
    const { errors, docs } = await observe(relay());
    expect(errors).toBeUndefined();
    expect(summary(docs)).toEqual(summary(baseline()));
    for (const [i, s] of docs.entries()) {
      const { os: _os, ...expected } = baseline()[i].targets?.[0] ?? { observables: [] };
      expect(s.targets?.[0]).toEqual({ ...expected, observables: expected.observables?.filter((o) => o.type === 'hostname' || o.type === 'ms_machine_id') });
    }
  });
});

describe('/observe when Defender hangs past REQUEST_DEADLINE_MS', () => {
  const deadline = 1000;
  const { relay, baseline } = withRelay({ REQUEST_DEADLINE_MS: String(deadline), UPSTREAM_TIMEOUT_MS: String(deadline) });

  it('answers what it has at the deadline, with a timeout error', async () => {
    relay().sandbox.faults.add({ route: 'alerts.byIp', hang: true });
    const started = Date.now();
    const { errors, docs } = await observe(relay());
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(deadline - 50);
    expect(took).toBeLessThan(deadline + 1500);
    expect(errors?.length).toBeGreaterThan(0);
    for (const error of errors ?? []) expect(error).toMatchObject({ code: 'timeout', message: expect.stringMatching(/deadline|1000 ms/) });
    const lost = (s: Sighting) => s.observables[0].value === SEED_NETWORK.c2Ip && isAlert(s);
    expect(baseline().some(lost)).toBe(true);
    expect(summary(docs)).toEqual(summary(baseline().filter((s) => !lost(s))));
  });
});
