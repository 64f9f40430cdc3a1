/**
 * "Secrets never appear in logs", checked on the production entry point.
 *
 * The built relay, started as `npm run start:prod` starts it, runs with
 * LOG_LEVEL=trace and its stdout/stderr are captured. A recording proxy sits between the relay
 * and the Defender sandbox, so the test knows every access token the sandbox issued and every
 * Authorization header it received. A script of requests then touches every secret: HS256 and
 * RS256 module JWTs carrying a client_secret, token fetches, observe, Azure AD and Defender
 * failures, an internal error, bad JWTs and watchdog probes. No log line may contain any of them.
 */
import { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, request as httpRequest, Server, ServerResponse } from 'node:http';
import { AddressInfo, createServer as createTcpServer } from 'node:net';
import { join } from 'node:path';
import { sign } from 'jsonwebtoken';
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_MACHINE_IDS,
  DEMO_TENANT_ID,
  OTHER_CLIENT_ID,
  OTHER_CLIENT_SECRET,
  OTHER_TENANT_ID,
  Sandbox,
  startSandbox,
} from '../apps/defender-sandbox/src';
import { spawnRelay } from '../scripts/relay-process';

const ROOT = join(__dirname, '..');
/** Distinctive values, so that a leak cannot hide behind a common substring. */
const SECRET_KEY = `logtest-secret-key-${randomBytes(16).toString('hex')}`;
const WRONG_SECRET = `LogTest~wrong-secret_${randomBytes(12).toString('hex')}`;
const PROBE_VALUE = `probe-${randomBytes(8).toString('hex')}`;

interface Recorded {
  /** Authorization header values the sandbox received (through the proxy). */
  authorizations: Set<string>;
  /** access_token values the sandbox's token endpoint issued. */
  accessTokens: Set<string>;
  calls: number;
}

/** Forwards everything to the sandbox and remembers the credentials that went by. */
function startRecordingProxy(target: string, recorded: Recorded): Promise<Server> {
  const upstream = new URL(target);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    recorded.calls++;
    if (typeof req.headers.authorization === 'string') recorded.authorizations.add(req.headers.authorization);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (c: Buffer) => body.push(c));
          answer.on('end', () => {
            const text = Buffer.concat(body);
            try {
              const token = (JSON.parse(text.toString('utf8')) as { access_token?: unknown }).access_token;
              if (typeof token === 'string') recorded.accessTokens.add(token);
            } catch {
              // not JSON
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(text);
          });
          answer.on('error', () => res.destroy());
        },
      );
      forward.on('error', () => res.destroy());
      // The relay gave up (timeout): stop waiting for the sandbox too.
      res.on('close', () => forward.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createTcpServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read arbitrary JSON
  body: any;
}

