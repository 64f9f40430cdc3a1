import { BoundedMap, Credentials, defenderConfig, MetricsService, RelayError, SharedStateService, stateConfig } from '@app/common';
import { HttpService } from '@nestjs/axios';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { createHash, randomUUID } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import { redactCredentials, transportFailure } from './error-mapping';
import { openToken, sealToken } from './token-crypto';

export type TokenAudience = 'defender' | 'graph';

interface CachedToken {
  accessToken: string;
  /** Epoch ms after which the token is not used any more (a margin before its real expiry). */
  refreshAt: number;
}

const MAX_ENTRIES = 10_000;
const EXPIRY_MARGIN_MS = 5 * 60_000;
const POLL_MS = 50;
export const FAILED_PROOF_TTL_MS = 30_000;
export const UNPROVEN_CALLS_PER_MINUTE = 30;
const MINUTE_MS = 60_000;

/** Cached per (tenant, client, hashed secret, audience), so a wrong secret never rides on a cached token; sealed in Redis. */
@Injectable()
export class TokenService {
  private readonly cache = new BoundedMap<string, CachedToken>(MAX_ENTRIES);
  private readonly inflight = new Map<string, Promise<CachedToken>>();
  private readonly refused = new BoundedMap<string, { error: RelayError; until: number }>(MAX_ENTRIES);
  private readonly unproven = new BoundedMap<string, number[]>(MAX_ENTRIES);
  private useV2 = false;
  constructor(
    private readonly http: HttpService,
    private readonly metrics: MetricsService,
    private readonly state: SharedStateService,
    @Inject(defenderConfig.KEY) private readonly config: ConfigType<typeof defenderConfig>,
    @Inject(stateConfig.KEY) private readonly stateSettings: ConfigType<typeof stateConfig>,
  ) {}

  async token(credentials: Credentials, audience: TokenAudience): Promise<{ accessToken: string; fromCache: boolean }> {
    const key = cacheKey(credentials, audience);
    const cached = this.cache.get(key);
    if (cached && cached.refreshAt > Date.now()) {
      this.metrics.tokenCache.inc({ result: 'hit' });
      return { accessToken: cached.accessToken, fromCache: true };
    }
    this.metrics.tokenCache.inc({ result: 'miss' });
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.proveAndLoad(credentials, audience, key, cached !== undefined).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return { accessToken: (await pending).accessToken, fromCache: false };
  }

  /** A flood of made-up clients or wrong secrets costs Azure AD little (docs/security.md). */
  private async proveAndLoad(credentials: Credentials, audience: TokenAudience, key: string, provenBefore: boolean): Promise<CachedToken> {
    const now = Date.now();
    const refusal = this.refused.get(key);
    if (refusal && refusal.until > now) throw refusal.error;
    const tenant = credentials.tenantId.toLowerCase();
    const attempts = provenBefore ? undefined : (this.unproven.get(tenant) ?? []).filter((t) => t > now - MINUTE_MS);
    if (attempts && attempts.length >= UNPROVEN_CALLS_PER_MINUTE) {
      const retryAfterSeconds = Math.max(1, Math.ceil((attempts[0] + MINUTE_MS - now) / 1000));
      throw new RelayError('too many requests', `Authorization failed: too many sign-ins with unproven credentials of this tenant in the last minute; try again in ${retryAfterSeconds} s`, {
        retryAfterSeconds,
      });
    }
    if (attempts) this.unproven.set(tenant, [...attempts, now]);
    try {
      const fresh = await this.load(credentials, audience, key);
      this.cache.set(key, fresh);
      this.refused.delete(key);
      if (attempts) this.unproven.set(tenant, withoutOne(this.unproven.get(tenant) ?? [], now));
      return fresh;
    } catch (error) {
      if (error instanceof RelayError && error.code === 'authorization error') this.refused.set(key, { error, until: Date.now() + FAILED_PROOF_TTL_MS });
      throw error;
    }
  }

  /** Forgets a token Defender refused (revoked, or roles changed since it was issued). */
  invalidate(credentials: Credentials, audience: TokenAudience): void {
    const key = cacheKey(credentials, audience);
    this.cache.delete(key);
    if (this.state.shared) void this.state.kv.delete(sharedKey(credentials, key));
  }

