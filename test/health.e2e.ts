import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID, NOPERM_CLIENT_ID, NOPERM_CLIENT_SECRET } from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';
import { DEMO_CLAIMS, hsToken } from './support/tokens';

describe('POST /health', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay({ UPSTREAM_TIMEOUT_MS: '300', REQUEST_DEADLINE_MS: '2000' })));
  afterAll(() => relay.close());
  afterEach(() => relay.sandbox.reset());

  const health = (claims: Record<string, unknown> = DEMO_CLAIMS) => relay.post('/health', undefined, { token: hsToken(claims) });

  it('is ok with good credentials, using a read the relay is permitted to make, and names the hunting API', async () => {
    const res = await health();
    expect(res.body).toEqual({ data: expect.objectContaining({ status: 'ok', hunting: 'graph' }) });
    expect(relay.sandbox.stats.count('alerts.list')).toBe(1);
    expect(relay.sandbox.stats.count('exposureScore')).toBe(0);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a wrong secret', { ...DEMO_CLAIMS, client_secret: 'wrong-secret-value' }, /^Authorization failed: AADSTS7000215: Invalid client secret provided\./],
    ['an unknown tenant', { ...DEMO_CLAIMS, tenant_id: '00000000-0000-4000-8000-000000000000' }, /^Authorization failed: AADSTS90002: Tenant '00000000-0000-4000-8000-000000000000' not found\./],
    ['an unknown client', { ...DEMO_CLAIMS, client_id: '11111111-2222-4333-8444-555555555555' }, /^Authorization failed: AADSTS700016: Application with identifier '11111111-2222-4333-8444-555555555555' was not found/],
  ])('explains %s as Azure AD said, without trace ids or the secret', async (_name, claims, message) => {
    const res = await health(claims);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0]).toMatchObject({ type: 'fatal', code: 'authorization error', message: expect.stringMatching(message) });
    expect(res.body.errors[0].message).not.toMatch(/Trace ID|Correlation ID/);
    expect(JSON.stringify(res.body)).not.toContain(String(claims.client_secret));
    expect(res.body.data).toBeUndefined();
  });

  it('names the missing permission when Defender answers 403', async () => {
    const res = await health({ client_id: NOPERM_CLIENT_ID, client_secret: NOPERM_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID });
    expect(res.body.errors[0]).toMatchObject({ code: 'permission denied', message: expect.stringContaining('Alert.Read.All') });
  });

  it('says Defender timed out when it hangs, within the request deadline', async () => {
    relay.sandbox.faults.add({ route: 'alerts.list', hang: true });
    const started = Date.now();
    const res = await health();
    expect(Date.now() - started).toBeLessThan(2500);
    expect(res.body.errors).toEqual([{ type: 'fatal', code: 'timeout', message: expect.stringMatching(/^Microsoft Defender for Endpoint did not answer within \d+ ms$|^The request deadline was reached/) }]);
    expect(relay.sandbox.stats.count('alerts.list')).toBeGreaterThan(1); // timeouts of reads are retried while the deadline allows
  });

  it('reports a Defender outage as service unavailable', async () => {
    relay.sandbox.faults.add({ route: 'alerts.list', status: 503, body: { error: { code: 'ServiceUnavailable', message: 'Try later' } } });
    const res = await health();
    expect(res.body.errors[0]).toMatchObject({ code: 'service unavailable', message: expect.stringContaining('HTTP 503') });
  });

  it('reports an Azure AD 5xx as an outage even when its body reads like an Azure AD error', async () => {
    relay.sandbox.faults.add({
      route: 'token',
      status: 503,
      body: { error: 'temporarily_unavailable', error_description: 'AADSTS90033: A transient error has occurred. Please try again.\r\nTrace ID: 1\r\nCorrelation ID: 2' },
    });
    const res = await health({ ...DEMO_CLAIMS, client_secret: `${DEMO_CLIENT_SECRET}-other` });
    expect(res.body.errors).toEqual([
      { type: 'fatal', code: 'service unavailable', message: 'Azure AD token endpoint is unavailable (HTTP 503): AADSTS90033: A transient error has occurred. Please try again.' },
    ]);
  });

  it('reports an Azure AD outage clearly', async () => {
    relay.sandbox.faults.add({ route: 'token', status: 500, body: { error: 'server_error' } });
    const res = await health({ ...DEMO_CLAIMS, client_secret: `${DEMO_CLIENT_SECRET}-variant` });
    expect(res.body.errors[0]).toEqual({ type: 'fatal', code: 'service unavailable', message: 'Azure AD token endpoint is unavailable (HTTP 500)' });
  });
});

describe('POST /health when Microsoft is unreachable', () => {
  it.each([
    ['Azure AD', { DEFENDER_LOGIN_URL: 'http://127.0.0.1:1' }, 'Azure AD at 127.0.0.1:1 is unreachable (ECONNREFUSED)'],
    ['Defender', { DEFENDER_API_URL: 'http://127.0.0.1:1' }, 'Microsoft Defender for Endpoint at 127.0.0.1:1 is unreachable (ECONNREFUSED)'],
  ])('%s down → service unavailable', async (_name, env, message) => {
    const relay = await startRelay(env);
    try {
      const res = await relay.post('/health');
      expect(res.body).toEqual({ errors: [{ type: 'fatal', code: 'service unavailable', message }] });
    } finally {
      await relay.close();
    }
  });
});

describe('token cache', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay()));
  afterAll(() => relay.close());

  // /health also learns the hunting API, which takes a Graph token: one per tenant and audience.
  const resources = (tenant?: string) =>
    relay.sandbox.stats
      .entries('token')
      .filter((e) => tenant === undefined || e.tenant === tenant)
      .map((e) => (e.body as { resource?: string }).resource);

  it('N concurrent requests for one tenant fetch exactly one token per API; another tenant gets its own', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => relay.post('/health')));
    expect(results.map((r) => r.body)).toEqual(Array(20).fill({ data: expect.objectContaining({ status: 'ok', hunting: 'graph' }) }));
    expect(resources().sort()).toEqual(['https://api.securitycenter.microsoft.com', 'https://graph.microsoft.com']);

    const other = hsToken({ client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID, extra: 'same creds, new JWT' });
    await relay.post('/health', undefined, { token: other });
    expect(relay.sandbox.stats.count('token')).toBe(2);

    const { OTHER_TENANT_ID, OTHER_CLIENT_ID, OTHER_CLIENT_SECRET } = await import('../apps/defender-sandbox/src');
    const second = hsToken({ client_id: OTHER_CLIENT_ID, client_secret: OTHER_CLIENT_SECRET, tenant_id: OTHER_TENANT_ID });
    await Promise.all(Array.from({ length: 5 }, () => relay.post('/health', undefined, { token: second })));
    expect(relay.sandbox.stats.count('token')).toBe(4);
    expect(resources(OTHER_TENANT_ID)).toHaveLength(2);
  });

  it('POSTs the token request form-encoded with the Defender resource', async () => {
    const [entry] = relay.sandbox.stats.entries('token');
    expect(entry.method).toBe('POST');
    expect(entry.path).toMatch(/\/oauth2\/token$/);
    expect(entry.body).toMatchObject({ resource: 'https://api.securitycenter.microsoft.com' });
  });
});
