import { Sighting } from '@app/ctim';
import { DEMO_OBSERVABLES, RouteKey, SEED_FILES, TWENTY_OBSERVABLES } from '../apps/defender-sandbox/src';
import { isPrevalence } from './support/prevalence';
import { hex, investigation, Obs } from './support/made-up';
import { RelayHarness, startRelay } from './support/relay-harness';

// One observe request at investigation scale on an idle tenant, with the relay's limiter on and
// the sandbox enforcing Defender's limits: the relay plans its alert lookups by the tenant's free
// slots (docs/observe-planning.md), so it answers every observable and provokes no 429.


const LIMITED = { DEFENDER_RATE_LIMIT: 'on', REQUEST_DEADLINE_MS: '60000' };
const RELATED_ALERTS: RouteKey[] = ['alerts.byFile', 'alerts.byDomain', 'alerts.byIp'];
const STATS: RouteKey[] = ['files.stats', 'ips.stats', 'domains.stats'];



async function observe(relay: RelayHarness, body: Obs[]): Promise<{ docs: Sighting[]; errors: Array<{ code: string }> | undefined }> {
  const res = await relay.post('/observe/observables', body);
  expect(res.status).toBe(200);
  return { docs: res.body.data?.sightings?.docs ?? [], errors: res.body.errors };
}

/** Sightings by observable value, without the ids minted afresh for every answer. */
function byObservable(docs: readonly Sighting[]): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const doc of docs) {
    const value = doc.observables[0].value;
    out.set(value, [...(out.get(value) ?? []), withoutTransientIds(doc)]);
  }
  for (const list of out.values()) list.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return out;
}

function withoutTransientIds(value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith('transient:') ? 'transient' : value;
  if (Array.isArray(value)) return value.map(withoutTransientIds);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutTransientIds(v)]));
  return value;
}

/**
 * Spends the related-alert budgets on unknown values, so that what follows must hunt (an unknown
 * sha256 would spend only its file profile: it has no SHA-1 to ask alerts for).
 */
async function spendRelatedAlertBudgets(relay: RelayHarness): Promise<void> {
  // One type a request, each within the size rule's threshold, so that these go to REST and spend its budget.
  const kinds = [(i: number) => ({ type: 'sha1', value: hex(`spend-${i}`, 40) }), (i: number) => ({ type: 'ip', value: `203.0.113.${i}` }), (i: number) => ({ type: 'domain', value: `spent-${i}.example` })];
  for (const kind of kinds) {
    const spend = Array.from({ length: 100 }, (_, i) => kind(i));
    expect((await observe(relay, spend)).errors).toBeUndefined();
  }
}

const KNOWN: Obs[] = [
  ...DEMO_OBSERVABLES.map((o) => ({ ...o })),
  { type: 'sha256', value: SEED_FILES.svcUpdater.sha256 },
  { type: 'sha1', value: SEED_FILES.emotetDropper.sha1 },
];

describe('observe at investigation scale, limiter on, Defender limits enforced', () => {
  let relay: RelayHarness | undefined;
  afterEach(async () => {
    await relay?.close();
    relay = undefined;
  });

  it('answers 500 mixed observables with every known one sighted, no too many requests and no Defender 429', async () => {
    // What the twenty known-and-unknown observables give with nothing limited: the reference.
    relay = await startRelay();
    const reference = byObservable((await observe(relay, TWENTY_OBSERVABLES.map((o) => ({ ...o })))).docs);
    await relay.close();

    relay = await startRelay(LIMITED, { rateLimits: true });
    const body: Obs[] = investigation('scale');
    const { docs, errors } = await observe(relay, body);
    expect(errors).toBeUndefined();
    const { stats } = relay.sandbox;
    expect(stats.entries().filter((e) => e.status === 429)).toHaveLength(0);
    // Past the related-alert budgets the rest went to AlertEvidence in the one hunting query.
    expect(stats.count('graph.hunting')).toBe(1);
    for (const route of [...RELATED_ALERTS, ...STATS]) expect(stats.count(route)).toBeLessThanOrEqual(90);
    expect(stats.count('files.get')).toBeLessThanOrEqual(100);
    const found = byObservable(docs);
    expect([...found.keys()].sort()).toEqual([...reference.keys()].sort());
    for (const [value, sightings] of reference) expect(found.get(value)).toEqual(sightings);
  });

  it('gives the same sightings whether an alert was found through REST or through AlertEvidence', async () => {
    relay = await startRelay(LIMITED, { rateLimits: true });
    const viaRest = await observe(relay, KNOWN);
    expect(viaRest.errors).toBeUndefined();
    expect(relay.sandbox.stats.count('alerts.list')).toBe(0);
    expect(viaRest.docs.length).toBeGreaterThan(0);

    await spendRelatedAlertBudgets(relay);

    relay.sandbox.stats.reset();
    const viaHunting = await observe(relay, KNOWN);
    expect(viaHunting.errors).toBeUndefined();
    const { stats } = relay.sandbox;
    expect(RELATED_ALERTS.flatMap((route) => stats.entries(route).map((e) => e.path))).toEqual([]);
    expect(stats.count('alerts.list')).toBeGreaterThan(0);
    for (const { query } of stats.entries('alerts.list')) {
      expect(query.$expand).toBe('evidence');
      expect(query.$filter).toMatch(/^id eq '[^']+'( or id eq '[^']+')*$/);
    }
    // The statistics' budgets went to the unknown values too: their sightings are skipped, nothing else differs.
    expect(viaRest.docs.filter(isPrevalence)).toHaveLength(KNOWN.length);
    expect(viaHunting.docs.filter(isPrevalence)).toEqual([]);
    expect(STATS.map((route) => stats.count(route))).toEqual([0, 0, 0]);
    expect(byObservable(viaHunting.docs)).toEqual(byObservable(viaRest.docs.filter((d) => !isPrevalence(d))));
  });

  it('when the alert batches fail, says so once per batch and still answers the events', async () => {
    relay = await startRelay(LIMITED, { rateLimits: true });
    const complete = await observe(relay, KNOWN);
    await spendRelatedAlertBudgets(relay);
    relay.sandbox.faults.add({ route: 'alerts.list', status: 403, body: { error: { code: 'Forbidden', message: 'no' } } });
    const { docs, errors } = await observe(relay, KNOWN);
    expect(errors?.length).toBe(relay.sandbox.stats.count('alerts.list'));
    expect(errors?.length).toBeGreaterThan(0);
    expect(docs.length).toBeGreaterThan(0);
    expect(docs.length).toBeLessThan(complete.docs.length);
  });
});
