import { generateKeyPairSync } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import { createRelayAppWithEnv, relayEnv, request, RelayHarness, startRelay } from './support/relay-harness';
import { bearer, DEMO_CLAIMS, hsToken, unsignedToken } from './support/tokens';

const PROTECTED_ROUTES = ['/health', '/refer/observables', '/observe/observables', '/deliberate/observables', '/respond/observables', '/respond/trigger'];

const rogue = generateKeyPairSync('rsa', { modulusLength: 2048 });

function authError(message: string) {
  return { errors: [{ type: 'fatal', code: 'authorization error', message }] };
}

describe('JWT guard (C-10..C-14)', () => {
  let relay: RelayHarness;
  let jwksHost: string;

  beforeAll(async () => {
    relay = await startRelay({ JWKS_HOSTS: 'visibility.amp.cisco.com,{sandbox},http://127.0.0.1:1' });
    jwksHost = new URL(relay.sandbox.url).host;
  });
  afterAll(() => relay.close());

  const refer = (headers: Record<string, string>) =>
    request(`${relay.url}/refer/observables`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '[]' });
  const rsClaims = () => ({ ...DEMO_CLAIMS, jwks_host: jwksHost, aud: relay.url });

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
    ['missing client_secret', () => bearer(hsToken({ client_id: 'a', tenant_id: 'b' })), "Authorization failed: Wrong JWT payload structure: claim 'client_secret' is missing or empty"],
    ['empty tenant_id', () => bearer(hsToken({ ...DEMO_CLAIMS, tenant_id: '' })), "Authorization failed: Wrong JWT payload structure: claim 'tenant_id' is missing or empty"],
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
      () => relay.sandbox.jwks.sign({ ...DEMO_CLAIMS, aud: relay.url }),
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

  it('says so when the allowed JWKS host is unreachable, and does not fetch any other URL', async () => {
    const token = sign({ ...DEMO_CLAIMS, jwks_host: '127.0.0.1:1', aud: relay.url }, rogue.privateKey, { algorithm: 'RS256', keyid: 'k1' });
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
    for (const path of PROTECTED_ROUTES) {
      const res = await relay.post(path, [], { token: 'bad.token.here' });
      expect({ path, body: res.body }).toEqual({ path, body: authError('Authorization failed: Wrong JWT structure') });
    }
  });
});

describe('JWT guard without SECRET_KEY', () => {
  it('refuses HS256 tokens with a message saying why', async () => {
    const app = await createRelayAppWithEnv(relayEnv('http://127.0.0.1:1', { SECRET_KEY: undefined }));
    try {
      await app.listen(0, '127.0.0.1');
      const res = await request(`${await app.getUrl()}/refer/observables`, { method: 'POST', headers: bearer(hsToken()), body: '[]' });
      expect(res.body).toEqual(authError('Authorization failed: HS256 tokens are not accepted because SECRET_KEY is not configured on the relay'));
    } finally {
      await app.close();
    }
  });
});

describe('JWKS key rotation (C-11)', () => {
  it('refetches at once for a new kid, and at most 10 times a minute for made-up ones', async () => {
    const { createServer } = await import('node:http');
    const keyA = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyB = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = (pair: typeof keyA, kid: string) => ({ ...pair.publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' });
    let served = [jwk(keyA, 'a')];
    let fetches = 0;
    const jwks = createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: served }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const jwksOrigin = `http://127.0.0.1:${(jwks.address() as { port: number }).port}`;
    const relay = await startRelay({ JWKS_HOSTS: jwksOrigin });
    try {
      const claims = { ...DEMO_CLAIMS, jwks_host: new URL(jwksOrigin).host, aud: relay.url };
      const refer = (key: typeof keyA, kid: string) => relay.post('/refer/observables', [], { token: sign(claims, key.privateKey, { algorithm: 'RS256', keyid: kid }) });

      expect((await refer(keyA, 'a')).body).toEqual({ data: [] });
      served = [jwk(keyA, 'a'), jwk(keyB, 'b')];
      expect((await refer(keyB, 'b')).body).toEqual({ data: [] });
      expect(fetches).toBe(2);

      for (let i = 0; i < 30; i++) await refer(rogue, `made-up-${i}`);
      expect(fetches).toBe(2 + 9);
      expect((await refer(keyA, 'a')).body).toEqual({ data: [] });
    } finally {
      await relay.close();
      jwks.close();
    }
  });
});
