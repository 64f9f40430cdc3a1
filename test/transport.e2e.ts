/**
 * The relay's HTTP server against slow and excessive clients, and the headers every response
 * carries. Raw sockets, because a well-behaved HTTP client cannot trickle a body or hold a
 * connection open without sending.
 */
import { connect, Socket } from 'node:net';
import { RelayHarness, request, startRelay } from './support/relay-harness';
import { hsToken } from './support/tokens';
import { bodyOf, headerOf, statusLine } from './support/raw-http';

/** What came back on one raw connection before the relay closed it. */
interface RawOutcome {
  /** Everything the relay sent. */
  received: string;
  /** How many body pieces went out before the socket closed. */
  piecesSent: number;
  /** True when the relay closed the socket, false when the test gave up first. */
  closedByRelay: boolean;
}

/**
 * Opens a socket, writes `head`, then one piece every `everyMs` until `pieces` were sent or the
 * relay closes the connection. The loop is bounded by `pieces`, far longer than any timeout under
 * test, so a relay that never cuts the client shows as `closedByRelay: false`.
 */
function trickle(url: string, head: string, piece: string, options: { pieces: number; everyMs: number }): Promise<RawOutcome> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    let piecesSent = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (closedByRelay: boolean) => {
      clearInterval(timer);
      socket.destroy();
      resolve({ received, piecesSent, closedByRelay });
    };
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('error', () => undefined); // a reset while writing is one way of being cut off
    socket.on('close', () => finish(true));
    socket.on('connect', () => {
      if (head) socket.write(head);
      timer = setInterval(() => {
        if (piecesSent >= options.pieces) return finish(false);
        if (piece && socket.writable) socket.write(piece);
        piecesSent += 1;
      }, options.everyMs);
    });
  });
}

/** A keep-alive connection that has completed one request and now sits idle. */
async function idleKeepAlive(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => socket.write('GET /version HTTP/1.1\r\nHost: relay\r\n\r\n'));
    socket.once('data', () => resolve());
  });
  return socket;
}


describe('slow clients are cut off', () => {
  let relay: RelayHarness;
  // Short timeouts keep the test quick; a trickle runs for up to 30 s, far past them.
  beforeAll(async () => (relay = await startRelay({ REQUEST_TIMEOUT_MS: '1000', HEADERS_TIMEOUT_MS: '1000' })));
  afterAll(() => relay.close());

  afterEach(async () => {
    // Whatever the slow client did, the relay still answers the next caller.
    expect((await relay.post('/refer/observables', [{ type: 'ip', value: '10.0.0.1' }])).body.data).toHaveLength(1);
  });

  // A well-formed bearer: without one the body would be refused before it is read.
  const post = (extra: string) => `POST /observe/observables HTTP/1.1\r\nHost: relay\r\nAuthorization: Bearer ${hsToken()}\r\nContent-Type: application/json\r\n${extra}\r\n`;

  it('a body trickled one byte at a time is answered 408 and its socket closed', async () => {
    const outcome = await trickle(relay.url, post('Content-Length: 1000000\r\n'), '[', { pieces: 300, everyMs: 100 });
    expect(outcome.closedByRelay).toBe(true);
    expect(outcome.piecesSent).toBeLessThan(300);
    expect(statusLine(outcome.received)).toBe('HTTP/1.1 408 Request Timeout');
    expect(bodyOf(outcome.received)).toEqual({ statusCode: 408, error: 'Request Timeout', message: 'The request was not received in time' });
    expect(headerOf(outcome.received, 'connection')).toBe('close');
    expect(headerOf(outcome.received, 'x-content-type-options')).toBe('nosniff');
  });

  it('a chunked body trickled chunk by chunk is cut off the same way', async () => {
    const outcome = await trickle(relay.url, post('Transfer-Encoding: chunked\r\n'), '1\r\n[\r\n', { pieces: 300, everyMs: 100 });
    expect(outcome.closedByRelay).toBe(true);
    expect(statusLine(outcome.received)).toBe('HTTP/1.1 408 Request Timeout');
  });

  it('a partial body that then goes silent is cut off', async () => {
    const outcome = await trickle(relay.url, `${post('Content-Length: 1000\r\n')}[{"type":"ip",`, '', { pieces: 300, everyMs: 100 });
    expect(outcome.closedByRelay).toBe(true);
    expect(statusLine(outcome.received)).toBe('HTTP/1.1 408 Request Timeout');
  });

  it('headers trickled line by line, or none at all, are cut off', async () => {
    const slowHeaders = await trickle(relay.url, 'POST /observe/observables HTTP/1.1\r\n', 'X-Pad: a\r\n', { pieces: 300, everyMs: 100 });
    const silent = await trickle(relay.url, '', '', { pieces: 300, everyMs: 100 });
    expect([slowHeaders.closedByRelay, silent.closedByRelay]).toEqual([true, true]);
    expect(statusLine(slowHeaders.received)).toBe('HTTP/1.1 408 Request Timeout');
  });

  it('handling time does not count: a request whose Defender calls outlast REQUEST_TIMEOUT_MS is answered', async () => {
    relay.sandbox.latency.set('graph.hunting', 1500);
    try {
      const res = await relay.post('/observe/observables', [{ type: 'sha1', value: '4fb1cc732f4ef37e830af5cda20b3aadf133d1e2' }]);
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.sightings.count).toBeGreaterThan(0);
    } finally {
      relay.sandbox.latency.clear();
    }
  });
});

