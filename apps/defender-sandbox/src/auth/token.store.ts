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
  /** An opaque random string instead of a JWT-shaped token. */
  opaque?: boolean;
  issuedAt: number;
  expiresAt: number;
}

/** Prune expired tokens once the store grows past this (benchmarks issue many). */
const PRUNE_THRESHOLD = 10_000;

/**
 * Issued access tokens, remembered with who they belong to: JWT-shaped like Azure AD's (claims
 * `aud`, `tid`, `appid`, `roles` when any is granted; an unverifiable signature, as the relay never
 * verifies Microsoft's tokens) or, for apps that want them, opaque random strings.
 */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(private readonly clock: Clock) {}

  issue(input: Omit<IssuedToken, 'accessToken' | 'issuedAt' | 'expiresAt'>, lifetimeSeconds: number): IssuedToken {
    if (this.tokens.size > PRUNE_THRESHOLD) this.pruneExpired();
    const now = this.clock();
    const token: IssuedToken = {
      ...input,
      accessToken: input.opaque ? `sbx.${randomBytes(32).toString('base64url')}` : jwtShaped(input, now, lifetimeSeconds),
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

function jwtShaped(input: Omit<IssuedToken, 'accessToken' | 'issuedAt' | 'expiresAt'>, now: number, lifetimeSeconds: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const iat = Math.floor(now / 1000);
  const claims = {
    aud: input.resource,
    iss: `https://sts.windows.net/${input.tenantId}/`,
    iat,
    nbf: iat,
    exp: iat + lifetimeSeconds,
    appid: input.clientId,
    app_displayname: input.appName,
    tid: input.tenantId,
    ...(input.roles.length > 0 ? { roles: input.roles } : {}),
    uti: randomBytes(16).toString('base64url'),
  };
  return `${part({ typ: 'JWT', alg: 'RS256', kid: 'sandbox' })}.${part(claims)}.${randomBytes(64).toString('base64url')}`;
}
