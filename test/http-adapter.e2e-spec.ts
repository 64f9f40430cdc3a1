/**
 * The axios adapter under the Defender HttpService, over real sockets against a plain HTTP
 * server: what it decodes, and that it fails as axios's own adapter does (same codes), since
 * the error mapping reads them.
 */
import axios, { AxiosAdapter, AxiosError, AxiosInstance } from 'axios';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { Agent } from 'node:http';
import { nodeHttpAdapter } from '../libs/defender/src/http/node-http.adapter';

describe('Defender HTTP adapter', () => {
  let server: Server;
  let base: string;
  let agent: Agent;
  let client: AxiosInstance;
  let fallbackCalls: number;
  const seen: Array<{ method?: string; url?: string; headers: Record<string, unknown>; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        if (req.url === '/gzip') {
          res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
          return res.end(gzipSync(JSON.stringify({ value: [1, 2, 3] })));
        }
        if (req.url === '/large') return res.end('x'.repeat(5000));
        if (req.url === '/slow') return; // never answers
        if (req.url === '/bom') return res.end('\ufeff{"ok":true}');
        if (req.url === '/status') {
          res.writeHead(429, { 'retry-after': '3' });
          return res.end('{"error":{"code":"TooManyRequests"}}');
        }
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ echo: body, method: req.method }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    agent = new Agent({ keepAlive: true });
    const fallback: AxiosAdapter = (config) => {
      fallbackCalls++;
      return axios.getAdapter('http')(config);
    };
    client = axios.create({ httpAgent: agent, adapter: nodeHttpAdapter(fallback), maxRedirects: 0, responseType: 'json', validateStatus: () => true });
  });

  beforeEach(() => {
    seen.length = 0;
    fallbackCalls = 0;
  });

  afterAll(async () => {
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the method, query, headers and JSON body, and parses the JSON answer', async () => {
    const res = await client.request({ method: 'POST', url: `${base}/echo?a=1%202`, data: { q: 'x' }, headers: { Authorization: 'Bearer t', 'User-Agent': 'relay' } });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ echo: '{"q":"x"}', method: 'POST' });
    expect(seen[0]).toMatchObject({ url: '/echo?a=1%202', headers: { authorization: 'Bearer t', 'user-agent': 'relay', 'content-length': '9', 'accept-encoding': 'gzip, compress, deflate, br' } });
    expect(fallbackCalls).toBe(0);
  });

  it('decodes a gzip answer and strips a byte-order mark', async () => {
    expect((await client.get(`${base}/gzip`)).data).toEqual({ value: [1, 2, 3] });
    expect((await client.get(`${base}/bom`)).data).toEqual({ ok: true });
  });

  it('answers any status to validateStatus, with the headers', async () => {
    const res = await client.get(`${base}/status`);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('3');
    await expect(client.get(`${base}/status`, { validateStatus: (s) => s < 400 })).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST', response: { status: 429 } });
  });

  it('fails as axios does: too large, timeout, cancelled, refused', async () => {
    await expect(client.get(`${base}/large`, { maxContentLength: 1000 })).rejects.toMatchObject({ code: 'ERR_BAD_RESPONSE', message: 'maxContentLength size of 1000 exceeded' });
    await expect(client.get(`${base}/slow`, { timeout: 100 })).rejects.toMatchObject({ code: 'ECONNABORTED', message: 'timeout of 100ms exceeded' });
    await expect(client.get(`${base}/slow`, { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({ code: 'ERR_CANCELED' });
    const refused = await client.get('http://127.0.0.1:1/').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AxiosError);
    expect((refused as AxiosError).code).toBe('ECONNREFUSED');
    expect(fallbackCalls).toBe(0);
  });

  it('leaves proxied and redirect-following calls to axios’s own adapter', async () => {
    await client.get(`${base}/echo`, { maxRedirects: 5 });
    await client.get(`${base}/echo`, { proxy: { protocol: 'http', host: '127.0.0.1', port: Number(new URL(base).port) } });
    expect(fallbackCalls).toBe(2);
  });
});