describe('logs never contain secrets (production entry point, LOG_LEVEL=trace)', () => {
  let sandbox: Sandbox;
  let proxy: Server;
  let proxyUrl: string;
  let relayUrl: string;
  let child: ChildProcess;
  let output = '';
  const recorded: Recorded = { authorizations: new Set(), accessTokens: new Set(), calls: 0 };
  /** Every JWT the script sent. */
  const jwts: string[] = [];
  let exitCode: number | null = null;

  const hs = (claims: Record<string, unknown>, key = SECRET_KEY, alg: 'HS256' | 'HS384' = 'HS256') => remember(sign(claims, key, { algorithm: alg }));
  const remember = (jwt: string) => {
    jwts.push(jwt);
    return jwt;
  };
  const demo = { client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID };
  const other = { client_id: OTHER_CLIENT_ID, client_secret: OTHER_CLIENT_SECRET, tenant_id: OTHER_TENANT_ID };

  async function call(method: 'GET' | 'POST', path: string, options: { jwt?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    if (options.jwt) headers.authorization = `Bearer ${options.jwt}`;
    const res = await fetch(`${relayUrl}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep the text
    }
    return { status: res.status, body };
  }

  beforeAll(async () => {
    sandbox = await startSandbox();
    proxy = await startRecordingProxy(sandbox.url, recorded);
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const port = await freePort();
    relayUrl = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'trace',
      SECRET_KEY,
      RELAY_PUBLIC_URL: relayUrl,
      DEFENDER_LOGIN_URL: proxyUrl,
      DEFENDER_API_URL: proxyUrl,
      GRAPH_API_URL: proxyUrl,
      JWKS_HOSTS: proxyUrl,
      DEFENDER_RATE_LIMIT: 'off',
      UPSTREAM_TIMEOUT_MS: '1000',
      REQUEST_DEADLINE_MS: '4000',
    };
    child = spawnRelay(env, ['ignore', 'pipe', 'pipe']);
    child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.on('exit', (code) => (exitCode = code));
    for (let i = 0; ; i++) {
      if (exitCode !== null) throw new Error(`the relay exited with ${exitCode}:\n${output.slice(-2000)}`);
      if (i > 150) throw new Error(`the relay did not answer /version within 15 s:\n${output.slice(-2000)}`);
      try {
        if ((await fetch(`${relayUrl}/version`)).ok) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await script();
    await stopRelay();
    // LOGGING_TEST_DUMP=/tmp/relay.log keeps what the relay printed, for a human look.
    if (process.env.LOGGING_TEST_DUMP) writeFileSync(process.env.LOGGING_TEST_DUMP, output);
  }, 180_000);

  afterAll(async () => {
    if (child && exitCode === null) child.kill('SIGKILL');
    await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
    await sandbox?.close();
  });

  async function stopRelay(): Promise<void> {
    if (exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  /** The requests that touch secrets; each one's outcome is checked so the script really ran. */
  const outcomes: Record<string, Answer> = {};
  async function script(): Promise<void> {
    const rid = (name: string) => ({ 'x-request-id': `logtest-${name}` });
    const observables = JSON.parse(readFileSync(join(ROOT, 'observables.json'), 'utf8')) as unknown[];
    const hsDemo = hs(demo);
    const rsDemo = remember(sandbox.jwks.sign({ ...demo, jwks_host: new URL(proxyUrl).host, aud: relayUrl }, { expiresIn: 300 }));

    outcomes.version = await call('GET', '/version', { headers: rid('version') });
    for (let i = 0; i < 3; i++) outcomes.watchdog = await call('GET', '/watchdog', { headers: { 'health-check': PROBE_VALUE, ...rid('watchdog') } });
    outcomes.watchdogMissing = await call('GET', '/watchdog', { headers: rid('watchdog-missing') });

    // Token fetch (HS256), then the RS256 configuration token (JWKS fetch, same credentials).
    outcomes.healthHs = await call('POST', '/health', { jwt: hsDemo, headers: rid('health-hs') });
    outcomes.healthRs = await call('POST', '/health', { jwt: rsDemo, headers: rid('health-rs') });
    outcomes.observe = await call('POST', '/observe/observables', { jwt: hsDemo, body: observables, headers: rid('observe') });
    outcomes.deliberate = await call('POST', '/deliberate/observables', { jwt: rsDemo, body: observables, headers: rid('deliberate') });
    outcomes.refer = await call('POST', '/refer/observables', { jwt: hsDemo, body: observables, headers: rid('refer') });
    outcomes.respond = await call('POST', '/respond/observables', { jwt: hsDemo, body: [{ type: 'ms_machine_id', value: DEMO_MACHINE_IDS.win10 }], headers: rid('respond') });
    outcomes.trigger = await call('POST', '/respond/trigger', {
      jwt: hsDemo,
      body: { 'action-id': 'microsoft-defender-add-indicator-alert', observable_type: 'domain', observable_value: 'logtest.example' },
      headers: rid('trigger'),
    });

    // Azure AD failures: a 500 on the token endpoint (fresh credentials, so no cached token), a wrong secret.
    sandbox.faults.add({ route: 'token', status: 500 });
    outcomes.token500 = await call('POST', '/health', { jwt: hs(other), headers: rid('token-500') });
    sandbox.faults.clear();
    outcomes.wrongSecret = await call('POST', '/health', { jwt: hs({ ...demo, client_secret: WRONG_SECRET }), headers: rid('wrong-secret') });
    // Defender 401 with a cached token: the relay drops it, fetches a new one, and gets 401 again.
    sandbox.faults.add({ route: 'alerts.list', status: 401 });
    outcomes.api401 = await call('POST', '/health', { jwt: hsDemo, headers: rid('api-401') });
    sandbox.faults.clear();
    // Expired tokens: one refresh, then success.
    sandbox.expireTokens();
    outcomes.expired = await call('POST', '/health', { jwt: hsDemo, headers: rid('expired') });
    // Defender hangs: the per-call timeout.
    sandbox.faults.add({ route: 'alerts.list', hang: true });
    outcomes.timeout = await call('POST', '/health', { jwt: hsDemo, headers: rid('timeout') });
    sandbox.faults.clear();
    // An internal error: Defender answers 200 with alerts that are not objects.
    sandbox.faults.add({ route: 'alerts.byIp', status: 200, body: { value: [null, null, 7] } });
    outcomes.internal = await call('POST', '/observe/observables', { jwt: hsDemo, body: [{ type: 'ip', value: '198.51.100.23' }], headers: rid('internal') });
    sandbox.faults.clear();
    // Deep nesting in an ignored field (it once crashed the pipe, see test/fuzz).
    outcomes.deep = await call('POST', '/refer/observables', {
      jwt: hsDemo,
      body: [{ type: 'ip', value: '10.0.0.1', x: JSON.parse(`${'['.repeat(3000)}${']'.repeat(3000)}`) as unknown }],
      headers: rid('deep'),
    });

    // Bad JWTs: wrong key (claims still carry the secret), a disallowed alg, an expired one, garbage.
    outcomes.badKey = await call('POST', '/refer/observables', { jwt: hs(demo, `not-the-key-${SECRET_KEY}`), body: [], headers: rid('bad-key') });
    outcomes.badAlg = await call('POST', '/refer/observables', { jwt: hs(demo, SECRET_KEY, 'HS384'), body: [], headers: rid('bad-alg') });
    outcomes.expiredJwt = await call('POST', '/refer/observables', { jwt: hs({ ...demo, exp: Math.floor(Date.now() / 1000) - 60 }), body: [], headers: rid('expired-jwt') });
    outcomes.garbage = await call('POST', '/health', { jwt: remember(`${hsDemo.split('.')[0]}.${hsDemo.split('.')[1]}.AAAA`), headers: rid('garbage') });
    outcomes.final = await call('GET', '/version', { headers: rid('final') });
    // Wait until the last request's line is out, then stop the relay (which flushes the rest).
    for (let i = 0; i < 50 && !output.includes('logtest-final'); i++) await new Promise((r) => setTimeout(r, 100));
  }

  const lines = () => output.split('\n').filter((l) => l.trim() !== '');
  const parsed = () =>
    lines().map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return { unparsed: line } as Record<string, unknown>;
      }
    });
  const requestLines = () => parsed().filter((l) => typeof l.req === 'object' && l.req !== null && typeof (l.req as { url?: unknown }).url === 'string');

  it('ran the whole script against a relay that logs at trace level', () => {
    expect(outcomes.version.body).toEqual({ version: expect.any(String) });
    expect(outcomes.watchdog.body).toEqual({ data: PROBE_VALUE });
    expect(outcomes.healthHs.body).toEqual({ data: expect.objectContaining({ status: 'ok', hunting: 'graph' }) });
    expect(outcomes.healthRs.body).toEqual({ data: expect.objectContaining({ status: 'ok', hunting: 'graph' }) });
    expect(outcomes.observe.body.data.sightings.count).toBeGreaterThan(0);
    expect(outcomes.refer.body.data.length).toBeGreaterThan(0);
    expect(outcomes.trigger.body).toEqual({ data: { status: 'success' } });
    // (What code an Azure AD 500 maps to is not this test's business; it must be an error envelope.)
    expect(outcomes.token500.body.errors[0]).toMatchObject({ type: 'fatal', message: expect.any(String) });
    expect(outcomes.wrongSecret.body.errors[0]).toMatchObject({ code: 'authorization error', message: expect.stringContaining('AADSTS7000215') });
    expect(outcomes.api401.body.errors[0]).toMatchObject({ code: 'authorization error' });
    expect(outcomes.expired.body).toEqual({ data: expect.objectContaining({ status: 'ok', hunting: 'graph' }) });
    expect(outcomes.timeout.body.errors[0]).toMatchObject({ code: 'timeout' });
    expect(outcomes.deep.body.data).toHaveLength(1);
    expect(outcomes.internal.body.errors.map((e: { code: string }) => e.code)).toContain('internal error');
    expect(outcomes.badKey.body.errors[0]).toMatchObject({ code: 'authorization error' });
    expect(outcomes.badAlg.body.errors[0]).toMatchObject({ code: 'authorization error' });
    expect(outcomes.expiredJwt.body.errors[0]).toMatchObject({ code: 'authorization error', message: 'Authorization failed: JWT has expired' });
    expect(outcomes.garbage.body.errors[0]).toMatchObject({ code: 'authorization error' });
    // The sandbox issued several tokens (initial, other tenant, after the 401, after expiry) and saw them used.
    expect(recorded.accessTokens.size).toBeGreaterThanOrEqual(3);
    expect([...recorded.authorizations].some((a) => a.startsWith('Bearer eyJ'))).toBe(true);
    expect(sandbox.stats.count('token')).toBeGreaterThanOrEqual(recorded.accessTokens.size);
    expect(exitCode).not.toBeNull();
  });

  it('logs request lines (so this test fails if logging is off), and they are JSON', () => {
    const ids = new Set(requestLines().map((l) => (l.req as { id?: unknown }).id));
    for (const name of ['version', 'health-hs', 'health-rs', 'observe', 'token-500', 'api-401', 'internal', 'bad-key', 'final']) {
      expect([name, ids.has(`logtest-${name}`)]).toEqual([name, true]);
    }
    expect(parsed().filter((l) => 'unparsed' in l)).toEqual([]);
    // Authenticated request lines carry the tenant as a short hash, not as its id.
    const health = requestLines().find((l) => (l.req as { id?: unknown }).id === 'logtest-health-hs');
    expect(health?.tenant).toBe(createHash('sha256').update(DEMO_TENANT_ID).digest('hex').slice(0, 12));
    expect(lines().filter((l) => l.includes(DEMO_TENANT_ID))).toEqual([]);
    // The unhandled errors are logged (with their error id) for the operator.
    expect(parsed().filter((l) => typeof l.msg === 'string' && l.msg.startsWith('Unhandled error')).length).toBeGreaterThanOrEqual(1);
  });

  it('never logs a client_secret, SECRET_KEY, a JWT or its signature, or an access token', () => {
    const secrets: Array<[string, string]> = [
      ['demo client_secret', DEMO_CLIENT_SECRET],
      ['other client_secret', OTHER_CLIENT_SECRET],
      ['wrong client_secret', WRONG_SECRET],
      ['SECRET_KEY', SECRET_KEY],
    ];
    for (const jwt of jwts) {
      const [, payload, signature] = jwt.split('.');
      secrets.push(['JWT', jwt], ['JWT payload (carries the secret)', payload]);
      if (signature && signature.length >= 8) secrets.push(['JWT signature', signature]);
    }
    for (const token of recorded.accessTokens) secrets.push(['access token', token], ['access token (random part)', token.replace(/^sbx\./, '').slice(0, 20)]);
    for (const header of recorded.authorizations) secrets.push(['Authorization header', header], ['bearer value', header.replace(/^Bearer\s+/i, '')]);

    const leaks = lines().flatMap((line) => secrets.filter(([, value]) => line.includes(value)).map(([what]) => `${what} in: ${line.slice(0, 300)}`));
    expect(leaks).toEqual([]);
    expect(secrets.length).toBeGreaterThan(20);
  });

  it('keeps /watchdog probes out of the logs', () => {
    const started = lines().findIndex((l) => l.includes('successfully started'));
    expect(started).toBeGreaterThanOrEqual(0);
    const afterStart = lines().slice(started + 1);
    expect(afterStart.filter((l) => /watchdog/i.test(l) || l.includes(PROBE_VALUE))).toEqual([]);
    expect(requestLines().filter((l) => String((l.req as { url: string }).url).includes('watchdog'))).toEqual([]);
  });
});