describe('connection cap', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay({ MAX_CONNECTIONS: '2' })));
  afterAll(() => relay.close());

  it('closes connections past MAX_CONNECTIONS at once, and accepts again when one frees up', async () => {
    const held = [await idleKeepAlive(relay.url), await idleKeepAlive(relay.url)];
    try {
      const refused = await trickle(relay.url, 'GET /version HTTP/1.1\r\nHost: relay\r\n\r\n', '', { pieces: 50, everyMs: 100 });
      expect(refused).toMatchObject({ closedByRelay: true, received: '' });
    } finally {
      for (const socket of held) socket.destroy();
    }
    // The relay notices the two closes shortly after they are sent.
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      status = await request(`${relay.url}/version`, { headers: { connection: 'close' } }).then(
        (res) => res.status,
        () => new Promise<number>((resolve) => setTimeout(() => resolve(0), 100)),
      );
    }
    expect(status).toBe(200);
  });
});

describe('security headers', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay()));
  afterAll(() => relay.close());

  it.each<[string, () => Promise<{ status: number; headers: Headers }>, number]>([
    ['GET /version', () => relay.get('/version'), 200],
    ['GET /watchdog', () => relay.get('/watchdog', { 'health-check': 'x' }), 200],
    ['POST /refer/observables', () => relay.post('/refer/observables', []), 200],
    ['an envelope error (bad token)', () => relay.post('/refer/observables', [], { token: 'bad' }), 200],
    ['an unknown route', () => relay.get('/nope'), 404],
    ['a wrong method', () => relay.get('/refer/observables'), 405],
  ])('%s carries nosniff, DENY and a CSP that loads nothing', async (_name, call, status) => {
    const res = await call();
    expect(res.status).toBe(status);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it('the Swagger UI page and its assets get the docs CSP: own scripts only, no framing', async () => {
    for (const path of ['/docs', '/docs/swagger-ui-init.js', '/docs-json']) {
      const res = await relay.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    }
  });

  it('Swagger UI no longer persists the pasted JWT', async () => {
    const init = String((await relay.get('/docs/swagger-ui-init.js')).body);
    expect(init).toContain('"persistAuthorization": false');
  });
});

describe('DOCS_ENABLED=off', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay({ DOCS_ENABLED: 'off' })));
  afterAll(() => relay.close());

  it('serves neither Swagger UI nor the OpenAPI document, and the API still answers', async () => {
    for (const path of ['/docs', '/docs/', '/docs-json', '/docs/swagger-ui-init.js']) {
      expect({ path, status: (await relay.get(path)).status }).toEqual({ path, status: 404 });
    }
    expect((await relay.post('/refer/observables', [{ type: 'ip', value: '10.0.0.1' }])).body.data).toHaveLength(1);
  });
});
