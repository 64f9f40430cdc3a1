import axios, { AxiosAdapter, AxiosError, AxiosResponse, CanceledError, InternalAxiosRequestConfig } from 'axios';
import { Agent as HttpAgent, IncomingMessage, request as httpRequest, RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { brotliDecompress, inflateRaw, unzip } from 'node:zlib';

const ACCEPT_ENCODING = 'gzip, compress, deflate, br';
type Inflate = (buffer: Buffer, options: { maxOutputLength: number }, done: (error: Error | null, result: Buffer) => void) => void;
const INFLATE: Record<string, Inflate> = { gzip: unzip, 'x-gzip': unzip, compress: unzip, 'x-compress': unzip, 'deflate-raw': inflateRaw, br: brotliDecompress };

/**
 * Axios's Node adapter (URL re-parsing, redirect, proxy and stream machinery per call) cost more
 * CPU than the exchange; this one does one `http.request` and fails with the same AxiosError codes.
 * Proxied, redirect-following or streamed calls still go to axios's adapter.
 */
export function nodeHttpAdapter(fallback: AxiosAdapter = axios.getAdapter('http')): AxiosAdapter {
  return (config) => (covers(config) ? exchange(config) : fallback(config));
}

function covers(config: InternalAxiosRequestConfig): boolean {
  return !config.proxy && config.maxRedirects === 0 && !config.baseURL && (config.responseType ?? 'json') === 'json' && !config.socketPath && !config.auth && config.decompress !== false;
}

function exchange(config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(config.url!);
    const https = url.protocol === 'https:';
    const headers = config.headers;
    if (!headers.has('User-Agent')) headers.set('User-Agent', `axios/${axios.VERSION}`);
    headers.set('Accept-Encoding', ACCEPT_ENCODING, false);
    const body = bodyOf(config.data);
    if (body !== undefined) headers.setContentLength(body.length);
    const options: RequestOptions = {
      method: (config.method ?? 'get').toUpperCase(),
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      headers: headers.toJSON() as Record<string, string>,
      agent: (https ? config.httpsAgent : config.httpAgent) as HttpAgent | HttpsAgent | undefined,
    };
    const signal = config.signal as AbortSignal | undefined;
    let settled = false;
    const finish = (error: Error | undefined, response?: AxiosResponse) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(response!);
    };
    const req = (https ? httpsRequest : httpRequest)(options, (res) => read(config, req, res, finish));
    const fail = (error: Error) => {
      finish(error);
      req.destroy();
    };
    function onAbort() {
      fail(new CanceledError(undefined, config, req));
    }
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
    req.on('error', (error) => finish(AxiosError.from(error, undefined, config, req)));
    if (config.timeout) {
      req.setTimeout(config.timeout, () => fail(new AxiosError(config.timeoutErrorMessage || `timeout of ${config.timeout}ms exceeded`, AxiosError.ECONNABORTED, config, req)));
    }
    req.end(body);
  });
}

function bodyOf(data: unknown): Buffer | undefined {
  if (data === undefined || data === null) return undefined;
  if (Buffer.isBuffer(data)) return data;
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  throw new AxiosError('Data after transformation must be a string or a Buffer', AxiosError.ERR_BAD_REQUEST);
}

function read(config: InternalAxiosRequestConfig, req: ReturnType<typeof httpRequest>, res: IncomingMessage, finish: (error: Error | undefined, response?: AxiosResponse) => void): void {
  const limit = config.maxContentLength !== undefined && config.maxContentLength > -1 ? config.maxContentLength : Infinity;
  const chunks: Buffer[] = [];
  let length = 0;
  const tooLarge = () => new AxiosError(`maxContentLength size of ${limit} exceeded`, AxiosError.ERR_BAD_RESPONSE, config, req);
  res.on('data', (chunk: Buffer) => {
    length += chunk.length;
    if (length > limit) {
      finish(tooLarge());
      res.destroy();
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  res.on('aborted', () => finish(new AxiosError('stream has been aborted', AxiosError.ERR_BAD_RESPONSE, config, req)));
  res.on('error', (error) => finish(AxiosError.from(error, undefined, config, req)));
  res.on('end', () => {
    const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length);
    const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase();
    const inflate = config.method === 'head' || res.statusCode === 204 || raw.length === 0 ? undefined : encoding === 'deflate' ? ((raw[0] & 0x0f) === 8 ? unzip : inflateRaw) : INFLATE[encoding];
    const done = (buffer: Buffer) => {
      if (inflate) delete res.headers['content-encoding'];
      const text = buffer.toString('utf8');
      const response: AxiosResponse = {
        data: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text,
        status: res.statusCode!,
        statusText: res.statusMessage ?? '',
        headers: res.headers as AxiosResponse['headers'],
        config,
        request: req,
      };
      const valid = config.validateStatus;
      if (!valid || valid(response.status)) return finish(undefined, response);
      const code = response.status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST;
      finish(new AxiosError(`Request failed with status code ${response.status}`, code, config, req, response));
    };
    if (!inflate) return done(raw);
    inflate(raw, { maxOutputLength: limit === Infinity ? 2 ** 31 - 1 : limit }, (error, buffer) => {
      if (error) finish((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? tooLarge() : AxiosError.from(error, AxiosError.ERR_BAD_RESPONSE, config, req));
      else done(buffer);
    });
  });
}
