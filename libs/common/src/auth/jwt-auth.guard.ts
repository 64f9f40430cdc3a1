import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { PinoLogger } from 'nestjs-pino';
import { createHash, createSecretKey, KeyObject } from 'node:crypto';
import { authConfig, defenderConfig, parseEntitiesLimit, serverConfig } from '../config';
import { preview } from '../errors';
import { BoundedMap } from '../state/bounded-map';
import { isWellFormedText } from '../observables/observable-types';
import { authFailure } from './auth-messages';
import { JwtHeader, keepVerifiedBearer, wellFormedBearer } from './bearer';
import { isClientId, isTenantId } from './credential-format';
import { AuthenticatedRequest, Credentials, IS_PUBLIC } from './credentials';
import { JwksService } from './jwks.service';

type Claims = Record<string, unknown>;

const REQUIRED_CLAIMS = ['client_id', 'client_secret', 'tenant_id'] as const;

/** How far ahead of the relay's clock a token's `iat` may be (the signer's clock may run fast). */
export const IAT_LEEWAY_SECONDS = 5 * 60;

/** XDR sends the same module token on every call: its signature is checked once, its times every time. */
const VERIFIED_TOKENS = 1000;

/** Only HS256 (SECRET_KEY) or RS256 (allow-listed JWKS host); any other alg, `none` included, is refused. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  // Made once: handed a string, jsonwebtoken parses it as a PEM key on every request (dearer than the HMAC).
  private hs256Key?: KeyObject;
  private readonly verified = new BoundedMap<string, { claims: Claims; credentials: Credentials; tenant: string }>(VERIFIED_TOKENS);

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly jwks: JwksService,
    @Inject(authConfig.KEY) private readonly auth: ConfigType<typeof authConfig>,
    @Inject(serverConfig.KEY) private readonly server: ConfigType<typeof serverConfig>,
    @Inject(defenderConfig.KEY) private readonly defender: ConfigType<typeof defenderConfig>,
    private readonly log: PinoLogger,
  ) {}

  // Synchronous unless an RS256 key must be fetched: Nest awaits a returned promise, a boolean it does not.
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const bearer = request.bearer ?? wellFormedBearer(request.headers.authorization);
    const { token, header, payload: unverified } = bearer;
    const known = this.verified.get(token);
    if (known) {
      checkTimes(known.claims);
      return this.admit(request, { ...known.credentials }, known.tenant);
    }
    if (header.alg === 'RS256') return this.verifyRs256(token, header, unverified).then((credentials) => this.admit(request, credentials));
    const credentials = this.verifyHs256(token);
    if (request.headers.authorization) keepVerifiedBearer(request.headers.authorization, bearer);
    return this.admit(request, credentials);
  }

  // Request logs say which tenant without naming it: a short hash correlates, nothing more.
  private admit(request: AuthenticatedRequest, credentials: Credentials, tenant = tenantHash(credentials.tenantId)): true {
    request.credentials = credentials;
    this.log.assign({ tenant });
    return true;
  }

  private verifyHs256(token: string): Credentials {
    if (!this.auth.secretKey) {
      throw authFailure('HS256 tokens are not accepted because SECRET_KEY is not configured on the relay');
    }
    this.hs256Key ??= createSecretKey(Buffer.from(this.auth.secretKey, 'utf8'));
    // @nestjs/jwt's option type says string | Buffer, but it hands the key to jsonwebtoken as is.
    const secret = this.hs256Key as unknown as string;
    const claims = this.verify(token, { secret, algorithms: ['HS256'] }, 'Failed to decode JWT with provided key. Check SECRET_KEY');
    const credentials = this.acceptClaims(claims);
    this.verified.set(token, { claims, credentials: { ...credentials }, tenant: tenantHash(credentials.tenantId) });
    return credentials;
  }

  // `aud` only from configuration: Host and X-Forwarded-* are the caller's, so a derived audience would accept another relay's token.
  private async verifyRs256(token: string, header: JwtHeader, unverified: Claims): Promise<Credentials> {
    const audience = this.server.publicUrl;
    if (!audience) {
      throw authFailure('RS256 configuration tokens are not accepted because RELAY_PUBLIC_URL is not configured on the relay; set it to the URL Cisco XDR calls');
    }
    const claim = unverified.jwks_host;
    if (typeof claim !== 'string' || claim.trim() === '') {
      throw authFailure('jwks_host is missing in JWT payload. Make sure custom_jwks_host field is present in module_type');
    }
    const host = this.jwks.allowedHost(claim);
    if (!host) {
      throw authFailure(`jwks_host '${preview(claim)}' is not allowed. Make sure domain follows the visibility.<region>.cisco.com structure`);
    }
    if (typeof header.kid !== 'string' || header.kid === '') throw authFailure('kid is missing in JWT header');
    // Claims before the signature: only a token that would otherwise pass may spend the host's kid refetch budget.
    this.acceptClaims(unverified, audience);
    const publicKey = await this.jwks.publicKey(host, header.kid, token.split('.')[2]);
    const claims = this.verify(
      token,
      { publicKey, algorithms: ['RS256'] },
      'Failed to decode JWT with provided key. Make sure domain in custom_jwks_host corresponds to your XDR instance region.',
    );
    return this.acceptClaims(claims, audience);
  }

  private verify(token: string, options: Parameters<JwtService['verify']>[1], badKey: string): Claims {
    try {
      return this.jwt.verify<Claims>(token, options);
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      if (name === 'TokenExpiredError') throw authFailure('JWT has expired', error);
      if (name === 'NotBeforeError') throw authFailure('JWT is not valid yet', error);
      const message = error instanceof Error ? error.message : '';
      if (/signature|secret or public key/.test(message)) throw authFailure(badKey, error);
      throw authFailure('Wrong JWT structure', error);
    }
  }

  private acceptClaims(claims: Claims, audience?: string): Credentials {
    checkTimes(claims);
    if (audience !== undefined) {
      const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      if (!audiences.some((aud) => typeof aud === 'string' && aud.replace(/\/+$/, '') === audience)) {
        throw authFailure('Wrong configuration-token-audience');
      }
    }
    return this.credentials(claims);
  }

  private credentials(claims: Claims): Credentials {
    const [clientId, clientSecret, tenantId] = REQUIRED_CLAIMS.map((claim) => {
      const value = claims[claim];
      if (typeof value !== 'string' || value.trim() === '') {
        throw authFailure(`Wrong JWT payload structure: claim '${claim}' is missing or empty`);
      }
      return value.trim();
    });
    if (!isClientId(clientId)) {
      throw authFailure("Wrong JWT payload structure: claim 'client_id' must be a GUID (the Azure AD application id)");
    }
    if (!isTenantId(tenantId)) {
      throw authFailure("Wrong JWT payload structure: claim 'tenant_id' must be a GUID or a domain name such as contoso.onmicrosoft.com");
    }
    if (!isWellFormedText(clientSecret)) throw authFailure("Wrong JWT payload structure: claim 'client_secret' is not valid text");
    // Azure AD ignores the case of both, so one tenant has one set of caches and limits.
    const out: Credentials = { clientId: clientId.toLowerCase(), clientSecret, tenantId: tenantId.toLowerCase() };
    const raw = claims.CTR_ENTITIES_LIMIT;
    if (typeof raw === 'string' || typeof raw === 'number') {
      out.entitiesLimit = parseEntitiesLimit(raw, this.defender.entitiesLimit).value;
    }
    return out;
  }
}

export function tenantHash(tenantId: string): string {
  return shortHash(tenantId);
}

export function shortHash(id: string): string {
  return createHash('sha256').update(id.toLowerCase()).digest('hex').slice(0, 12);
}

// No `exp` stays valid: XDR configuration tokens are long-lived credentials stored with the module.
function checkTimes(claims: Claims): void {
  const now = Math.floor(Date.now() / 1000);
  const time = (name: 'exp' | 'nbf' | 'iat'): number | undefined => {
    const value = claims[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw authFailure('Wrong JWT structure');
    return value;
  };
  const [exp, nbf, iat] = [time('exp'), time('nbf'), time('iat')];
  if (exp !== undefined && now >= exp) throw authFailure('JWT has expired');
  if (nbf !== undefined && nbf > now) throw authFailure('JWT is not valid yet');
  if (iat !== undefined && iat > now + IAT_LEEWAY_SECONDS) {
    throw authFailure(`JWT is issued in the future: its iat is more than ${IAT_LEEWAY_SECONDS / 60} minutes ahead of the relay's clock`);
  }
}