  private async load(credentials: Credentials, audience: TokenAudience, key: string): Promise<CachedToken> {
    if (!this.state.shared) return this.fetch(credentials, audience);
    const name = sharedKey(credentials, key);
    const lock = `${name}:lock`;
    const giveUpAt = Date.now() + this.config.upstreamTimeoutMs + 1_000;
    for (;;) {
      const shared = await this.readShared(name, credentials, audience);
      if (shared) return shared;
      if (await this.state.kv.setIfAbsent(lock, randomUUID(), this.config.upstreamTimeoutMs + 2_000)) {
        try {
          // Another replica may have stored it between our read and our lock.
          const stored = await this.readShared(name, credentials, audience);
          if (stored) return stored;
          const fresh = await this.fetch(credentials, audience);
          const ttl = fresh.refreshAt - Date.now();
          if (ttl > 0) await this.state.kv.set(name, JSON.stringify({ sealed: sealToken(fresh.accessToken, credentials, audience, this.salt), refreshAt: fresh.refreshAt }), ttl);
          return fresh;
        } finally {
          await this.state.kv.delete(lock);
        }
      }
      // Another replica is fetching this token: wait for it rather than asking Azure AD again.
      if (Date.now() > giveUpAt) return this.fetch(credentials, audience);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private async readShared(name: string, credentials: Credentials, audience: TokenAudience): Promise<CachedToken | undefined> {
    const raw = await this.state.kv.get(name);
    if (!raw) return undefined;
    try {
      const { sealed, refreshAt } = JSON.parse(raw) as { sealed: string; refreshAt: number };
      const accessToken = openToken(sealed, credentials, audience, this.salt);
      return accessToken && refreshAt > Date.now() ? { accessToken, refreshAt } : undefined;
    } catch {
      return undefined;
    }
  }

  private get salt(): string {
    return this.stateSettings.stateKey ?? 'defender-relay';
  }

  // v1 (`resource=`), as Microsoft's MDE samples use; a login host without it (404) is asked at v2.
  private async fetch(credentials: Credentials, audience: TokenAudience): Promise<CachedToken> {
    const resource = audience === 'graph' ? this.config.graphResource : this.config.apiResource;
    const tenant = encodeURIComponent(credentials.tenantId);
    const form = { grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: credentials.clientSecret };
    let answer = this.useV2 ? undefined : await this.post(`${this.config.loginUrl}/${tenant}/oauth2/token`, { ...form, resource });
    if (!answer || answer.status === 404) {
      answer = await this.post(`${this.config.loginUrl}/${tenant}/oauth2/v2.0/token`, { ...form, scope: `${resource}/.default` });
      if (answer.status !== 404) this.useV2 = true;
    }
    const { status, body } = answer;
    if (status === 200 && isTokenBody(body)) {
      const lifetimeMs = Number(body.expires_in) * 1000;
      const margin = Math.min(EXPIRY_MARGIN_MS, lifetimeMs / 10);
      return { accessToken: body.access_token, refreshAt: Date.now() + lifetimeMs - margin };
    }
    throw tokenError(status, body);
  }

  private async post(url: string, form: Record<string, string>): Promise<{ status: number; body: unknown }> {
    try {
      const response = await firstValueFrom(
        this.http.post(url, new URLSearchParams(form).toString(), {
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
          timeout: this.config.upstreamTimeoutMs,
          validateStatus: () => true,
          maxRedirects: 0,
          responseType: 'json',
        }),
      );
      this.metrics.defenderCalls.inc({ api: 'token', status: String(response.status) });
      return { status: response.status, body: response.data };
    } catch (error) {
      this.metrics.defenderCalls.inc({ api: 'token', status: '0' });
      throw transportFailure('Azure AD', error, this.config.upstreamTimeoutMs).error;
    }
  }
}

function withoutOne(times: readonly number[], time: number): number[] {
  const i = times.indexOf(time);
  return i < 0 ? [...times] : [...times.slice(0, i), ...times.slice(i + 1)];
}

const hashedKeys = new WeakMap<Credentials, { of: string; key: string }>();

/** Every Defender call asks for its token: one request's credentials are hashed once per audience. */
function cacheKey(c: Credentials, audience: TokenAudience): string {
  const of = [c.tenantId, c.clientId, c.clientSecret, audience].join('\u0000');
  const known = hashedKeys.get(c);
  if (known?.of === of) return known.key;
  const key = createHash('sha256').update(of).digest('hex');
  hashedKeys.set(c, { of, key });
  return key;
}

/** Namespaced per tenant and client; the last part hides which secret and audience it is for. */
function sharedKey(c: Credentials, key: string): string {
  return `token:${encodeURIComponent(c.tenantId)}:${encodeURIComponent(c.clientId)}:${key.slice(0, 32)}`;
}

function isTokenBody(body: unknown): body is { access_token: string; expires_in: string | number } {
  const b = body as { access_token?: unknown; expires_in?: unknown } | null;
  return typeof b?.access_token === 'string' && b.access_token !== '' && Number(b.expires_in) > 0;
}

/** Azure AD's `error_description` first line (it ends with trace/correlation ids we drop). */
function tokenError(status: number, body: unknown): RelayError {
  const description = (body as { error_description?: unknown } | null)?.error_description;
  const firstLine = typeof description === 'string' ? redactCredentials(description.split(/\r?\n/)[0].trim()).slice(0, 500) : '';
  if (status >= 500) {
    const said = firstLine ? `: ${firstLine}` : '';
    return new RelayError('service unavailable', `Azure AD token endpoint is unavailable (HTTP ${status})${said}`, { upstreamStatus: status });
  }
  if (firstLine) {
    return new RelayError('authorization error', `Authorization failed: ${firstLine}`, { upstreamStatus: status });
  }
  return new RelayError('authorization error', `Authorization failed: Azure AD token endpoint answered HTTP ${status}`, { upstreamStatus: status });
}
