import { defenderConfig, MetricsService, RelayError, SharedStateService, USER_AGENT } from '@app/common';
import { HttpService } from '@nestjs/axios';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { AxiosResponse, Method } from 'axios';
import { apiName, DefenderApi } from '../limits/api-names';
import { DeadlineExceeded } from '../limits/deadline';
import { Bucket } from '../limits/defender-limits';
import { abortableSleep, TenantRateLimiter } from '../limits/rate-limiter';
import { DefenderContext } from './defender-context';
import { httpError, retryAfterSeconds, transportFailure, Upstream } from './error-mapping';
import { AttemptFailure, MAX_ATTEMPTS, retryDelay, shouldRetry } from './retry-policy';
import { Semaphore } from './semaphore';
import { TokenAudience, TokenService } from './token.service';

export interface DefenderRequest {
  api?: TokenAudience;
  method: Extract<Method, 'GET' | 'POST' | 'DELETE'>;
  /** Built with `apiPath` so every user value is an encoded segment; the first segment names the API in metrics. */
  path: string;
  /** Query values are URL-encoded here; names are trusted literals. */
  query?: Record<string, string | number>;
  body?: unknown;
  /** 404 is an answer ("nothing there"), not an error. */
  notFoundIsEmpty?: boolean;
  /** Hunting calls use the hunting rate limit and the hunting wording for 429. */
  hunting?: boolean;
  quota?: 'alertUpdates';
  /** Safe to send twice (reads; hunting queries). Defaults to true for GET only. */
  idempotent?: boolean;
}

export interface DefenderResponse<T> {
  status: number;
  data?: T;
}

const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** The only HTTP to Microsoft: tokens, rate limits, deadlines, safe retries, concurrency and error mapping. */
@Injectable()
export class DefenderHttpClient {
  private readonly apps = new Map<string, Semaphore>();
  private readonly tenants = new Map<string, Semaphore>();
  private readonly limiter: TenantRateLimiter;

  constructor(
    private readonly http: HttpService,
    private readonly tokens: TokenService,
    private readonly metrics: MetricsService,
    state: SharedStateService,
    @Inject(defenderConfig.KEY) private readonly config: ConfigType<typeof defenderConfig>,
  ) {
    this.limiter = new TenantRateLimiter(() => state.windows);
  }

  /** Obtains the caller's token first: nothing reads shared state (caches, in-flight fetches, budgets) for unproven credentials. */
  authenticate(ctx: DefenderContext): Promise<unknown> {
    return ctx.once('credentials', () => this.tokens.token(ctx.credentials, 'defender'));
  }

  async request<T>(ctx: DefenderContext, req: DefenderRequest): Promise<DefenderResponse<T>> {
    const idempotent = req.idempotent ?? req.method === 'GET';
    await this.authenticate(ctx);
    // Graph has its own token; obtaining it first keeps unproven calls off the rate limiter too.
    if (req.api === 'graph') await this.tokens.token(ctx.credentials, 'graph');
    for (let attempt = 0; ; attempt++) {
      if (this.config.rateLimit) await this.acquireSlot(ctx, req);
      try {
        return await this.inFlight(ctx, () => this.attempt<T>(ctx, req, true));
      } catch (error) {
        if (!(error instanceof AttemptFailure)) throw error;
        const delay = retryDelay(error, attempt);
        if (attempt + 1 >= MAX_ATTEMPTS || !shouldRetry(error, idempotent) || delay >= ctx.deadline.remaining()) throw error.error;
        this.metrics.retries.inc({ reason: error.reason });
        await abortableSleep(delay, ctx.deadline.signal).catch(() => {
          throw deadlineError();
        });
      }
    }
  }

  /** Free slots per API for this credential, taking none; others may take them first, the limiter still guards each call. */
  async freeSlots(ctx: DefenderContext, apis: readonly DefenderApi[]): Promise<Partial<Record<DefenderApi, number>>> {
    const slots = await Promise.all(apis.map((api) => (this.config.rateLimit ? this.limiter.available(quotaAccount(ctx), 'general', api) : Infinity)));
    return Object.fromEntries(apis.map((api, i) => [api, slots[i]]));
  }

  private async acquireSlot(ctx: DefenderContext, req: DefenderRequest): Promise<void> {
    await this.limit(ctx, req.hunting ? 'hunting' : (req.quota ?? 'general'), apiName(req.path));
  }

  private async limit(ctx: DefenderContext, bucket: Bucket, api: string): Promise<void> {
    let waited: number;
    try {
      // Defender counts its quotas per app and tenant; only proven credentials get here.
      waited = await this.limiter.acquire(quotaAccount(ctx), bucket, ctx.deadline, api);
    } catch (error) {
      if (error instanceof RelayError) this.metrics.rateLimitRefusals.inc({ bucket });
      throw error instanceof DeadlineExceeded || ctx.deadline.expired ? deadlineError() : error;
    }
    if (waited > 0) this.metrics.rateLimitWaits.observe({ bucket }, waited / 1000);
  }

