import { generateKeyPairSync } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { sign } from 'jsonwebtoken';
import { DEMO_TENANT_DOMAIN, startSandbox } from '../apps/defender-sandbox/src';
import { createRelayApp } from '../apps/relay/src/app.factory';
import { attachRelay, relayEnv, request, RelayHarness, startRelay } from './support/relay-harness';
import { routerPaths } from './support/routes';
import { bearer, DEMO_CLAIMS, hsToken, TEST_PUBLIC_URL, unsignedToken } from './support/tokens';

// Public by design; the Swagger UI under /docs is served by its plugin, outside the guard.
const PUBLIC_ROUTES = ['/version', '/watchdog'];
const isPublic = (path: string) => PUBLIC_ROUTES.includes(path) || path === '/docs' || path.startsWith('/docs/') || path.startsWith('/docs-');

const rogue = generateKeyPairSync('rsa', { modulusLength: 2048 });

const now = () => Math.floor(Date.now() / 1000);
const ISSUED_IN_FUTURE = "Authorization failed: JWT is issued in the future: its iat is more than 5 minutes ahead of the relay's clock";
const TENANT_FORMAT = "Authorization failed: Wrong JWT payload structure: claim 'tenant_id' must be a GUID or a domain name such as contoso.onmicrosoft.com";
const CLIENT_FORMAT = "Authorization failed: Wrong JWT payload structure: claim 'client_id' must be a GUID (the Azure AD application id)";
const NO_PUBLIC_URL = 'Authorization failed: RS256 configuration tokens are not accepted because RELAY_PUBLIC_URL is not configured on the relay; set it to the URL Cisco XDR calls';

/** A POST over node:http, which (unlike fetch) sends the Host header it is given. */
function rawPost(origin: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.end('[]');
  });
}

function authError(message: string) {
  return { errors: [{ type: 'fatal', code: 'authorization error', message }] };
}

