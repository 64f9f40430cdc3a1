import { AxiosAdapter, AxiosError, AxiosHeaders, AxiosResponse, CanceledError, InternalAxiosRequestConfig } from 'axios';
import type { Agent, IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { brotliDecompress, constants, unzip } from 'node:zlib';

const ACCEPT_ENCODING = 'gzip, compress, deflate, br';

/** axios's transport for the relay's own calls: one `http.request` and one timer; any other call (a proxy, redirects) goes to `fallback`. */
export function nodeHttpAdapter(fallback: AxiosAdapter): AxiosAdapter {
  return (config) => (lean(config) ? send(config) : fallback(wholeCallTimeout(config)));
}

// axios's own adapter reads `timeout` as idle time on the socket, so an answer trickling in could outlast it; here it bounds the whole call.
function wholeCallTimeout(config: InternalAxiosRequestConfig): InternalAxiosRequestConfig {
  return config.timeout && !config.signal ? { ...config, signal: AbortSignal.timeout(config.timeout) } : config;
}

function lean(config: InternalAxiosRequestConfig): boolean {
  const { data, responseType } = config;
  return (
    config.maxRedirects === 0 &&
    !config.proxy &&
    !config.socketPath &&
    !config.auth &&
    (data === undefined || typeof data === 'string') &&
    (responseType === 'json' || responseType === 'text') &&
    typeof config.url === 'string' &&
    /^https?:\/\//.test(config.url)
  );
}

function send(config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
  return new Promise((resolve, reject) => {
    const url = config.url as string;
    const https = url.startsWith('https:');
    const headers = config.headers.toJSON(true) as Record<string, string>;
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'accept-encoding')) headers['Accept-Encoding'] = ACCEPT_ENCODING;
    const body = config.data === undefined ? undefined : Buffer.from(config.data as string, 'utf8');
    if (body) headers['Content-Length'] = String(body.length);
    const agent = (https ? config.httpsAgent : config.httpAgent) as Agent | undefined;
    const method = (config.method ?? 'get').toUpperCase();
    const signal = config.signal as AbortSignal | undefined;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (error: unknown, response?: AxiosResponse) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (response) resolve(response);
      else {
        req.destroy();
        reject(error);
      }
    };
    const onAbort = () => finish(new CanceledError(undefined, config, req));
    const req = (https ? httpsRequest : httpRequest)(url, { method, headers, agent }, (res) => {
      receive(res, config, method, (error, data) => {
        if (error) return finish(error);
        const response: AxiosResponse = { data, status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: new AxiosHeaders(res.headers as Record<string, string>), config, request: req };
        const valid = config.validateStatus;
        if (!valid || valid(response.status)) return finish(undefined, response);
        const code = response.status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST;
        finish(new AxiosError(`Request failed with status code ${response.status}`, code, config, req, response));
      });
    });
    req.on('error', (error) => finish(AxiosError.from(error, undefined, config, req)));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (config.timeout) {
      const code = config.transitional?.clarifyTimeoutError ? AxiosError.ETIMEDOUT : AxiosError.ECONNABORTED;
      timer = setTimeout(() => finish(new AxiosError(`timeout of ${config.timeout}ms exceeded`, code, config, req)), config.timeout);
    }
    req.end(body);
  });
}

function receive(res: IncomingMessage, config: InternalAxiosRequestConfig, method: string, done: (error: unknown, data?: string) => void): void {
  const max = config.maxContentLength !== undefined && config.maxContentLength > -1 ? config.maxContentLength : Infinity;
  const tooLarge = () => new AxiosError(`maxContentLength size of ${max} exceeded`, AxiosError.ERR_BAD_RESPONSE, config);
  const chunks: Buffer[] = [];
  let length = 0;
  res.on('data', (chunk: Buffer) => {
    length += chunk.length;
    if (length > max) {
      res.destroy();
      done(tooLarge());
    } else chunks.push(chunk);
  });
  res.on('error', (error) => done(AxiosError.from(error, undefined, config)));
  res.on('end', () => {
    if (length > max) return;
    const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length);
    const encoding = method === 'HEAD' || res.statusCode === 204 ? '' : (res.headers['content-encoding'] ?? '').toLowerCase();
    const text = (buffer: Buffer) => {
      const s = buffer.toString('utf8');
      return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
    };
    const inflated = (error: Error | null, buffer: Buffer) => {
      if (!error) return done(undefined, text(buffer));
      done((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? tooLarge() : AxiosError.from(error, undefined, config));
    };
    const maxOutputLength = Number.isFinite(max) ? max : undefined;
    if (raw.length > 0 && ['gzip', 'x-gzip', 'compress', 'x-compress', 'deflate'].includes(encoding)) {
      delete res.headers['content-encoding'];
      unzip(raw, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength }, inflated);
    } else if (raw.length > 0 && encoding === 'br') {
      delete res.headers['content-encoding'];
      brotliDecompress(raw, { finishFlush: constants.BROTLI_OPERATION_FLUSH, maxOutputLength }, inflated);
    } else done(undefined, text(raw));
  });
}
