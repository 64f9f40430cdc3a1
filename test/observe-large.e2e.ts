import { Sighting } from '@app/ctim';
import { RouteKey, TWENTY_OBSERVABLES } from '../apps/defender-sandbox/src';
import { investigation, Obs } from './support/made-up';
import { RelayHarness, startRelay } from './support/relay-harness';

// A large observe with the limiter off (docs/observe-planning.md, "Large requests"): past the size
// threshold the sha1s, IPs and domains find their alerts through AlertEvidence in the request's one
// hunting query instead of one related-alerts call each, and answer what the REST route answers.




const TWENTY = (): Obs[] => TWENTY_OBSERVABLES.map((o) => ({ ...o }));
const LARGE = (): Obs[] => investigation('large');
const SIZE_ROUTED = new Set(['sha1', 'ip', 'domain']);

async function observe(relay: RelayHarness, body: Obs[]): Promise<{ docs: Sighting[]; errors: Array<{ code: string; message: string }> | undefined }> {
  const res = await relay.post('/observe/observables', body);
  expect(res.status).toBe(200);
  return { docs: res.body.data?.sightings?.docs ?? [], errors: res.body.errors };
}

function withoutTransientIds(value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith('transient:') ? 'transient' : value;
  if (Array.isArray(value)) return value.map(withoutTransientIds);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutTransientIds(v)]));
  return value;
}

/** Sightings by observable value, in answer order, without the ids minted afresh for every answer. */
function byObservable(docs: readonly Sighting[]): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const doc of docs) out.set(doc.observables[0].value, [...(out.get(doc.observables[0].value) ?? []), withoutTransientIds(doc)]);
  return out;
}

const isAlertSighting = (doc: Sighting) => /\/alerts\//.test(String(doc.source_uri ?? ''));

/** Calls per route, only those made. */
function callsByRoute(relay: RelayHarness): Partial<Record<RouteKey, number>> {
  return Object.fromEntries(Object.entries(relay.sandbox.stats.byRoute()).filter(([, n]) => n > 0));
}

describe('observe with 500 observables, limiter off', () => {
  let relay: RelayHarness | undefined;
  afterEach(async () => {
    await relay?.close();
    relay = undefined;
  });

  it('finds the alerts of sha1s, IPs and domains through AlertEvidence, with the sightings the small REST request gives', async () => {
    relay = await startRelay();
    const small = await observe(relay, TWENTY());
    expect(small.errors).toBeUndefined();
    expect(relay.sandbox.stats.count('alerts.list')).toBe(0);
    const smallCalls = callsByRoute(relay);
    relay.sandbox.stats.reset();

    const large = await observe(relay, LARGE());
    expect(large.errors).toBeUndefined();
    const largeCalls = callsByRoute(relay);
    // Shown for the reader: the twenty alone, then the 500.
    process.stdout.write(`Defender calls by API: 20 observables ${JSON.stringify(smallCalls)}; 500 observables ${JSON.stringify(largeCalls)}\n`);

    const { stats } = relay.sandbox;
    const body = LARGE();
    // No related-alerts call names a sha1, IP or domain of the body: a files/{sha1}/alerts call follows a
    // sha256's or md5's profile (a REST route), an ips/{ip}/alerts call is an IPv6's (REST is its route).
    const lookedUp = (route: RouteKey) => stats.entries(route).map((e) => decodeURIComponent(e.path.split('/').at(-2) ?? ''));
    const sizeRouted = new Set(body.filter((o) => SIZE_ROUTED.has(o.type)).map((o) => o.value));
    expect([...lookedUp('alerts.byIp'), ...lookedUp('alerts.byDomain')].filter((value) => sizeRouted.has(value))).toEqual([]);
    expect(largeCalls['alerts.byIp']).toBe(body.filter((o) => o.type === 'ipv6').length);
    expect(largeCalls['alerts.byDomain']).toBeUndefined();
    // The large request asks files/{sha1}/alerts only for the SHA-1 of a sha256 or md5 (one may also be a sha1 of the body).
    expect(largeCalls['alerts.byFile']).toBeLessThan(smallCalls['alerts.byFile']!);
    expect(largeCalls['alerts.byFile']).toBeLessThanOrEqual(TWENTY().filter((o) => o.type === 'sha256' || o.type === 'md5').length);
    expect(largeCalls['graph.hunting']).toBe(1);
    expect(largeCalls['alerts.list']).toBe(1);
    // What the size rule does not touch: a file profile per sha256 and md5, statistics per file, IP and domain.
    // (the twenty's file profiles are still cached from the small request)
    expect(largeCalls['files.get']).toBe(body.slice(20).filter((o) => o.type === 'sha256' || o.type === 'md5').length);
    expect(largeCalls['ips.stats']).toBe(body.filter((o) => o.type === 'ip').length);
    expect(largeCalls['domains.stats']).toBe(body.filter((o) => o.type === 'domain').length);

    const reference = byObservable(small.docs);
    const found = byObservable(large.docs);
    for (const [value, sightings] of reference) expect(found.get(value)).toEqual(sightings);
    expect([...found.keys()].sort()).toEqual([...reference.keys()].sort());
  });

  it('when the hunting query fails, asks the related-alerts APIs instead, so the alerts are still there', async () => {
    relay = await startRelay();
    const small = await observe(relay, TWENTY());
    const refused = { status: 403, body: { error: { code: 'Forbidden', message: 'Missing application roles' } } };
    relay.sandbox.faults.add({ route: 'graph.hunting', ...refused });
    relay.sandbox.faults.add({ route: 'hunting', ...refused });
    relay.sandbox.stats.reset();

    const large = await observe(relay, LARGE());
    expect(large.errors?.map((e) => e.code)).toEqual(['permission denied']);
    const { stats } = relay.sandbox;
    expect(stats.count('alerts.list')).toBe(0);
    expect(stats.count('alerts.byDomain')).toBe(LARGE().filter((o) => o.type === 'domain').length);
    // `count` also counts the observable's events, which the failed query did not bring.
    const alerts = (docs: readonly Sighting[]) => byObservable(docs.filter(isAlertSighting).map((doc) => ({ ...doc, count: 0 })));
    expect(alerts(large.docs).size).toBeGreaterThan(0);
    expect(alerts(large.docs)).toEqual(alerts(small.docs));
  });
});
