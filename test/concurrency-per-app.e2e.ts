import { randomBytes } from 'node:crypto';
import { DEFENDER_ONLY_CLIENT_ID, DEFENDER_ONLY_CLIENT_SECRET, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID, NOPERM_CLIENT_ID, NOPERM_CLIENT_SECRET } from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';
import { sandboxShows } from './support/sandbox-wait';
import { hsToken } from './support/tokens';

// The Defender concurrency bound is kept per app and tenant, like Defender's quotas: one app's
// slow calls never queue another app of the same tenant. The tenant as a whole has at most twice
// DEFENDER_CONCURRENCY calls in flight.

const APP_A = hsToken({ client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID });
const APP_B = hsToken({ client_id: DEFENDER_ONLY_CLIENT_ID, client_secret: DEFENDER_ONLY_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID });
const APP_C = hsToken({ client_id: NOPERM_CLIENT_ID, client_secret: NOPERM_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID });
const PER_APP = 4;

describe('one app cannot slow another', () => {
  let relay: RelayHarness;
  // A deadline well past what the fast calls need; the hung calls end there.
  beforeAll(async () => (relay = await startRelay({ DEFENDER_CONCURRENCY: String(PER_APP), REQUEST_DEADLINE_MS: '4000', UPSTREAM_TIMEOUT_MS: '30000' })));
  afterAll(() => relay.close());
  beforeEach(() => relay.sandbox.reset());

  /** Hashes this test looked up: calls of earlier tests the sandbox may still hold are not counted. */
  const mine = new Set<string>();
  beforeEach(() => mine.clear());
  const open = () => relay.sandbox.stats.entries('files.get').filter((e) => e.status === 0 && mine.has(e.path.split('/').pop() as string));
  /** File-profile calls of `clientId` the sandbox holds open right now. */
  const hung = (clientId: string) => open().filter((e) => e.clientId === clientId).length;
  /** Waits (on the sandbox's own log, no clock) until `clientId` has `count` calls held open. */
  async function untilHung(clientId: string, count: number): Promise<void> {
    await sandboxShows(() => hung(clientId) >= count, () => `${clientId} has ${hung(clientId)} of ${count} calls held open`);
    expect(hung(clientId)).toBe(count);
  }
  const slowLookups = (token: string, count: number) =>
    Array.from({ length: count }, () => {
      const value = randomBytes(32).toString('hex');
      mine.add(value);
      return relay.post('/deliberate/observables', [{ type: 'sha256', value }], { token });
    });

  it('app A’s slow lookups fill only its own slots: app B of the same tenant is answered meanwhile', async () => {
    relay.sandbox.faults.add({ route: 'files.get', hang: true });
    const flood = slowLookups(APP_A, 10 * PER_APP);
    await untilHung(DEMO_CLIENT_ID, PER_APP);

    const b = await relay.post('/deliberate/observables', [{ type: 'domain', value: 'example.com' }], { token: APP_B });
    expect(b.body.errors).toBeUndefined();
    expect(hung(DEMO_CLIENT_ID)).toBe(PER_APP);

    const answers = await Promise.all(flood);
    expect(answers.every((a) => a.body.errors?.[0].code === 'timeout')).toBe(true);
  });

  it('apps flooding together hold at most DEFENDER_CONCURRENCY each, and twice that for the tenant', async () => {
    relay.sandbox.faults.add({ route: 'files.get', hang: true });
    const flood = [...slowLookups(APP_A, 3 * PER_APP), ...slowLookups(APP_B, 3 * PER_APP)];
    await untilHung(DEMO_CLIENT_ID, PER_APP);
    await untilHung(DEFENDER_ONLY_CLIENT_ID, PER_APP);
    // A third app of the tenant waits for the tenant's total, however few of its own slots are used:
    // its token is obtained, but no Defender call of it arrives while the tenant is full.
    const third = slowLookups(APP_C, PER_APP);
    const calls = (clientId: string) => relay.sandbox.stats.entries().filter((e) => e.clientId === clientId && e.route !== 'token').length;
    const tokens = () => relay.sandbox.stats.entries('token').filter((e) => e.clientId === NOPERM_CLIENT_ID).length;
    await sandboxShows(() => tokens() > 0, () => 'the third app never asked for a token');
    // Event-loop turns for the relay to send the call it would send if the tenant had room.
    for (let i = 0; i < 200; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(tokens()).toBeGreaterThan(0);
    expect(calls(NOPERM_CLIENT_ID)).toBe(0);
    expect(open()).toHaveLength(2 * PER_APP);
    await Promise.all([...flood, ...third]);
    // Once the others' calls ended, the third app gets its turn (and Defender's own answer for an app
    // without permissions). Asked afresh: the queued requests may have spent their deadline waiting.
    relay.sandbox.faults.clear();
    const [after] = slowLookups(APP_C, 1);
    expect((await after).body.errors?.[0].code).toBe('permission denied');
  });
});
