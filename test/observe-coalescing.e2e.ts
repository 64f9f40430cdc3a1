import { Sighting } from '@app/ctim';
import { OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, OTHER_TENANT_ID, SEED_FILES, SEED_NETWORK } from '../apps/defender-sandbox/src';
import { attachRelay, RelayHarness, startRelay } from './support/relay-harness';
import { DEMO_CLAIMS, hsToken } from './support/tokens';

// Concurrent observe requests of one credential share one hunting query; each still gets exactly
// its own sightings, and requests of different credentials never share a query.

interface Obs {
  type: string;
  value: string;
}

const A: Obs[] = [
  { type: 'sha1', value: SEED_FILES.svcUpdater.sha1 },
  { type: 'ip', value: SEED_NETWORK.c2Ip },
];
const B: Obs[] = [
  { type: 'domain', value: SEED_NETWORK.payloadDomain },
  { type: 'md5', value: SEED_FILES.webShell.md5 },
];
const OTHER = hsToken({ client_id: OTHER_CLIENT_ID, client_secret: OTHER_CLIENT_SECRET, tenant_id: OTHER_TENANT_ID });

async function observe(relay: RelayHarness, body: Obs[], token = hsToken(DEMO_CLAIMS)): Promise<Sighting[]> {
  const res = await relay.post('/observe/observables', body, { token });
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  return res.body.data?.sightings?.docs ?? [];
}

/** What a sighting says, without its transient id. */
const content = (docs: readonly Sighting[]) => docs.map(({ id: _id, ...rest }) => rest);

/** Every string literal a hunting query carried. */
const literals = (relay: RelayHarness, clientId: string) =>
  JSON.stringify(relay.sandbox.stats.entries('graph.hunting').filter((e) => e.clientId === clientId).map((e) => e.kql));

describe('/observe: concurrent requests of one credential share one hunting query', () => {
  let relay: RelayHarness;
  let alone: { a: Sighting[]; b: Sighting[] };

  beforeAll(async () => {
    relay = await startRelay();
    alone = { a: await observe(relay, A), b: await observe(relay, B) };
    expect(alone.a.length).toBeGreaterThan(0);
    expect(alone.b.length).toBeGreaterThan(0);
  });
  afterAll(() => relay.close());
  beforeEach(() => relay.sandbox.reset());

  /**
   * Two requests that reach the hunting step in the same turn of the event loop: a relay that has
   * no token yet makes both wait for the same slow token answer.
   */
  async function together(first: [Obs[], string?], second: [Obs[], string?]): Promise<[Sighting[], Sighting[]]> {
    relay.sandbox.latency.set('token', 300);
    const fresh = await attachRelay(relay.sandbox);
    try {
      return await Promise.all([observe(fresh, ...first), observe(fresh, ...second)]);
    } finally {
      await fresh.close();
    }
  }

  it('two concurrent requests make one hunting call, and each gets exactly its own sightings', async () => {
    const [a, b] = await together([A], [B]);
    expect(relay.sandbox.stats.count('graph.hunting')).toBe(1);
    expect(content(a)).toEqual(content(alone.a));
    expect(content(b)).toEqual(content(alone.b));
  });

  it('requests of two different credentials do not share a query', async () => {
    await together([A], [B, OTHER]);
    expect(relay.sandbox.stats.count('graph.hunting')).toBe(2);
    const other = literals(relay, OTHER_CLIENT_ID);
    expect(other).toContain(SEED_NETWORK.payloadDomain);
    expect(other).not.toContain(SEED_FILES.svcUpdater.sha1);
    expect(literals(relay, DEMO_CLAIMS.client_id)).not.toContain(SEED_NETWORK.payloadDomain);
  });
});
