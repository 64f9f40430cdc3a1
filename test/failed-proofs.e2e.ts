import { randomUUID } from 'node:crypto';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID } from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';
import { hsToken } from './support/tokens';

// A failed credential proof costs Azure AD one call, not one per request: Azure AD's refusal is
// answered again for a while without asking it, and a tenant's never-proven credentials share a
// small budget of token calls a minute.

const WRONG_SECRET = hsToken({ client_id: DEMO_CLIENT_ID, client_secret: 'wrong-secret', tenant_id: DEMO_TENANT_ID });
const LEGIT = hsToken({ client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID });
const BODY = [{ type: 'domain', value: 'example.com' }];

describe('failed proofs are cheap for Azure AD', () => {
  let relay: RelayHarness;
  beforeEach(async () => (relay = await startRelay()));
  afterEach(() => relay.close());

  const tokenCalls = () => relay.sandbox.stats.count('token');
  const deliberate = (token: string) => relay.post('/deliberate/observables', BODY, { token });
  /** `count` requests, `concurrency` at a time. */
  async function flood<T>(count: number, concurrency: number, send: (i: number) => Promise<T>): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < count; i += concurrency) out.push(...(await Promise.all(Array.from({ length: Math.min(concurrency, count - i) }, (_, j) => send(i + j)))));
    return out;
  }

  it('100 requests with one wrong secret: at most 2 token calls, each answered with Azure AD’s own error', async () => {
    const answers = await flood(100, 20, () => deliberate(WRONG_SECRET));
    expect(tokenCalls()).toBeLessThanOrEqual(2);
    const first = answers[0].body.errors[0];
    expect(first).toEqual({ type: 'fatal', code: 'authorization error', message: expect.stringMatching(/^Authorization failed: AADSTS7000215/) });
    for (const answer of answers) expect(answer.body).toEqual({ errors: [first] });
    // The right secret of the same app is a different credential: proven at once.
    expect((await deliberate(LEGIT)).body.errors).toBeUndefined();
  });

  it('1,000 made-up clients of a real tenant: a bounded number of token calls; a client proven before keeps working', async () => {
    expect((await deliberate(LEGIT)).body.errors).toBeUndefined();
    const before = tokenCalls();
    const answers = await flood(1000, 50, () => deliberate(hsToken({ client_id: randomUUID(), client_secret: 'made-up', tenant_id: DEMO_TENANT_ID })));
    expect(tokenCalls() - before).toBeLessThanOrEqual(30);
    const codes = new Set(answers.map((a) => a.body.errors[0].code));
    expect([...codes].sort()).toEqual(['authorization error', 'too many requests']);
    const limited = answers.find((a) => a.body.errors[0].code === 'too many requests');
    expect(limited?.body.errors[0].message).toMatch(/^Authorization failed: too many sign-ins with unproven credentials of this tenant in the last minute; try again in \d+ s$/);
    expect((await deliberate(LEGIT)).body.errors).toBeUndefined();
  });

  it('an Azure AD outage is not remembered: the next request asks again', async () => {
    relay.sandbox.faults.add({ route: 'token', status: 503, times: 1 });
    expect((await deliberate(LEGIT)).body.errors[0].code).toBe('service unavailable');
    expect((await deliberate(LEGIT)).body.errors).toBeUndefined();
  });
});
