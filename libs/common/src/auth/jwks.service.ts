import { HttpService } from '@nestjs/axios';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { AxiosError } from 'axios';
import { createHmac, createPublicKey, hkdfSync, JsonWebKey, timingSafeEqual } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import { authConfig, JwksHost, stateConfig } from '../config';
import { BoundedMap } from '../state/bounded-map';
import { SharedStateService } from '../state/shared-state.service';
import { authFailure } from './auth-messages';

const TTL_MS = 5 * 60_000;
// Keys rotate, so an unknown kid refetches at once, but capped per host so made-up kids cannot hammer it.
const REFETCHES_PER_MINUTE = 10;
const MISSING_KID_MS = 60_000;
const MAX_MISSING_KIDS = 10_000;
// RSA keys of 2048, 3072 and 4096 bits.
const RSA_SIGNATURE_BYTES = new Set([256, 384, 512]);
const FETCH_TIMEOUT_MS = 5_000;
const MAX_JWKS_BYTES = 256 * 1024;

interface CachedKeys {
  keys: Map<string, string>;
  fetchedAt: number;
}

/** The URL always comes from configuration; the token's claim only selects an allow-list entry. */
@Injectable()
export class JwksService {
  private readonly cache = new Map<string, CachedKeys>();
  private readonly inflight = new Map<string, Promise<CachedKeys>>();
  private readonly refetches = new Map<string, number[]>();
  private readonly missing = new BoundedMap<string, number>(MAX_MISSING_KIDS);
  private derivedKey?: Buffer;

  constructor(
    private readonly http: HttpService,
    private readonly state: SharedStateService,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    @Inject(stateConfig.KEY) private readonly stateSettings: ConfigType<typeof stateConfig>,
  ) {}

  allowedHost(claim: string): JwksHost | undefined {
    const wanted = claim.trim().toLowerCase();
    return this.config.jwksHosts.find((h) => h.match === wanted);
  }

  async publicKey(host: JwksHost, kid: string, signature: string): Promise<string> {
    let entry = await this.keys(host, false);
    const slot = `${host.jwksUrl}\u0000${kid}`;
    if (!entry.keys.has(kid) && plausibleRsaSignature(signature) && this.mayRefetch(host, slot)) {
      entry = await this.keys(host, true);
    }
    const key = entry.keys.get(kid);
    if (!key) {
      this.missing.set(slot, Math.max(entry.fetchedAt, this.missing.get(slot) ?? 0));
      throw authFailure('kid from JWT header not found in API response');
    }
    return key;
  }

  private mayRefetch(host: JwksHost, slot: string): boolean {
    const now = Date.now();
    if ((this.missing.get(slot) ?? 0) > now - MISSING_KID_MS) return false;
    const recent = (this.refetches.get(host.jwksUrl) ?? []).filter((t) => t > now - 60_000);
    if (recent.length >= REFETCHES_PER_MINUTE) return false;
    this.refetches.set(host.jwksUrl, [...recent, now]);
    return true;
  }

  private async keys(host: JwksHost, force: boolean): Promise<CachedKeys> {
    const cached = this.cache.get(host.jwksUrl);
    if (!force && cached && Date.now() - cached.fetchedAt < TTL_MS) return cached;
    let pending = this.inflight.get(host.jwksUrl);
    if (!pending) {
      pending = this.load(host, force).finally(() => this.inflight.delete(host.jwksUrl));
      this.inflight.set(host.jwksUrl, pending);
    }
    const fresh = await pending;
    this.cache.set(host.jwksUrl, fresh);
    return fresh;
  }

  // Redis is not trusted with key sets (a writer could sign tokens): each is HMAC-sealed under STATE_KEY.
  private async load(host: JwksHost, force: boolean): Promise<CachedKeys> {
    const name = `jwks:${host.jwksUrl}`;
    const seal = this.sealKey;
    const shared = this.state.shared && seal !== undefined;
    if (shared && !force) {
      const found = openKeySet(await this.state.kv.get(name), host.jwksUrl, seal);
      if (found) return found;
    }
    const fresh = await this.fetch(host);
    if (shared) await this.state.kv.set(name, sealKeySet(fresh, host.jwksUrl, seal), TTL_MS);
    return fresh;
  }

  private get sealKey(): Buffer | undefined {
    if (this.stateSettings.stateKey === undefined) return undefined;
    this.derivedKey ??= Buffer.from(hkdfSync('sha256', this.stateSettings.stateKey, 'defender-relay', 'defender-relay jwks cache v1', 32));
    return this.derivedKey;
  }

  private async fetch(host: JwksHost): Promise<CachedKeys> {
    let body: unknown;
    try {
      const response = await firstValueFrom(
        this.http.get(host.jwksUrl, {
          timeout: FETCH_TIMEOUT_MS,
          maxRedirects: 0,
          maxContentLength: MAX_JWKS_BYTES,
          responseType: 'json',
          headers: { Accept: 'application/json' },
        }),
      );
      body = response.data;
    } catch (error) {
      throw authFailure(
        `Wrong jwks_host in JWT payload: could not fetch the JWKS from '${host.match}' (${describeFetchError(error)}). ` +
          'Make sure domain follows the visibility.<region>.cisco.com structure',
        error,
      );
    }
    const keys = new Map<string, string>();
    const list = (body as { keys?: unknown })?.keys;
    if (!Array.isArray(list)) {
      throw authFailure(`Wrong jwks_host in JWT payload: '${host.match}' did not answer with a JWKS document`);
    }
    for (const jwk of list as Array<JsonWebKey & { kid?: unknown; use?: unknown }>) {
      if (jwk?.kty !== 'RSA' || typeof jwk.kid !== 'string' || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
      try {
        keys.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString());
      } catch {
        // A malformed key is skipped; a token signed with it then fails as "kid not found".
      }
    }
    return { keys, fetchedAt: Date.now() };
  }
}

function plausibleRsaSignature(signature: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(signature) && RSA_SIGNATURE_BYTES.has(Buffer.from(signature, 'base64url').length);
}

function sealKeySet(entry: CachedKeys, url: string, key: Buffer): string {
  const body = JSON.stringify({ keys: Object.fromEntries(entry.keys), fetchedAt: entry.fetchedAt });
  return JSON.stringify({ body, mac: mac(body, url, key) });
}

function openKeySet(raw: string | undefined, url: string, key: Buffer): CachedKeys | undefined {
  if (!raw) return undefined;
  try {
    const { body, mac: stored } = JSON.parse(raw) as { body?: unknown; mac?: unknown };
    if (typeof body !== 'string' || typeof stored !== 'string') return undefined;
    const expected = Buffer.from(mac(body, url, key), 'base64');
    const given = Buffer.from(stored, 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const { keys, fetchedAt } = JSON.parse(body) as { keys: Record<string, string>; fetchedAt: number };
    if (typeof keys !== 'object' || keys === null || typeof fetchedAt !== 'number') return undefined;
    return { keys: new Map(Object.entries(keys).filter(([, pem]) => typeof pem === 'string')), fetchedAt };
  } catch {
    return undefined;
  }
}

function mac(body: string, url: string, key: Buffer): string {
  return createHmac('sha256', key).update(url).update('\u0000').update(body).digest('base64');
}

function describeFetchError(error: unknown): string {
  if (error instanceof AxiosError) {
    if (error.response) return `HTTP ${error.response.status}`;
    if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT') return 'timed out';
    if (error.code === 'ERR_FR_MAX_CONTENT_LENGTH_EXCEEDED' || /maxContentLength/.test(error.message)) return 'response too large';
    if (error.code) return error.code;
  }
  return 'unreachable';
}
