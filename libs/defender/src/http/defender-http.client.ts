import { defenderConfig, RelayError, USER_AGENT } from '@app/common';
import { HttpService } from '@nestjs/axios';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Method } from 'axios';
import { firstValueFrom } from 'rxjs';
import { DeadlineExceeded } from './deadline';
import { DefenderContext } from './defender-context';
import { httpError, retryAfterSeconds, transportError, Upstream } from './error-mapping';
import { Semaphore } from './semaphore';
import { TokenAudience, TokenService } from './token.service';

export interface DefenderRequest {
  /** `defender` (`{API}/api/…`) or `graph` (`{GRAPH}/v1.0/…`). */
  api?: TokenAudience;
  method: Extract<Method, 'GET' | 'POST' | 'DELETE'>;
  /** Built with `apiPath` so every user value is an encoded segment. */
  path: string;
  /** Query values are URL-encoded here; names are trusted literals. */
  query?: Record<string, string | number>;
  body?: unknown;
  /** 404 is an answer ("nothing there"), not an error. */
  notFoundIsEmpty?: boolean;
  /** Hunting calls get the hunting wording for 429 (C-92). */
  hunting?: boolean;
}

export interface DefenderResponse<T> {
  status: number;
  /** Undefined for 204 and for 404 with `notFoundIsEmpty`. */
  data?: T;
}

const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/**
 * The one way to reach Defender and Graph: tokens, per-call timeout bounded by the request
 * deadline, keep-alive, User-Agent, per-tenant concurrency and the error mapping of C-92.
 * Repositories call it; nothing else does HTTP to Microsoft.
 */
@Injectable()
export class DefenderHttpClient {
  private readonly tenants = new Map<string, Semaphore>();

  constructor(
    private readonly http: HttpService,
    private readonly tokens: TokenService,
    @Inject(defenderConfig.KEY) private readonly config: ConfigType<typeof defenderConfig>,
  ) {}

  async request<T>(ctx: DefenderContext, req: DefenderRequest): Promise<DefenderResponse<T>> {
    return this.limiter(ctx.credentials.tenantId).run(() => this.send<T>(ctx, req, true));
  }

  private async send<T>(ctx: DefenderContext, req: DefenderRequest, mayRefreshToken: boolean): Promise<DefenderResponse<T>> {
    const api = req.api ?? 'defender';
    const upstream: Upstream = api === 'graph' ? 'Microsoft Graph' : 'Microsoft Defender for Endpoint';
    if (ctx.deadline.expired) throw deadlineError();
    const { accessToken, fromCache } = await this.tokens.token(ctx.credentials, api);
    const timeout = Math.min(this.config.upstreamTimeoutMs, ctx.deadline.remaining());
    if (timeout <= 0) throw deadlineError();
    let status: number;
    let data: unknown;
    let retryAfterHeader: unknown;
    try {
      const response = await firstValueFrom(
        this.http.request({
          method: req.method,
          url: this.url(api, req),
          data: req.body,
          headers: {
            Authorization: `Bearer ${accessToken}`,
            Accept: 'application/json',
            'User-Agent': USER_AGENT,
            ...(req.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          timeout,
          signal: AbortSignal.any([ctx.deadline.signal, AbortSignal.timeout(timeout)]),
          validateStatus: () => true,
          maxRedirects: 0,
          maxContentLength: MAX_RESPONSE_BYTES,
          responseType: 'json',
        }),
      );
      status = response.status;
      data = response.data;
      retryAfterHeader = response.headers['retry-after'];
    } catch (error) {
      if (ctx.deadline.expired) throw deadlineError();
      throw transportError(upstream, error, timeout);
    }
    if (status >= 200 && status < 300) return { status, data: status === 204 || data === '' ? undefined : (data as T) };
    if (status === 404 && req.notFoundIsEmpty) return { status };
    if (status === 401 && fromCache && mayRefreshToken) {
      // A cached token may have been revoked; Defender did not act on a 401, so one retry is safe.
      this.tokens.invalidate(ctx.credentials, api);
      return this.send<T>(ctx, req, false);
    }
    throw httpError(upstream, status, data, { hunting: req.hunting, retryAfter: retryAfterSeconds(retryAfterHeader) });
  }

  private url(api: TokenAudience, req: DefenderRequest): string {
    const base = api === 'graph' ? `${this.config.graphUrl}/v1.0/` : `${this.config.apiUrl}/api/`;
    const query = Object.entries(req.query ?? {})
      .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
      .join('&');
    return base + req.path + (query ? `?${query}` : '');
  }

  private limiter(tenantId: string): Semaphore {
    let limiter = this.tenants.get(tenantId);
    if (!limiter) {
      limiter = new Semaphore(this.config.concurrency);
      this.tenants.set(tenantId, limiter);
      // Idle limiters are dropped so the map does not grow with every tenant ever seen.
      if (this.tenants.size > 1000) for (const [id, s] of this.tenants) if (s.idle && id !== tenantId) this.tenants.delete(id);
    }
    return limiter;
  }
}

function deadlineError(): RelayError {
  return new RelayError('timeout', 'The request deadline was reached before Microsoft Defender for Endpoint answered', { cause: new DeadlineExceeded() });
}
