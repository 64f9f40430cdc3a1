import { DEMO_OBSERVABLES } from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';
import { DEMO_CLAIMS, hsToken, TEST_PUBLIC_URL } from './support/tokens';

const HUNTING_429 = { error: { code: 'TooManyRequests', message: 'API calls quota exceeded! maximum allowed 45 per 00:01:00' } };

describe('faults against the sandbox', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay({ REQUEST_DEADLINE_MS: '4000', UPSTREAM_TIMEOUT_MS: '1500' })));
  afterAll(() => relay.close());
  afterEach(() => relay.sandbox.reset());

  const observe = () => relay.post('/observe/observables', DEMO_OBSERVABLES);

  it('hunting 429 with Retry-After: 1 is retried after a second and succeeds', async () => {
    const baseline = (await observe()).body.data.sightings.count;
    relay.sandbox.stats.reset();
    relay.sandbox.faults.add({ route: 'graph.hunting', status: 429, retryAfter: 1, body: HUNTING_429, times: 1 });
    const started = Date.now();
    const res = await observe();
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.sightings.count).toBe(baseline);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(relay.sandbox.stats.entries('graph.hunting').map((e) => e.status)).toContain(429);
  });

  it('hunting 429 with Retry-After: 120 answers promptly with the sightings it has and a precise error', async () => {
    relay.sandbox.faults.add({ route: 'graph.hunting', status: 429, retryAfter: 120, body: HUNTING_429 });
    const started = Date.now();
    const res = await observe();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.body.data.sightings.count).toBeGreaterThan(0);
    expect(res.body.errors).toEqual([
      {
        type: 'fatal',
        code: 'too many requests',
        message: 'Advanced Hunting API rate limit has been exceeded: API calls quota exceeded! maximum allowed 45 per 00:01:00 (retry after 120 s)',
      },
    ]);
  });

  it('503 twice then 200 is a success', async () => {
    relay.sandbox.faults.add({ route: 'alerts.list', status: 503, body: { error: { code: 'ServiceUnavailable', message: 'busy' } }, times: 2 });
    expect((await relay.post('/health')).body).toEqual({ data: expect.objectContaining({ status: 'ok', hunting: 'graph' }) });
    expect(relay.sandbox.stats.count('alerts.list')).toBe(3);
  });

  it('a call that hangs ends in a timeout within the request deadline', async () => {
    relay.sandbox.faults.add({ route: 'alerts.list', hang: true });
    const started = Date.now();
    const res = await relay.post('/health');
    expect(Date.now() - started).toBeLessThan(4500);
    expect(res.body.errors[0].code).toBe('timeout');
  });

  it('token endpoint 500 is a clear error', async () => {
    relay.sandbox.faults.add({ route: 'token', status: 500, body: { error: 'server_error' } });
    const res = await relay.post('/health', undefined, { token: hsToken({ ...DEMO_CLAIMS, client_secret: `${DEMO_CLAIMS.client_secret}x` }) });
    expect(res.body.errors).toEqual([{ type: 'fatal', code: 'service unavailable', message: 'Azure AD token endpoint is unavailable (HTTP 500)' }]);
  });

  it('JWKS host down is a clear authorization error', async () => {
    relay.sandbox.faults.add({ route: 'jwks', status: 503, body: { error: 'down' } });
    const token = relay.sandbox.jwks.sign({ ...DEMO_CLAIMS, jwks_host: new URL(relay.sandbox.url).host, aud: TEST_PUBLIC_URL });
    const res = await relay.post('/health', undefined, { token });
    expect(res.body.errors).toEqual([
      {
        type: 'fatal',
        code: 'authorization error',
        message: `Authorization failed: Wrong jwks_host in JWT payload: could not fetch the JWKS from '${new URL(relay.sandbox.url).host}' (HTTP 503). Make sure domain follows the visibility.<region>.cisco.com structure`,
      },
    ]);
  });

  it('never retries a mutating call that Defender may have received', async () => {
    relay.sandbox.faults.add({ route: 'indicators.create', status: 503, body: { error: { code: 'ServiceUnavailable', message: 'busy' } } });
    const res = await relay.post('/respond/trigger', {
      'action-id': 'microsoft-defender-add-indicator-alert',
      observable_type: 'domain',
      observable_value: 'never-twice.example',
    });
    expect(res.body.data).toEqual({ status: 'failure' });
    expect(relay.sandbox.stats.count('indicators.create')).toBe(1);
  });
});

describe('client-side rate limiting', () => {
  it('a burst of 200 /observe for one tenant causes no 429 from Defender; the relay waits or refuses within the deadline', async () => {
    // A deadline the admitted requests cannot run out of on a busy machine; refused ones are refused at
    // once all the same, as a slot frees only a minute after it was taken.
    const relay = await startRelay({ DEFENDER_RATE_LIMIT: 'on', REQUEST_DEADLINE_MS: '20000' }, { rateLimits: true });
    try {
      const results = await Promise.all(Array.from({ length: 200 }, () => relay.post('/observe/observables', DEMO_OBSERVABLES)));
      const limited = results.filter((r) => r.body.errors?.some((e: { code: string }) => e.code === 'too many requests'));
      const complete = results.filter((r) => r.body.data?.sightings && !r.body.errors);
      const sandbox429 = relay.sandbox.stats.entries().filter((e) => e.status === 429).length;
      const hunting = relay.sandbox.stats.count('graph.hunting');
      expect(sandbox429).toBe(0);
      expect(hunting).toBeLessThanOrEqual(45);
      expect(complete.length + limited.length).toBe(200);
      // Hunting is reserved per request (3 calls each here): the 45 a minute go to whole requests.
      expect(complete.length).toBeGreaterThanOrEqual(10);
      // What was gathered before the limit stopped a request is still answered. A request refused
      // only its hunting call may have gathered nothing: which requests plan their alert lookups onto
      // hunting (REST budgets taken) depends on how the burst interleaves, now that the statistics
      // calls share the tenant's concurrency.
      const huntingOnly = (r: (typeof results)[number]) => r.body.errors.every((e: { message: string }) => /^Advanced Hunting API rate limit/.test(e.message));
      expect(limited.filter((r) => !(r.body.data?.sightings?.count > 0) && !huntingOnly(r))).toEqual([]);
    } finally {
      await relay.close();
    }
  });
});