describe('JWT guard', () => {
  let relay: RelayHarness;
  let jwksHost: string;

  beforeAll(async () => {
    relay = await startRelay({ JWKS_HOSTS: 'visibility.amp.cisco.com,{sandbox},http://127.0.0.1:1' });
    jwksHost = new URL(relay.sandbox.url).host;
  });
  afterAll(() => relay.close());

  const refer = (headers: Record<string, string>) =>
    request(`${relay.url}/refer/observables`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '[]' });
  const rsClaims = () => ({ ...DEMO_CLAIMS, jwks_host: jwksHost, aud: TEST_PUBLIC_URL });

  it('accepts an HS256 token signed with SECRET_KEY', async () => {
    const res = await refer(bearer(hsToken()));
    expect(res.body).toEqual({ data: [] });
  });

  it('accepts an RS256 configuration token verified against the allow-listed JWKS host', async () => {
    const res = await refer(bearer(relay.sandbox.jwks.sign(rsClaims())));
    expect(res.body).toEqual({ data: [] });
  });

  it.each<[string, () => Record<string, string>, string]>([
    ['missing header', () => ({}), 'Authorization failed: Authorization header is missing'],
    ['wrong scheme', () => ({ authorization: `Basic ${hsToken()}` }), 'Authorization failed: Wrong authorization type'],
    ['garbage token', () => bearer('not-a-jwt'), 'Authorization failed: Wrong JWT structure'],
    ['garbage JSON inside', () => bearer('eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln'), 'Authorization failed: Wrong JWT structure'],
    ['wrong HS256 signature', () => bearer(hsToken(DEMO_CLAIMS, 'another-secret-of-enough-length')), 'Authorization failed: Failed to decode JWT with provided key. Check SECRET_KEY'],
    ['alg none', () => bearer(unsignedToken()), "Authorization failed: JWT algorithm 'none' is not accepted; use HS256 or RS256"],
    ['HS384', () => bearer(sign(DEMO_CLAIMS, 'test-secret-key-0123456789abcdef0123456789abcdef', { algorithm: 'HS384' })), "Authorization failed: JWT algorithm 'HS384' is not accepted; use HS256 or RS256"],
    ['expired', () => bearer(hsToken({ ...DEMO_CLAIMS, exp: Math.floor(Date.now() / 1000) - 60 })), 'Authorization failed: JWT has expired'],
    ['missing client_secret', () => bearer(hsToken({ client_id: DEMO_CLAIMS.client_id, tenant_id: DEMO_CLAIMS.tenant_id })), "Authorization failed: Wrong JWT payload structure: claim 'client_secret' is missing or empty"],
    ['empty tenant_id', () => bearer(hsToken({ ...DEMO_CLAIMS, tenant_id: '' })), "Authorization failed: Wrong JWT payload structure: claim 'tenant_id' is missing or empty"],
    ['iat an hour in the future', () => bearer(hsToken({ ...DEMO_CLAIMS, iat: now() + 3600 })), ISSUED_IN_FUTURE],
    ['iat of the wrong type', () => bearer(hsToken(JSON.stringify({ ...DEMO_CLAIMS, iat: 'yesterday' }))), 'Authorization failed: Wrong JWT structure'],
  ])('rejects %s', async (_name, headers, message) => {
    const res = await refer(headers());
    expect(res.status).toBe(200);
    expect(res.body).toEqual(authError(message));
  });

  it.each<[string, () => string, string]>([
    ['RS256 with an unknown kid', () => sign(rsClaims(), rogue.privateKey, { algorithm: 'RS256', keyid: 'rogue-kid' }), 'Authorization failed: kid from JWT header not found in API response'],
    [
      'RS256 signed by another key under a known kid',
      () => sign(rsClaims(), rogue.privateKey, { algorithm: 'RS256', keyid: relay.sandbox.jwks.kids[0] }),
      'Authorization failed: Failed to decode JWT with provided key. Make sure domain in custom_jwks_host corresponds to your XDR instance region.',
    ],
    ['RS256 for another relay (wrong aud)', () => relay.sandbox.jwks.sign({ ...rsClaims(), aud: 'https://other-relay.example.com' }), 'Authorization failed: Wrong configuration-token-audience'],
    [
      'RS256 without jwks_host',
      () => relay.sandbox.jwks.sign({ ...DEMO_CLAIMS, aud: TEST_PUBLIC_URL }),
      'Authorization failed: jwks_host is missing in JWT payload. Make sure custom_jwks_host field is present in module_type',
    ],
    [
      'RS256 naming a host that is not allowed',
      () => relay.sandbox.jwks.sign({ ...rsClaims(), jwks_host: 'attacker.example.com' }),
      "Authorization failed: jwks_host 'attacker.example.com' is not allowed. Make sure domain follows the visibility.<region>.cisco.com structure",
    ],
    ['RS256 expired', () => relay.sandbox.jwks.sign({ ...rsClaims(), exp: Math.floor(Date.now() / 1000) - 5 }), 'Authorization failed: JWT has expired'],
    ['RS256 without client_id', () => relay.sandbox.jwks.sign({ ...rsClaims(), client_id: undefined }), "Authorization failed: Wrong JWT payload structure: claim 'client_id' is missing or empty"],
  ])('rejects %s', async (_name, token, message) => {
    const res = await refer(bearer(token()));
    expect(res.body).toEqual(authError(message));
  });

  it('checks a token seen before again for its times, and a changed signature afresh', async () => {
    const token = hsToken({ ...DEMO_CLAIMS, exp: now() + 60 });
    expect((await refer(bearer(token))).body).toEqual({ data: [] });
    expect((await refer(bearer(token))).body).toEqual({ data: [] });
    const [head, payload] = token.split('.');
    const forged = `${head}.${payload}.${hsToken(DEMO_CLAIMS, 'another-secret-of-enough-length').split('.')[2]}`;
    expect((await refer(bearer(forged))).body).toEqual(authError('Authorization failed: Failed to decode JWT with provided key. Check SECRET_KEY'));
    // Only Date is faked: the sockets and timers of the relay keep running.
    jest.useFakeTimers({ now: Date.now() + 120_000, doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    try {
      expect((await refer(bearer(token))).body).toEqual(authError('Authorization failed: JWT has expired'));
    } finally {
      jest.useRealTimers();
    }
  });

  it('accepts a token without exp, and one whose iat is a little ahead (clock skew)', async () => {
    expect((await refer(bearer(hsToken(DEMO_CLAIMS, undefined, { noTimestamp: true })))).body).toEqual({ data: [] });
    expect((await refer(bearer(hsToken({ ...DEMO_CLAIMS, iat: now() + 120 })))).body).toEqual({ data: [] });
    expect((await refer(bearer(relay.sandbox.jwks.sign({ ...rsClaims(), iat: now() + 120 })))).body).toEqual({ data: [] });
    expect((await refer(bearer(relay.sandbox.jwks.sign({ ...rsClaims(), iat: now() + 3600 })))).body).toEqual(authError(ISSUED_IN_FUTURE));
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a lone surrogate as tenant_id', { tenant_id: '\ud800' }, TENANT_FORMAT],
    ['a path as tenant_id', { tenant_id: '../../common/oauth2' }, TENANT_FORMAT],
    ['a single-label tenant_id', { tenant_id: 'contoso' }, TENANT_FORMAT],
    ['a tenant_id with a space', { tenant_id: 'contoso .onmicrosoft.com' }, TENANT_FORMAT],
    ['a 300-character tenant_id', { tenant_id: `${'a'.repeat(60)}.`.repeat(5) + 'com' }, TENANT_FORMAT],
    ['a client_id that is not a GUID', { client_id: 'defender-relay' }, CLIENT_FORMAT],
    ['a lone surrogate as client_id', { client_id: '\udfff' }, CLIENT_FORMAT],
    ['a lone surrogate in client_secret', { client_secret: 'abc\ud800' }, "Authorization failed: Wrong JWT payload structure: claim 'client_secret' is not valid text"],
  ])('refuses %s at the guard, before anything reaches Azure AD', async (_name, claims, message) => {
    const tokensBefore = relay.sandbox.stats.count('token');
    const res = await refer(bearer(hsToken({ ...DEMO_CLAIMS, ...claims })));
    expect(res.body).toEqual(authError(message));
    expect(relay.sandbox.stats.count('token')).toBe(tokensBefore);
  });

  it('accepts a tenant domain name and any case, as Azure AD does', async () => {
    const health = (claims: Record<string, unknown>) => relay.post('/health', undefined, { token: hsToken({ ...DEMO_CLAIMS, ...claims }) });
    expect((await health({ tenant_id: DEMO_TENANT_DOMAIN.toUpperCase() })).body).toEqual({ data: expect.objectContaining({ status: 'ok', hunting: 'graph' }) });
    expect((await health({ tenant_id: DEMO_CLAIMS.tenant_id.toUpperCase(), client_id: DEMO_CLAIMS.client_id.toUpperCase() })).body).toEqual({ data: expect.objectContaining({ status: 'ok', hunting: 'graph' }) });
  });

  it('refuses a flood of made-up tenants at the guard: no request reaches Azure AD, and the relay keeps serving', async () => {
    const tokensBefore = relay.sandbox.stats.count('token');
    const made = Array.from({ length: 300 }, (_, i) => hsToken({ ...DEMO_CLAIMS, tenant_id: i % 2 ? `tenant-${i}` : `t${i}/..%2f` }));
    for (let i = 0; i < made.length; i += 50) {
      const answers = await Promise.all(made.slice(i, i + 50).map((token) => refer(bearer(token))));
      for (const res of answers) expect(res.body).toEqual(authError(TENANT_FORMAT));
    }
    expect(relay.sandbox.stats.count('token')).toBe(tokensBefore);
    expect((await relay.post('/health')).body).toEqual({ data: expect.objectContaining({ status: 'ok', hunting: 'graph' }) });
  });

  it('says so when the allowed JWKS host is unreachable, and does not fetch any other URL', async () => {
    const token = sign({ ...DEMO_CLAIMS, jwks_host: '127.0.0.1:1', aud: TEST_PUBLIC_URL }, rogue.privateKey, { algorithm: 'RS256', keyid: 'k1' });
    const res = await refer(bearer(token));
    expect(res.body.errors[0].code).toBe('authorization error');
    expect(res.body.errors[0].message).toMatch(/^Authorization failed: Wrong jwks_host in JWT payload: could not fetch the JWKS from '127\.0\.0\.1:1' \(ECONNREFUSED\)/);
  });

  it('caches the JWKS: many RS256 requests fetch it once', async () => {
    const before = relay.sandbox.stats.count('jwks');
    await Promise.all(Array.from({ length: 10 }, () => refer(bearer(relay.sandbox.jwks.sign(rsClaims())))));
    expect(relay.sandbox.stats.count('jwks') - before).toBe(0);
  });

  it('never echoes a huge jwks_host claim unbounded', async () => {
    const res = await refer(bearer(relay.sandbox.jwks.sign({ ...rsClaims(), jwks_host: `${'a'.repeat(5000)}.example` })));
    expect(res.body.errors[0].message.length).toBeLessThan(250);
  });

  it('keeps public routes public and protects every relay route', async () => {
    expect((await relay.get('/version')).body).toEqual({ version: expect.any(String) });
    expect((await relay.get('/watchdog', { 'health-check': 'ok' })).body).toEqual({ data: 'ok' });
    const posts = routerPaths(relay.app, 'POST').filter((path) => !isPublic(path));
    const gets = routerPaths(relay.app, 'GET').filter((path) => !isPublic(path));
    expect(posts).toEqual(expect.arrayContaining(['/health', '/observe/observables', '/respond/trigger', '/tiles/tile-data']));
    for (const path of posts) {
      const res = await relay.post(path, [], { token: 'bad.token.here' });
      expect({ path, body: res.body }).toEqual({ path, body: authError('Authorization failed: Wrong JWT structure') });
    }
    for (const path of gets) {
      const res = await relay.get(path, bearer('bad.token.here'));
      expect({ path, body: res.body }).toEqual({ path, body: authError('Authorization failed: Wrong JWT structure') });
    }
  });
});

describe('JWT guard without SECRET_KEY', () => {
  it('refuses HS256 tokens with a message saying why', async () => {
    const app = await createRelayApp(relayEnv('http://127.0.0.1:1', { SECRET_KEY: undefined }));
    try {
      await app.listen(0, '127.0.0.1');
      const res = await request(`${await app.getUrl()}/refer/observables`, { method: 'POST', headers: bearer(hsToken()), body: '[]' });
      expect(res.body).toEqual(authError('Authorization failed: HS256 tokens are not accepted because SECRET_KEY is not configured on the relay'));
    } finally {
      await app.close();
    }
  });
});

describe('the environment is an argument of the app, not process-wide', () => {
  it('two relays built at the same moment from different SECRET_KEYs each accept only their own tokens', async () => {
    const sandbox = await startSandbox();
    const keys = ['a'.repeat(64), 'b'.repeat(64)];
    const relays = await Promise.all(keys.map((SECRET_KEY) => attachRelay(sandbox, { SECRET_KEY })));
    try {
      for (const [i, relay] of relays.entries()) {
        expect((await relay.post('/refer/observables', [], { token: hsToken(DEMO_CLAIMS, keys[i]) })).body).toEqual({ data: [] });
        const other = await relay.post('/refer/observables', [], { token: hsToken(DEMO_CLAIMS, keys[1 - i]) });
        expect(other.body).toEqual(authError('Authorization failed: Failed to decode JWT with provided key. Check SECRET_KEY'));
      }
    } finally {
      await Promise.all(relays.map((relay) => relay.close()));
      await sandbox.close();
    }
  });
});

describe('RS256 audience: only RELAY_PUBLIC_URL, never a request header', () => {
  const OTHER = 'https://other-relay.example.com';
  const spoofs: Record<string, string>[] = [{ host: 'other-relay.example.com' }, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'other-relay.example.com' }];

  it('without RELAY_PUBLIC_URL refuses RS256 tokens whatever Host and X-Forwarded-* say and still serves HS256 (the start-up summary says RS256 is off: apps/relay/src/startup.spec.ts)', async () => {
    const relay = await startRelay({ RELAY_PUBLIC_URL: undefined, TRUST_PROXY: 'true', JWKS_HOSTS: '{sandbox}' });
    try {
      const token = relay.sandbox.jwks.sign({ ...DEMO_CLAIMS, jwks_host: new URL(relay.sandbox.url).host, aud: OTHER });
      for (const headers of spoofs) {
        const res = await rawPost(relay.url, '/refer/observables', { ...headers, ...bearer(token) });
        expect(res.body).toEqual(authError(NO_PUBLIC_URL));
      }
      expect(relay.sandbox.stats.count('jwks')).toBe(0);
      expect((await relay.post('/refer/observables', [])).body).toEqual({ data: [] });
    } finally {
      await relay.close();
    }
  });

  it('with RELAY_PUBLIC_URL refuses a token for another relay even when Host and X-Forwarded-* name it', async () => {
    const relay = await startRelay({ TRUST_PROXY: 'true', JWKS_HOSTS: '{sandbox}' });
    try {
      const claims = { ...DEMO_CLAIMS, jwks_host: new URL(relay.sandbox.url).host };
      for (const headers of spoofs) {
        const res = await rawPost(relay.url, '/refer/observables', { ...headers, ...bearer(relay.sandbox.jwks.sign({ ...claims, aud: OTHER })) });
        expect(res.body).toEqual(authError('Authorization failed: Wrong configuration-token-audience'));
      }
      const own = await rawPost(relay.url, '/refer/observables', { ...spoofs[1], ...bearer(relay.sandbox.jwks.sign({ ...claims, aud: TEST_PUBLIC_URL })) });
      expect(own.body).toEqual({ data: [] });
    } finally {
      await relay.close();
    }
  });
});

