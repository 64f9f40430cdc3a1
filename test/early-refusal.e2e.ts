/**
 * A request to a protected route is refused before its body is read unless it carries a
 * well-formed bearer JWT: the guard's own answer, and the connection closed. Raw sockets, because
 * what matters is that the relay answers while the client is still sending (or has stopped).
 */
import { connect } from 'node:net';
import { RelayHarness, startRelay } from './support/relay-harness';
import { hsToken, unsignedToken } from './support/tokens';
import { bodyOf, headerOf } from './support/raw-http';

const PROTECTED_ROUTES = ['/health', '/refer/observables', '/observe/observables', '/deliberate/observables', '/respond/observables', '/respond/trigger', '/tiles', '/tiles/tile', '/tiles/tile-data'];

interface Outcome {
  received: string;
  closedByRelay: boolean;
}

/**
 * Sends the head of a POST announcing a 1 MiB body and 64 KiB of it, then nothing: only a relay
 * that answers without the rest of the body (and closes) ends this before `giveUpMs`.
 */
function stalledPost(url: string, path: string, authorization: string | undefined, giveUpMs = 5000): Promise<Outcome> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    const timer = setTimeout(() => finish(false), giveUpMs);
    const finish = (closedByRelay: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ received, closedByRelay });
    };
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => finish(true));
    socket.on('connect', () => {
      const auth = authorization === undefined ? '' : `Authorization: ${authorization}\r\n`;
      socket.write(`POST ${path} HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n${auth}Content-Length: ${1024 * 1024}\r\n\r\n`);
      socket.write(Buffer.alloc(64 * 1024, 0x20));
    });
  });
}

const authError = (message: string) => ({ errors: [{ type: 'fatal', code: 'authorization error', message: `Authorization failed: ${message}` }] });

describe('no body before a bearer', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay({ REQUEST_TIMEOUT_MS: '20000' })));
  afterAll(() => relay.close());

  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

  it.each<[string, string | undefined, string]>([
    ['no Authorization header', undefined, 'Authorization header is missing'],
    ['another scheme', 'Basic dXNlcjpwYXNz', 'Wrong authorization type'],
    ['a bearer that is not a JWT', 'Bearer not-a-jwt', 'Wrong JWT structure'],
    ['a JWT with two parts', `Bearer ${b64({ alg: 'HS256' })}.${b64({})}`, 'Wrong JWT structure'],
    ['a header that is not JSON', `Bearer ${Buffer.from('nope').toString('base64url')}.${b64({})}.sig`, 'Wrong JWT structure'],
    ['alg none', `Bearer ${unsignedToken()}`, "JWT algorithm 'none' is not accepted; use HS256 or RS256"],
    ['alg HS512', `Bearer ${b64({ alg: 'HS512' })}.${b64({})}.sig`, "JWT algorithm 'HS512' is not accepted; use HS256 or RS256"],
  ])('%s: answered at once with the guard’s message, connection closed, body never awaited', async (_name, authorization, message) => {
    const outcome = await stalledPost(relay.url, '/observe/observables', authorization);
    expect(outcome.closedByRelay).toBe(true);
    expect(outcome.received.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(headerOf(outcome.received, 'connection')).toBe('close');
    expect(headerOf(outcome.received, 'x-content-type-options')).toBe('nosniff');
    expect(bodyOf(outcome.received)).toEqual(authError(message));
  });

  it('every protected route refuses early; the same message as the guard gives a complete request', async () => {
    for (const path of PROTECTED_ROUTES) {
      const outcome = await stalledPost(relay.url, path, 'Bearer bad.token.here');
      expect({ path, closed: outcome.closedByRelay, body: bodyOf(outcome.received) }).toEqual({ path, closed: true, body: authError('Wrong JWT structure') });
      const complete = await relay.post(path, [], { token: 'bad.token.here' });
      expect(complete.body).toEqual(authError('Wrong JWT structure'));
    }
  });

  it('a well-formed bearer is let through to read its body (and the guard), so a stalled one waits for the request timeout', async () => {
    const outcome = await stalledPost(relay.url, '/observe/observables', `Bearer ${hsToken()}`, 1500);
    expect(outcome).toEqual({ received: '', closedByRelay: false });
  });

  it('public routes and unknown routes are not touched; the relay keeps serving', async () => {
    expect((await relay.post('/version', undefined, { token: null })).body).toEqual({ version: expect.any(String) });
    expect((await relay.get('/watchdog')).status).toBe(200);
    expect((await relay.post('/no-such-route', [], { token: null })).status).toBe(404);
    expect((await relay.post('/refer/observables', [{ type: 'ip', value: '10.0.0.1' }])).body.data).toHaveLength(1);
  });
});