  private async attempt<T>(ctx: DefenderContext, req: DefenderRequest, mayRefreshToken: boolean): Promise<DefenderResponse<T>> {
    const api = req.api ?? 'defender';
    const upstream: Upstream = api === 'graph' ? 'Microsoft Graph' : 'Microsoft Defender for Endpoint';
    const label = apiName(req.path);
    if (ctx.deadline.expired) throw deadlineError();
    const { accessToken, fromCache } = await this.tokens.token(ctx.credentials, api);
    const timeout = Math.min(this.config.upstreamTimeoutMs, ctx.deadline.remaining());
    if (timeout <= 0) throw deadlineError();
    const stopTimer = this.metrics.defenderDuration.startTimer({ api: label });
    let response: AxiosResponse<unknown>;
    try {
      // axios's promise API: the Observable wrapper costs a cancel token and a CanceledError with its stack per call.
      response = await this.http.axiosRef.request({
        method: req.method,
        url: this.url(api, req),
        data: req.body,
        headers: {
          Authorization: `Bearer ${accessToken}`,
          Accept: 'application/json',
          'User-Agent': USER_AGENT,
          ...(req.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        // Within the request deadline; the adapter bounds the whole call by it, not only the socket's idle time.
        timeout,
        validateStatus: () => true,
        maxRedirects: 0,
        maxContentLength: MAX_RESPONSE_BYTES,
        responseType: 'json',
      });
    } catch (error) {
      stopTimer();
      this.metrics.defenderCalls.inc({ api: label, status: '0' });
      if (ctx.deadline.expired) throw deadlineError();
      const failure = transportFailure(upstream, error, timeout);
      throw new AttemptFailure(failure.error, failure.reason);
    }
    stopTimer();
    const { status, data } = response;
    this.metrics.defenderCalls.inc({ api: label, status: String(status) });
    if (status >= 200 && status < 300) return { status, data: status === 204 || data === '' ? undefined : (data as T) };
    if (status === 404 && req.notFoundIsEmpty) return { status };
    if (status === 401 && fromCache && mayRefreshToken) {
      // A cached token may have been revoked; Defender did not act on a 401, so one retry is safe.
      this.tokens.invalidate(ctx.credentials, api);
      this.metrics.retries.inc({ reason: 'token' });
      return this.attempt<T>(ctx, req, false);
    }
    const retryAfter = retryAfterSeconds(response.headers['retry-after']);
    const error = httpError(upstream, status, data, { hunting: req.hunting, retryAfter });
    if (status === 429) throw new AttemptFailure(error, 'throttled', retryAfter === undefined ? undefined : retryAfter * 1000);
    if (status >= 502 && status <= 504) throw new AttemptFailure(error, 'unavailable');
    throw new AttemptFailure(error);
  }

  private url(api: TokenAudience, req: DefenderRequest): string {
    const base = api === 'graph' ? `${this.config.graphUrl}/v1.0/` : `${this.config.apiUrl}/api/`;
    const query = Object.entries(req.query ?? {})
      .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
      .join('&');
    return base + req.path + (query ? `?${query}` : '');
  }

  /** Keyed like the quotas so one app's slow calls never queue another's; the tenant total is twice one app's. */
  private inFlight<T>(ctx: DefenderContext, task: () => Promise<T>): Promise<T> {
    const app = semaphoreOf(this.apps, quotaAccount(ctx), this.config.concurrency);
    const tenant = semaphoreOf(this.tenants, ctx.credentials.tenantId, TENANT_CONCURRENCY_FACTOR * this.config.concurrency);
    return app.run(() => tenant.run(task));
  }
}

const TENANT_CONCURRENCY_FACTOR = 2;

function semaphoreOf(semaphores: Map<string, Semaphore>, key: string, limit: number): Semaphore {
  let slots = semaphores.get(key);
  if (!slots) {
    slots = new Semaphore(limit);
    semaphores.set(key, slots);
    if (semaphores.size > 1000) for (const [k, s] of semaphores) if (s.idle && k !== key) semaphores.delete(k);
  }
  return slots;
}

function quotaAccount(ctx: DefenderContext): string {
  return `${ctx.credentials.tenantId}:${ctx.credentials.clientId}`;
}

export function deadlineError(): RelayError {
  return new RelayError('timeout', 'The request deadline was reached before Microsoft Defender for Endpoint answered', { cause: new DeadlineExceeded() });
}
