import { RelayError } from '@app/common';
import { AxiosError } from 'axios';

export type Upstream = 'Microsoft Defender for Endpoint' | 'Microsoft Graph' | 'Azure AD';

const TLS_CODES = /^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS|ERR_SSL|EPROTO$)/;
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'ERR_SOCKET_CLOSED']);
const MAX_MESSAGE = 500;

/** The error text Defender (`error.message`), Graph (`error.message`) or Azure AD put in a body. */
export function upstreamMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  const text = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : error;
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  const clean = redactCredentials(text.replace(/\s+/g, ' ').trim());
  return clean.length > MAX_MESSAGE ? `${clean.slice(0, MAX_MESSAGE)}…` : clean;
}

const CREDENTIAL_TEXT = [
  /\bbearer\s+[A-Za-z0-9._~+/=-]+/gi,
  /\bey[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*){1,4}/g,
  /\b(access_token|refresh_token|id_token|client_secret|assertion)(["']?\s*[:=]\s*["']?)[^\s"'&,;)]+/gi,
];

export function redactCredentials(text: string): string {
  return CREDENTIAL_TEXT.reduce((out, pattern) => out.replace(pattern, (_match, name?: string, sep?: string) => (typeof name === 'string' ? `${name}${sep}[redacted]` : '[redacted]')), text);
}

export function retryAfterSeconds(header: unknown): number | undefined {
  if (typeof header !== 'string' && typeof header !== 'number') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(String(header));
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

export function httpError(upstream: Upstream, status: number, body: unknown, options: { hunting?: boolean; retryAfter?: number } = {}): RelayError {
  const said = upstreamMessage(body);
  const suffix = said ? `: ${said}` : '';
  const upstreamStatus = status;
  switch (true) {
    case status === 401:
      return new RelayError('authorization error', `Authorization failed: ${upstream} rejected the access token${suffix}`, { upstreamStatus });
    case status === 403:
      return new RelayError('permission denied', `${upstream} refused the request${suffix || ': the application lacks a required permission'}`, { upstreamStatus });
    case status === 404:
      return new RelayError('not found', `${upstream} found nothing${suffix}`, { upstreamStatus });
    case status === 400:
      return new RelayError('invalid request', `Invalid request to ${upstream}${suffix}`, { upstreamStatus });
    case status === 429: {
      const message = options.hunting
        ? `Advanced Hunting API rate limit has been exceeded${suffix}`
        : `Too many requests to ${upstream} have been made. Please, try again later${suffix}`;
      const wait = options.retryAfter !== undefined ? ` (retry after ${options.retryAfter} s)` : '';
      return new RelayError('too many requests', message + wait, { upstreamStatus, retryAfterSeconds: options.retryAfter });
    }
    case status === 500:
      return new RelayError('internal error', `${upstream} had an internal error${suffix}`, { upstreamStatus });
    case status >= 502 && status <= 504:
      return new RelayError('service unavailable', `${upstream} is unavailable (HTTP ${status})${suffix}`, { upstreamStatus });
    default:
      return new RelayError('unknown', `${upstream} answered HTTP ${status}${suffix}`, { upstreamStatus });
  }
}

export type RetryReason = 'throttled' | 'unavailable' | 'timeout' | 'reset' | 'refused';

/** The raw axios error is never attached: its config holds the bearer token and, for Azure AD, the client secret. */
export function transportFailure(upstream: Upstream, error: unknown, timeoutMs: number): { error: RelayError; reason?: RetryReason } {
  const outer = error instanceof AxiosError ? (error.code ?? causeCode(error)) : causeCode(error);
  if (outer === 'ECONNABORTED' || outer === 'ETIMEDOUT' || outer === 'ERR_CANCELED' || isTimeout(error)) {
    return { error: new RelayError('timeout', `${upstream} did not answer within ${timeoutMs} ms`), reason: 'timeout' };
  }
  const code = causeCode(error) ?? outer;
  // The host names which setting to check (DEFENDER_LOGIN_URL, DNS, a proxy); it is configuration, never a secret.
  const host = hostOf(error);
  const where = host ? `${upstream} at ${host}` : upstream;
  if (code && TLS_CODES.test(code)) return { error: new RelayError('unknown', `TLS error talking to ${where}: ${code}`) };
  const reset = code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_SOCKET_CLOSED' || /socket hang up/i.test(String((error as Error)?.message));
  const reason: RetryReason | undefined =
    code === 'ECONNREFUSED' ? 'refused' : reset ? 'reset' : code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' ? 'unavailable' : undefined;
  if (code && UNREACHABLE_CODES.has(code)) return { error: new RelayError('service unavailable', `${where} is unreachable (${code})`), reason };
  return { error: new RelayError('unknown', `${where} could not be reached${code ? ` (${code})` : ''}`), reason };
}

function hostOf(error: unknown): string | undefined {
  if (!(error instanceof AxiosError) || !error.config?.url) return undefined;
  try {
    return new URL(error.config.url, error.config.baseURL).host || undefined;
  } catch {
    return undefined;
  }
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'ERR_BAD_RESPONSE' && !code.startsWith('ERR_BAD_')) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown })?.name;
  return name === 'TimeoutError' || name === 'DeadlineExceeded';
}