describe('JWKS key rotation', () => {
  type KeyPair = typeof rogue;
  const keyA = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyB = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = (pair: typeof keyA, kid: string) => ({ ...pair.publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' });

  let jwksHostOf = '';
  const jwksHost = () => jwksHostOf;

  /** A JWKS host serving `served` (changeable) and counting fetches, and a relay that allows only it. */
  async function rotatingJwks() {
    const { createServer } = await import('node:http');
    const jwks = { served: [jwk(keyA, 'a')], fetches: 0 };
    const server = createServer((_req, res) => {
      jwks.fetches++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: jwks.served }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const relay = await startRelay({ JWKS_HOSTS: origin });
    const claims = { ...DEMO_CLAIMS, jwks_host: new URL(origin).host, aud: TEST_PUBLIC_URL };
    const refer = (key: KeyPair, kid: string, extra: Record<string, unknown> = {}) =>
      relay.post('/refer/observables', [], { token: sign({ ...claims, ...extra }, key.privateKey, { algorithm: 'RS256', keyid: kid }) });
    const referToken = (token: string) => relay.post('/refer/observables', [], { token });
    const close = async () => (await relay.close(), server.close());
    jwksHostOf = new URL(origin).host;
    return { jwks, refer, referToken, close };
  }

  it('refetches at once for a new kid, and at most 10 times a minute for made-up ones', async () => {
    const { jwks, refer, close } = await rotatingJwks();
    try {
      expect((await refer(keyA, 'a')).body).toEqual({ data: [] });
      jwks.served = [jwk(keyA, 'a'), jwk(keyB, 'b')];
      expect((await refer(keyB, 'b')).body).toEqual({ data: [] });
      expect(jwks.fetches).toBe(2);

      for (let i = 0; i < 30; i++) await refer(rogue, `made-up-${i}`);
      expect(jwks.fetches).toBe(2 + 9);
      expect((await refer(keyA, 'a')).body).toEqual({ data: [] });
    } finally {
      await close();
    }
  });

  it('spends no refetch on a token without a plausible RSA signature, nor twice a minute on the same missing kid', async () => {
    const { jwks, refer, referToken, close } = await rotatingJwks();
    try {
      expect((await refer(keyA, 'a')).body).toEqual({ data: [] });
      const signed = (kid: string) => sign({ ...DEMO_CLAIMS, jwks_host: jwksHost(), aud: TEST_PUBLIC_URL }, rogue.privateKey, { algorithm: 'RS256', keyid: kid });
      const withSignature = (kid: string, signature: string) => `${signed(kid).split('.').slice(0, 2).join('.')}.${signature}`;
      const notFound = authError('Authorization failed: kid from JWT header not found in API response');
      for (let i = 0; i < 20; i++) {
        // Unsigned, a short signature, and one of a size no RSA key makes: none could be checked.
        expect((await referToken(withSignature(`unsigned-${i}`, ''))).body).toEqual(notFound);
        expect((await referToken(withSignature(`short-${i}`, 'c2ln'))).body).toEqual(notFound);
        expect((await referToken(withSignature(`odd-${i}`, Buffer.alloc(300, 1).toString('base64url')))).body).toEqual(notFound);
      }
      expect(jwks.fetches).toBe(1);
      // One made-up kid with a real-looking signature, 20 times: one refetch.
      for (let i = 0; i < 20; i++) expect((await refer(rogue, 'made-up')).body).toEqual(notFound);
      expect(jwks.fetches).toBe(2);
      jwks.served = [jwk(keyA, 'a'), jwk(keyB, 'b')];
      expect((await refer(keyB, 'b')).body).toEqual({ data: [] });
      expect(jwks.fetches).toBe(3);
    } finally {
      await close();
    }
  });

  it('spends no refetch on a made-up kid whose token would be refused anyway, so a real rotation is still seen at once', async () => {
    const { jwks, refer, close } = await rotatingJwks();
    try {
      expect((await refer(keyA, 'a')).body).toEqual({ data: [] });
      const refused: Array<[Record<string, unknown>, string]> = [
        [{ aud: 'https://other-relay.example.com' }, 'Authorization failed: Wrong configuration-token-audience'],
        [{ exp: now() - 10 }, 'Authorization failed: JWT has expired'],
        [{ iat: now() + 3600 }, ISSUED_IN_FUTURE],
        [{ tenant_id: 'made-up' }, TENANT_FORMAT],
        [{ client_secret: undefined }, "Authorization failed: Wrong JWT payload structure: claim 'client_secret' is missing or empty"],
      ];
      for (let i = 0; i < 40; i++) {
        const [claims, message] = refused[i % refused.length];
        expect((await refer(rogue, `made-up-${i}`, claims)).body).toEqual(authError(message));
      }
      expect(jwks.fetches).toBe(1);
      jwks.served = [jwk(keyA, 'a'), jwk(keyB, 'b')];
      expect((await refer(keyB, 'b')).body).toEqual({ data: [] });
      expect(jwks.fetches).toBe(2);
    } finally {
      await close();
    }
  });
});
