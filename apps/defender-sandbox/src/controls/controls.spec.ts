import { createPublicKey, JsonWebKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { startSandbox } from '../sandbox';
import {
  DEFENDER_ONLY_CLIENT_ID,
  DEFENDER_ONLY_CLIENT_SECRET,
  DEMO_MACHINE_IDS,
  DEMO_TENANT_ID,
  OTHER_CLIENT_ID,
  OTHER_CLIENT_SECRET,
  OTHER_TENANT_ID,
} from '../seed/seed.constants';
import { call, ErrorEnvelope, GRAPH_RESOURCE, postForm, tokenFor, sandboxFixture } from '../testing/sandbox-client.helper';

describe('sandbox controls', () => {
  const env = sandboxFixture();

  const machine = (signal?: AbortSignal) => call<ErrorEnvelope>(env.sandbox, `/api/machines/${DEMO_MACHINE_IDS.win10}`, { token: env.token, signal });
  const hunt = (t = env.token) =>
    call<ErrorEnvelope>(env.sandbox, '/api/advancedqueries/run', { token: t, method: 'POST', body: { Query: 'DeviceNetworkInfo | take 1' } });
  const timed = async <T>(fn: () => Promise<T>): Promise<number> => {
    const start = performance.now();
    await fn();
    return performance.now() - start;
  };

  describe('faults', () => {
    it('answers the injected status with the route envelope, for `times` calls only', async () => {
      env.sandbox.faults.add({ route: 'machines.get', status: 503, times: 2 });
      const first = await machine();
      expect(first.status).toBe(503);
      expect(first.body.error.code).toBe('ServiceUnavailable');
      expect((await machine()).status).toBe(503);
      expect((await machine()).status).toBe(200);
      expect(env.sandbox.faults.list()).toEqual([]);
    });

    it('after lets that many calls through first (the second page of a list can fail)', async () => {
      env.sandbox.faults.add({ route: 'machines.get', status: 503, after: 2, times: 1 });
      expect((await machine()).status).toBe(200);
      expect((await machine()).status).toBe(200);
      expect((await machine()).status).toBe(503);
      expect((await machine()).status).toBe(200);
      expect(() => env.sandbox.faults.add({ route: 'machines.get', status: 503, after: -1 })).toThrow('after must be a non-negative integer');
    });

    it('sets Retry-After from retryAfter', async () => {
      env.sandbox.faults.add({ route: 'hunting', status: 429, retryAfter: 7 });
      const res = await hunt();
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(res.body.error.code).toBe('TooManyRequests');
    });

    it('sends a custom body as given (e.g. a front-door HTML page)', async () => {
      env.sandbox.faults.add({ route: 'alerts.list', status: 502, body: '<html><body>502 Bad Gateway</body></html>' });
      const res = await fetch(`${env.sandbox.url}/api/alerts`, { headers: { Authorization: `Bearer ${env.token}` } });
      expect(res.status).toBe(502);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain('502 Bad Gateway');
    });

    it('gives token faults the Azure AD error shape', async () => {
      env.sandbox.faults.add({ route: '*', status: 500, times: 1 });
      const res = await postForm(`${env.sandbox.url}/${DEMO_TENANT_ID}/oauth2/token`, { grant_type: 'client_credentials' });
      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ error: 'temporarily_unavailable', error_codes: [expect.any(Number)] });
    });

    it('hang never answers: the client gives up, the call is logged as open, later calls work', async () => {
      env.sandbox.faults.add({ route: 'machines.get', hang: true, times: 1 });
      await expect(machine(AbortSignal.timeout(150))).rejects.toThrow();
      expect(env.sandbox.stats.entries('machines.get').map((e) => e.status)).toEqual([0]);
      expect((await machine()).status).toBe(200);
    });

    it('delayMs without a status slows the call down and then answers normally', async () => {
      env.sandbox.faults.add({ route: 'machines.get', delayMs: 120, times: 1 });
      let status = 0;
      const elapsed = await timed(async () => {
        status = (await machine()).status;
      });
      expect(status).toBe(200);
      expect(elapsed).toBeGreaterThanOrEqual(110);
    });

    it('rejects a fault for an unknown route', () => {
      expect(() => env.sandbox.faults.add({ route: 'nope' as 'token', status: 500 })).toThrow('unknown route key');
    });
  });

  it('latency delays only the configured route (or every route with *)', async () => {
    env.sandbox.latency.set('machines.get', 150);
    expect(await timed(() => machine())).toBeGreaterThanOrEqual(140);
    expect(await timed(() => call(env.sandbox, '/api/machines?$top=1', { token: env.token }))).toBeLessThan(100);
    env.sandbox.latency.set('*', 100);
    expect(await timed(() => call(env.sandbox, '/api/machines?$top=1', { token: env.token }))).toBeGreaterThanOrEqual(90);
    expect(env.sandbox.latency.get('machines.get')).toBe(150);
  });

  describe('rate limits', () => {
    it('46th hunting call in a minute → 429 with Retry-After; per app and tenant; window slides', async () => {
      env.sandbox.setRateLimits(true);
      const statuses = [];
      for (let i = 0; i < 45; i += 1) statuses.push((await hunt()).status);
      expect(new Set(statuses)).toEqual(new Set([200]));

      const limited = await hunt();
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(limited.body.error).toMatchObject({ code: 'TooManyRequests', message: 'API calls quota exceeded! maximum allowed 45 per 00:01:00' });

      // Another app of the same tenant, and an app of another tenant, have their own quota.
      const sameTenant = await tokenFor(env.sandbox, { clientId: DEFENDER_ONLY_CLIENT_ID, clientSecret: DEFENDER_ONLY_CLIENT_SECRET });
      expect((await hunt(sameTenant)).status).toBe(200);
      const other = await tokenFor(env.sandbox, { tenant: OTHER_TENANT_ID, clientId: OTHER_CLIENT_ID, clientSecret: OTHER_CLIENT_SECRET });
      expect((await hunt(other)).status).toBe(200);
      // Other API families have their own quota.
      expect((await machine()).status).toBe(200);

      env.advanceClock(61_000);
      expect((await hunt()).status).toBe(200);
    });

    it('Graph hunting has its own 45 calls a minute, apart from Defender hunting', async () => {
      env.sandbox.setRateLimits(true);
      const graphToken = await tokenFor(env.sandbox, { resource: GRAPH_RESOURCE });
      const graphHunt = () =>
        call<ErrorEnvelope>(env.sandbox, '/v1.0/security/runHuntingQuery', { token: graphToken, method: 'POST', body: { Query: 'DeviceNetworkInfo | take 1' } });
      for (let i = 0; i < 45; i += 1) await hunt();
      expect((await hunt()).status).toBe(429);

      const statuses = [];
      for (let i = 0; i < 45; i += 1) statuses.push((await graphHunt()).status);
      expect(new Set(statuses)).toEqual(new Set([200]));
      const limited = await graphHunt();
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(limited.body.error).toMatchObject({ code: 'TooManyRequests', message: 'API calls quota exceeded! maximum allowed 45 per 00:01:00' });

      env.advanceClock(61_000);
      expect((await graphHunt()).status).toBe(200);
    });

    it('is off by default and can be switched off again', async () => {
      expect(env.sandbox.rateLimitsEnabled).toBe(false);
      for (let i = 0; i < 46; i += 1) await hunt();
      expect((await hunt()).status).toBe(200);
      env.sandbox.setRateLimits(true);
      for (let i = 0; i < 45; i += 1) await hunt();
      expect((await hunt()).status).toBe(429);
      env.sandbox.setRateLimits(false);
      expect((await hunt()).status).toBe(200);
    });
  });

  describe('stats', () => {
    it('counts calls per route and tenant and logs method, path, query, body and status', async () => {
      await machine();
      await call(env.sandbox, '/api/v1.0/machines?$top=1', { token: env.token });
      await call(env.sandbox, '/api/alerts', {});
      expect(env.sandbox.stats.count('machines.get')).toBe(1);
      expect(env.sandbox.stats.count('machines.list', DEMO_TENANT_ID)).toBe(1);
      expect(env.sandbox.stats.count(undefined, OTHER_TENANT_ID)).toBe(0);
      expect(env.sandbox.stats.byRoute()).toMatchObject({ 'machines.get': 1, 'machines.list': 1, 'alerts.list': 1, hunting: 0 });
      expect(env.sandbox.stats.entries('machines.list')[0]).toMatchObject({
        method: 'GET',
        path: '/api/v1.0/machines',
        query: { $top: '1' },
        tenant: DEMO_TENANT_ID,
        status: 200,
      });
      expect(env.sandbox.stats.entries('alerts.list')[0]).toMatchObject({ status: 401, tenant: null });
      env.sandbox.stats.reset();
      expect(env.sandbox.stats.count()).toBe(0);
    });
  });

  describe('HTTP control API', () => {
    const control = (path: string, method = 'GET', body?: unknown) => call<Record<string, unknown>>(env.sandbox, `/_sandbox${path}`, { method, body });

    it('manages faults, latency, rate limits, config and reset over HTTP', async () => {
      const added = await control('/faults', 'POST', { route: 'machines.get', status: 500, times: 1 });
      expect(added.status).toBe(201);
      expect((await control('/faults')).body.faults).toHaveLength(1);
      expect((await machine()).status).toBe(500);

      expect((await control('/faults', 'POST', { route: 'bogus', status: 500 })).status).toBe(400);
      await control('/faults', 'POST', { route: 'machines.get', status: 500 });
      expect((await control('/faults', 'DELETE')).status).toBe(204);
      expect((await machine()).status).toBe(200);

      expect((await control('/latency', 'POST', { route: 'machines.get', ms: 80 })).body).toEqual({ latency: { 'machines.get': 80 } });
      expect(env.sandbox.latency.get('machines.get')).toBe(80);

      expect((await control('/rate-limits', 'POST', { enabled: true })).body).toEqual({ enabled: true });
      expect(env.sandbox.rateLimitsEnabled).toBe(true);

      expect((await control('/config', 'POST', { machineActionDelayMs: 500 })).body).toMatchObject({ machineActionDelayMs: 500 });
      expect((await control('/config', 'POST', { nope: 1 })).status).toBe(400);
      expect((await control('/config', 'POST', { unknownLookups: 'notFound' })).body).toMatchObject({ unknownLookups: 'notFound' });
      expect((await control('/config', 'POST', { unknownLookups: '404' })).status).toBe(400);

      expect((await control('/reset', 'POST')).status).toBe(204);
      expect(env.sandbox.latency.get('machines.get')).toBe(0);
      expect(env.sandbox.rateLimitsEnabled).toBe(false);
      expect(env.sandbox.config.machineActionDelayMs).toBe(0);
      expect(env.sandbox.config.unknownLookups).toBe('empty');
    });

    it('serves stats and clears them', async () => {
      await machine();
      const stats = await control('/stats?entries=true&route=machines.get');
      expect(stats.body).toMatchObject({ count: 1, byRoute: expect.objectContaining({ 'machines.get': 1 }) });
      expect(stats.body.entries).toEqual([expect.objectContaining({ route: 'machines.get', status: 200 })]);
      expect((await control('/stats', 'DELETE')).status).toBe(204);
      expect((await control('/stats')).body.total).toBe(0);
    });

    it('expires tokens on request', async () => {
      const fresh = await tokenFor(env.sandbox);
      await control('/tokens/expire', 'POST');
      expect((await call(env.sandbox, '/api/alerts', { token: fresh })).status).toBe(401);
      env.token = await tokenFor(env.sandbox);
    });
  });

  describe('JWKS', () => {
    it('serves two RS256 keys whose kids match the helper, and verifies tokens it signed', async () => {
      const res = await call<{ keys: JsonWebKey[] }>(env.sandbox, '/.well-known/jwks');
      expect(res.body.keys.map((k) => k.kid)).toEqual(env.sandbox.jwks.kids);
      expect(res.body.keys).toHaveLength(2);
      expect(res.body.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      expect(res.body.keys[0]).not.toHaveProperty('d');

      const kid = env.sandbox.jwks.kids[1];
      const signed = env.sandbox.jwks.sign({ aud: 'http://relay', jwks_host: 'x' }, { kid, expiresIn: 60 });
      const decoded = jwt.decode(signed, { complete: true });
      expect(decoded?.header).toMatchObject({ alg: 'RS256', kid });
      const jwk = res.body.keys.find((k) => k.kid === kid);
      if (!jwk) throw new Error('kid not served');
      const payload = jwt.verify(signed, createPublicKey({ key: jwk, format: 'jwk' }), { algorithms: ['RS256'] });
      expect(payload).toMatchObject({ aud: 'http://relay', exp: expect.any(Number) });
    });

    it('can sign unsigned (alg none) tokens for negative tests, and sign over HTTP', async () => {
      expect(env.sandbox.jwks.sign({ a: 1 }, { alg: 'none' }).endsWith('.')).toBe(true);
      const res = await call<{ token: string }>(env.sandbox, '/_sandbox/jwks/sign', { method: 'POST', body: { payload: { aud: 'x' } } });
      expect(jwt.decode(res.body.token, { complete: true })?.header.kid).toBe(env.sandbox.jwks.kids[0]);
    });
  });
});

describe('sandbox close', () => {
  it('returns promptly even while a call hangs', async () => {
    const sandbox = await startSandbox();
    sandbox.faults.add({ route: 'jwks', hang: true });
    const pending = fetch(`${sandbox.url}/.well-known/jwks`).then(
      (r) => r.status,
      () => 'dropped',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const start = performance.now();
    await sandbox.close();
    expect(performance.now() - start).toBeLessThan(1000);
    expect(await pending).toBe('dropped');
  });
});
