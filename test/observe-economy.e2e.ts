import { Sighting } from '@app/ctim';
import { DEMO_FILES, DEMO_OBSERVABLES, RouteKey, TWENTY_OBSERVABLES } from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';

// What one /observe request costs in Defender calls, read from the sandbox's statistics.

interface Obs {
  type: string;
  value: string;
}

/** The demo's four observables (observables.json) and twenty (every seeded value plus unknown ones). */
const FOUR: Obs[] = DEMO_OBSERVABLES.map((o) => ({ ...o }));
const TWENTY: Obs[] = TWENTY_OBSERVABLES.map((o) => ({ ...o }));

const ALERT_ROUTES: RouteKey[] = ['alerts.byFile', 'alerts.byDomain', 'alerts.byIp'];
const STATS_ROUTES: RouteKey[] = ['files.stats', 'ips.stats', 'domains.stats'];

/**
 * The statistics one request asks, from the body and the seed: each file once by its SHA-1 (a
 * sha256/md5 without a profile has none to ask with), each IP and domain once.
 */
function expectedStats(body: Obs[]): number[] {
  const sha1 = (o: Obs) => (o.type === 'sha1' ? o.value : DEMO_FILES.find((f) => f.sha256 === o.value || f.md5 === o.value)?.sha1);
  const files = new Set(body.filter((o) => ['sha1', 'sha256', 'md5'].includes(o.type)).map(sha1).filter((h) => h !== undefined));
  return [files.size, body.filter((o) => o.type === 'ip').length, body.filter((o) => o.type === 'domain').length];
}

async function observe(relay: RelayHarness, body: Obs[]): Promise<Sighting[]> {
  const res = await relay.post('/observe/observables', body);
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  const docs: Sighting[] = res.body.data?.sightings?.docs ?? [];
  for (const s of docs) {
    const keys = (s.relations ?? []).map((r) => JSON.stringify([r.origin, r.relation, r.source, r.related]));
    expect(keys).toEqual([...new Set(keys)]);
  }
  return docs;
}

/** The last path segment of each call of a route (the machine id or the hash). */
const lastSegments = (relay: RelayHarness, route: RouteKey) => relay.sandbox.stats.entries(route).map((e) => decodeURIComponent(e.path.split('/').pop() ?? ''));

/** The per-request costs the relay promises, checked against what the answer itself contains. */
function expectEconomical(relay: RelayHarness, body: Obs[], docs: Sighting[]): void {
  const { stats } = relay.sandbox;
  // One query for both event tables and all observables; the devices' MACs and IPs come from their
  // machine profiles (this used to be three: one per table and one for DeviceNetworkInfo).
  expect(stats.count('graph.hunting')).toBeLessThanOrEqual(1);
  expect(stats.count('hunting')).toBe(0);

  // Related alerts once per observable at most (sha256/md5 go through their SHA-1), each path once.
  const alertPaths = ALERT_ROUTES.flatMap((r) => stats.entries(r).map((e) => e.path));
  expect(alertPaths.length).toBeLessThanOrEqual(body.length);
  expect(alertPaths.length).toBe(new Set(alertPaths).size);

  // Each device of the answer once; nothing else.
  const devices = new Set(docs.flatMap((s) => s.targets ?? []).flatMap((t) => t.observables.filter((o) => o.type === 'ms_machine_id').map((o) => o.value)));
  const machines = lastSegments(relay, 'machines.get');
  expect(machines.length).toBe(new Set(machines).size);
  expect(machines.length).toBeLessThanOrEqual(devices.size);
  for (const id of machines) expect(devices).toContain(id);

  // Each file once: a sha256/md5 input resolved to its SHA-1, or a file of the answer whose sibling
  // hashes had to be completed; never more than one call per distinct file plus the resolutions.
  const hashes = lastSegments(relay, 'files.get');
  expect(hashes.length).toBe(new Set(hashes).size);
  const resolutions = body.filter((o) => o.type === 'sha256' || o.type === 'md5').map((o) => o.value);
  const filesInAnswer = new Set(docs.flatMap((s) => s.relations ?? []).flatMap((r) => [r.source, r.related]).filter((o) => o.type === 'sha1').map((o) => o.value));
  expect(hashes.length).toBeLessThanOrEqual(resolutions.length + filesInAnswer.size);
  for (const hash of hashes) expect(resolutions.includes(hash) || filesInAnswer.has(hash)).toBe(true);

  // Statistics once per file, IP and domain (a file by its SHA-1 even when asked as sha256 and md5 too).
  const statsPaths = STATS_ROUTES.flatMap((r) => stats.entries(r).map((e) => e.path));
  expect(statsPaths.length).toBe(new Set(statsPaths).size);
  expect(STATS_ROUTES.map((r) => stats.count(r))).toEqual(expectedStats(body));
  for (const e of stats.entries('files.stats')) expect(e.path).toMatch(/\/files\/[0-9a-f]{40}\/stats$/);
}

describe('/observe economy, profiles fetched fresh every request', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay({ PROFILE_CACHE_TTL_MS: '0' })));
  afterAll(() => relay.close());
  beforeEach(() => relay.sandbox.reset());

  it.each([
    ['4 observables (observables.json)', FOUR],
    ['20 observables', TWENTY],
  ])('%s: bounded calls per route, each lookup once', async (_name, body) => {
    expect(new Set(body.map((o) => `${o.type}:${o.value}`)).size).toBe(body.length);
    const docs = await observe(relay, body);
    expect(docs.length).toBeGreaterThan(body.length);
    expectEconomical(relay, body, docs);
    expect(relay.sandbox.stats.count('graph.hunting')).toBe(1);
  });

  it('fetches no token on a second request, and the same lookups again (alerts and hunting are never cached)', async () => {
    await observe(relay, FOUR);
    const first = relay.sandbox.stats.byRoute();
    relay.sandbox.stats.reset();
    await observe(relay, FOUR);
    const second = relay.sandbox.stats.byRoute();
    expect(second.token).toBe(0);
    expect({ ...second, token: first.token }).toEqual(first);
  });
});

describe('/observe economy with the default profile cache', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay()));
  afterAll(() => relay.close());

  it('reuses token, machine and file profiles across requests, but asks alerts, statistics and hunting afresh', async () => {
    await observe(relay, TWENTY);
    const first = relay.sandbox.stats.byRoute();
    // One for Defender, one for Graph (hunting).
    expect(first.token).toBe(2);
    expect(first['machines.get']).toBeGreaterThan(0);
    expect(first['files.get']).toBeGreaterThan(0);
    relay.sandbox.stats.reset();

    const docs = await observe(relay, TWENTY);
    expectEconomical(relay, TWENTY, docs);
    const second = relay.sandbox.stats.byRoute();
    expect([second.token, second['machines.get'], second['files.get']]).toEqual([0, 0, 0]);
    expect(second['graph.hunting']).toBe(first['graph.hunting']);
    for (const route of [...ALERT_ROUTES, ...STATS_ROUTES]) expect(second[route]).toBe(first[route]);
  });
});
