import axios, { AxiosAdapter, AxiosError, AxiosInstance, getAdapter } from 'axios';
import { Agent, createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { transportFailure } from './error-mapping';
import { nodeHttpAdapter } from './node-http.adapter';

// The adapter over real loopback sockets: what axios's own adapter would answer, for the calls it takes.

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

describe('nodeHttpAdapter', () => {
  let server: Server;
  let base: string;
  let handler: Handler;
  let agent: Agent;
  let fallbackCalls: number;
  let http: AxiosInstance;
  const lean = { maxRedirects: 0, responseType: 'json' as const, validateStatus: () => true };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => handler(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));

  beforeEach(() => {
    agent = new Agent({ keepAlive: true });
    fallbackCalls = 0;
    const fallback = getAdapter('http');
    const counted: AxiosAdapter = (config) => (fallbackCalls++, fallback(config));
    http = axios.create({ httpAgent: agent, proxy: false, adapter: nodeHttpAdapter(counted) });
  });
  afterEach(() => agent.destroy());

  const json = (status: number, value: unknown, headers: Record<string, string> = {}): Handler => (_req, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(value));
  };

  it('sends the method, headers and body, and answers the parsed JSON with status and headers', async () => {
    let seen: { method?: string; url?: string; headers?: IncomingMessage['headers']; body?: string } = {};
    handler = (req, res, body) => {
      seen = { method: req.method, url: req.url, headers: req.headers, body };
      json(429, { error: { code: 'TooManyRequests' } }, { 'Retry-After': '7' })(req, res, body);
    };
    const response = await http.request({ ...lean, method: 'POST', url: `${base}/api/x?a=1%202`, data: { q: 'é' }, headers: { Authorization: 'Bearer t', 'User-Agent': 'relay' } });
    expect(response.status).toBe(429);
    expect(response.data).toEqual({ error: { code: 'TooManyRequests' } });
    expect(response.headers['retry-after']).toBe('7');
    expect(seen).toMatchObject({ method: 'POST', url: '/api/x?a=1%202', body: '{"q":"é"}' });
    expect(seen.headers).toMatchObject({ authorization: 'Bearer t', 'user-agent': 'relay', 'content-type': 'application/json', 'content-length': '10', 'accept-encoding': 'gzip, compress, deflate, br' });
    expect(fallbackCalls).toBe(0);
  });

  it('reuses one keep-alive socket for calls in a row', async () => {
    const ports = new Set<number>();
    handler = (req, res) => (ports.add(req.socket.remotePort ?? 0), json(200, {})(req, res, ''));
    for (let i = 0; i < 3; i++) await http.request({ ...lean, url: `${base}/a` });
    expect(ports.size).toBe(1);
  });

  it.each([
    ['gzip', gzipSync],
    ['br', brotliCompressSync],
  ])('decompresses a %s answer', async (encoding, compress) => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': encoding });
      res.end(compress(Buffer.from(JSON.stringify({ value: ['a'] }))));
    };
    const response = await http.request({ ...lean, url: `${base}/z` });
    expect(response.data).toEqual({ value: ['a'] });
    expect(response.headers['content-encoding']).toBeUndefined();
  });

  it('answers 204 without a body', async () => {
    handler = (_req, res) => res.writeHead(204).end();
    const response = await http.request({ ...lean, method: 'DELETE', url: `${base}/d` });
    expect(response.status).toBe(204);
    expect(response.data).toBe('');
  });

  it('refuses an answer larger than maxContentLength, compressed or not', async () => {
    const big = JSON.stringify({ value: 'x'.repeat(5000) });
    handler = (_req, res) => res.writeHead(200).end(big);
    await expect(http.request({ ...lean, url: `${base}/big`, maxContentLength: 1000 })).rejects.toThrow('maxContentLength size of 1000 exceeded');
    handler = (_req, res) => res.writeHead(200, { 'Content-Encoding': 'gzip' }).end(gzipSync(big));
    await expect(http.request({ ...lean, url: `${base}/big`, maxContentLength: 1000 })).rejects.toThrow('maxContentLength size of 1000 exceeded');
  });

  it('gives up after `timeout` as axios does, which the client reads as a timeout', async () => {
    handler = () => undefined;
    const error = await http.request({ ...lean, url: `${base}/slow`, timeout: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AxiosError);
    expect((error as AxiosError).code).toBe('ECONNABORTED');
    expect(transportFailure('Microsoft Defender for Endpoint', error, 50).error.message).toBe('Microsoft Defender for Endpoint did not answer within 50 ms');
  });

  it('bounds a call it leaves to axios by `timeout` as a whole, though the answer keeps trickling in', async () => {
    const drips: NodeJS.Timeout[] = [];
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).write('[');
      for (let i = 1; i <= 20; i++) drips.push(setTimeout(() => res.write(i < 20 ? `${i},` : '20]'), i * 20));
    };
    const error = await http.request({ responseType: 'json', url: `${base}/trickle`, timeout: 100 }).catch((e: unknown) => e);
    drips.forEach(clearTimeout);
    expect(fallbackCalls).toBe(1);
    expect((error as AxiosError).code).toBe('ERR_CANCELED');
  });

  it('stops when its signal aborts', async () => {
    handler = () => undefined;
    const error = await http.request({ ...lean, url: `${base}/slow`, signal: AbortSignal.timeout(30) }).catch((e: unknown) => e);
    expect((error as AxiosError).code).toBe('ERR_CANCELED');
  });

  it('passes on a connection error with its code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await http.request({ ...lean, url: `http://127.0.0.1:${port}/` }).catch((e: unknown) => e);
    expect((error as AxiosError).code).toBe('ECONNREFUSED');
    expect(transportFailure('Azure AD', error, 1000).reason).toBe('refused');
  });

  it('rejects by validateStatus as axios does', async () => {
    handler = json(404, { error: { code: 'NotFound' } });
    const error = await http.request({ maxRedirects: 0, responseType: 'json', url: `${base}/missing` }).catch((e: unknown) => e);
    expect((error as AxiosError).code).toBe('ERR_BAD_REQUEST');
    expect((error as AxiosError).response?.status).toBe(404);
  });

  it('leaves to axios any call it does not take: redirects allowed, a proxy, a non-string body', async () => {
    handler = json(200, { ok: true });
    await http.request({ responseType: 'json', url: `${base}/r` });
    await http.request({ ...lean, url: `${base}/p`, proxy: { protocol: 'http', host: '127.0.0.1', port: Number(new URL(base).port) } });
    await http.request({ ...lean, method: 'POST', url: `${base}/f`, data: Buffer.from('{}') });
    expect(fallbackCalls).toBe(3);
  });
});
