/**
 * Which route the relay's own calls (Azure AD, Defender, Graph, JWKS) take: straight to the
 * upstream unless OUTBOUND_PROXY is set — never through an HTTP(S)_PROXY the process happened to
 * inherit — and, in production mode, never over plain http to another machine.
 */
import { createServer, IncomingMessage, request as httpRequest, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Sandbox, startSandbox } from '../apps/defender-sandbox/src';
import { sandboxEnv, startRelayProcess } from '../scripts/relay-process';
import { RelayHarness, relayEnv, request, startRelay } from './support/relay-harness';
import { bearer, DEMO_CLAIMS, hsToken, TEST_PUBLIC_URL, TEST_SECRET_KEY } from './support/tokens';

const SHA1 = '4fb1cc732f4ef37e830af5cda20b3aadf133d1e2';

/** An RS256 configuration token whose keys the relay must fetch from the sandbox's JWKS. */
function rsToken(sandbox: Sandbox): string {
  return sandbox.jwks.sign({ ...DEMO_CLAIMS, jwks_host: new URL(sandbox.url).host, aud: TEST_PUBLIC_URL });
}

interface ProxiedCall {
  method: string;
  /** Absolute URL (forwarded request) or host:port (CONNECT). */
  target: string;
  proxyAuthorization?: string;
  /** What the proxy could read of the request body. */
  body: string;
}

/**
 * A forward proxy on loopback that notes every call: plain-http requests are forwarded (so the
 * relay gets real answers); CONNECT tunnels are noted and refused, as their far end is not reachable here.
 */
async function startRecordingProxy(): Promise<{ url: string; calls: ProxiedCall[]; close(): Promise<void> }> {
  const calls: ProxiedCall[] = [];
  const readBody = (req: IncomingMessage) =>
    new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks)));
    });
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    calls.push({ method: req.method ?? '', target: req.url ?? '', proxyAuthorization: req.headers['proxy-authorization'], body: body.toString('utf8') });
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = httpRequest(req.url ?? '', { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    upstream.end(body);
  });
  server.on('connect', (req: IncomingMessage, socket) => {
    calls.push({ method: 'CONNECT', target: req.url ?? '', proxyAuthorization: req.headers['proxy-authorization'], body: '' });
    socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('outbound proxy', () => {
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  beforeAll(async () => (proxy = await startRecordingProxy()));
  afterAll(() => proxy.close());
  beforeEach(() => (proxy.calls.length = 0));

  /** An observe call (token + Defender API) and an RS256 token (JWKS fetch): every kind of outbound call. */
  async function callEverything(relay: RelayHarness) {
    const observe = await relay.post('/observe/observables', [{ type: 'sha1', value: SHA1 }]);
    const refer = await relay.post('/refer/observables', [], { token: rsToken(relay.sandbox) });
    return { observe, refer };
  }

  it('ignores HTTP_PROXY / HTTPS_PROXY / ALL_PROXY inherited from the environment', async () => {
    // Inherited means the process environment, so this runs the built relay as a process.
    const sandbox = await startSandbox();
    const inherited = { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, ALL_PROXY: proxy.url, http_proxy: proxy.url, NO_PROXY: '', no_proxy: '' };
    const relay = await startRelayProcess({ ...relayEnv(sandbox.url), ...inherited, LOG_LEVEL: 'warn' });
    try {
      const post = (path: string, token: string) =>
        request(`${relay.url}${path}`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify([{ type: 'sha1', value: SHA1 }]) });
      const observe = await post('/observe/observables', hsToken());
      const refer = await post('/refer/observables', rsToken(sandbox));
      expect(observe.body.data.sightings.count).toBeGreaterThan(0);
      expect(refer.body.data.length).toBeGreaterThan(0);
      expect(proxy.calls).toEqual([]);
    } finally {
      await relay.stop();
      await sandbox.close();
    }
  }, 60_000);

  it('sends every call through OUTBOUND_PROXY, with the credentials of its URL', async () => {
    const relay = await startRelay({ OUTBOUND_PROXY: proxy.url.replace('http://', 'http://relay:pr%40xy@') });
    try {
      const { observe, refer } = await callEverything(relay);
      expect(observe.body.data.sightings.count).toBeGreaterThan(0);
      expect(refer.body).toEqual({ data: [] });
      const paths = proxy.calls.map((c) => new URL(c.target).pathname);
      expect(paths).toEqual(expect.arrayContaining([expect.stringMatching(/\/oauth2\/(v2\.0\/)?token$/), expect.stringMatching(/^\/api\//), '/.well-known/jwks']));
      for (const call of proxy.calls) {
        expect(call.target.startsWith(relay.sandbox.url)).toBe(true);
        expect(call.proxyAuthorization).toBe(`Basic ${Buffer.from('relay:pr@xy').toString('base64')}`);
      }
    } finally {
      await relay.close();
    }
  });

  it('reaches an https upstream through a CONNECT tunnel: the proxy never reads the client secret', async () => {
    const relay = await startRelay({ OUTBOUND_PROXY: proxy.url, DEFENDER_LOGIN_URL: 'https://login.relay-test.invalid' });
    try {
      const res = await relay.post('/observe/observables', [{ type: 'sha1', value: SHA1 }]);
      expect(res.status).toBe(200);
      expect(res.body.errors.map((e: { code: string }) => e.code)).not.toContain('internal error');
      const toLogin = proxy.calls.filter((c) => c.target.includes('login.relay-test.invalid'));
      expect(toLogin.map((c) => `${c.method} ${c.target}`)).toContain('CONNECT login.relay-test.invalid:443');
      expect(toLogin.every((c) => c.method === 'CONNECT' && c.body === '')).toBe(true);
      expect(JSON.stringify(proxy.calls)).not.toContain('client_secret');
    } finally {
      await relay.close();
    }
  });
});

describe('plain http upstreams in production mode (NODE_ENV=production)', () => {
  it('stop start-up with a message naming the variable, and loopback http still starts', async () => {
    const sandbox = await startSandbox();
    try {
      const loopback = { ...sandboxEnv(sandbox.url, TEST_SECRET_KEY), NODE_ENV: 'production', LOG_LEVEL: 'warn' };
      const failure = await startRelayProcess({ ...loopback, DEFENDER_LOGIN_URL: 'http://login.example.test' }).then(
        async (relay) => (await relay.stop(), 'started'),
        (error: Error) => error.message,
      );
      expect(failure).toContain('the relay exited with code 1');
      expect(failure).toContain('DEFENDER_LOGIN_URL: plain http:// to login.example.test is refused when NODE_ENV=production');

      const relay = await startRelayProcess(loopback);
      try {
        const res = await fetch(`${relay.url}/refer/observables`, { method: 'POST', headers: { ...bearer(hsToken()), 'content-type': 'application/json' }, body: '[]' });
        expect(await res.json()).toEqual({ data: [] });
      } finally {
        await relay.stop();
      }
    } finally {
      await sandbox.close();
    }
  }, 60_000);
});
