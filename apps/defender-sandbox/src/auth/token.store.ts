import { randomBytes } from 'node:crypto';
import { Clock } from '../util/time.util';
import { Audience } from './resources';

export interface IssuedToken {
  accessToken: string;
  tenantId: string;
  clientId: string;
  appName: string;
  roles: string[];
  audience: Audience;
  /** The resource string the client asked for (echoed in v1 responses). */
  resource: string;
  issuedAt: number;
  expiresAt: number;
}

/** Prune expired tokens once the store grows past this (benchmarks issue many). */
const PRUNE_THRESHOLD = 10_000;

/** Issued access tokens: opaque random strings remembered with who they belong to. */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(private readonly clock: Clock) {}

  issue(input: Omit<IssuedToken, 'accessToken' | 'issuedAt' | 'expiresAt'>, lifetimeSeconds: number): IssuedToken {
    if (this.tokens.size > PRUNE_THRESHOLD) this.pruneExpired();
    const now = this.clock();
    const token: IssuedToken = {
      ...input,
      accessToken: `sbx.${randomBytes(32).toString('base64url')}`,
      issuedAt: now,
      expiresAt: now + lifetimeSeconds * 1000,
    };
    this.tokens.set(token.accessToken, token);
    return token;
  }

  lookup(accessToken: string): IssuedToken | undefined {
    return this.tokens.get(accessToken);
  }

  isExpired(token: IssuedToken): boolean {
    return this.clock() >= token.expiresAt;
  }

  /** Makes every issued token expired (tests of the relay's token refresh). */
  expireAll(): void {
    const now = this.clock();
    for (const token of this.tokens.values()) token.expiresAt = Math.min(token.expiresAt, now);
  }

  get size(): number {
    return this.tokens.size;
  }

  private pruneExpired(): void {
    const now = this.clock();
    for (const [key, token] of this.tokens) if (now >= token.expiresAt) this.tokens.delete(key);
  }
}
