import { Expose, Transform } from 'class-transformer';
import { ArrayNotEmpty, IsOptional, IsString } from 'class-validator';
import { checkPlainHttp } from './outbound.config';
import { checkEnv, collectProblems, configNamespace, ConfigValidationError, Env } from './validate-config';

export const DEFAULT_JWKS_HOSTS = ['visibility.amp.cisco.com', 'visibility.eu.amp.cisco.com', 'visibility.apjc.amp.cisco.com'];

class AuthEnv {
  @Expose() @IsOptional() @IsString()
  SECRET_KEY?: string;

  @Expose()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((h) => h.trim()).filter(Boolean) : value))
  @ArrayNotEmpty({ message: 'must list at least one host' })
  JWKS_HOSTS: string[] = DEFAULT_JWKS_HOSTS;
}

/** One allowed JWKS host: the `jwks_host` claim is matched against `match`, and the keys fetched from `jwksUrl`. */
export interface JwksHost {
  match: string;
  jwksUrl: string;
}

export interface AuthConfig {
  secretKey?: string;
  jwksHosts: JwksHost[];
  warnings: string[];
}

/** Shorter HS256 keys are accepted (operators may have old ones) but are easier to guess. */
const STRONG_SECRET_LENGTH = 32;

const BARE_HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/i;

// A bare host means `https://<host>`; an origin with a scheme is fetched as written (how tests use a local JWKS).
export function parseJwksHost(entry: string): JwksHost {
  if (/^https?:\/\//i.test(entry)) {
    const url = URL.canParse(entry) ? new URL(entry) : undefined;
    if (!url || url.pathname !== '/' || url.search || url.hash || url.username) {
      throw new ConfigValidationError([`JWKS_HOSTS: '${entry}' must be a host name or an origin without a path`]);
    }
    return { match: url.host.toLowerCase(), jwksUrl: `${url.origin}/.well-known/jwks` };
  }
  if (!BARE_HOST.test(entry)) {
    throw new ConfigValidationError([`JWKS_HOSTS: '${entry}' is not a host name (expected e.g. visibility.amp.cisco.com)`]);
  }
  return { match: entry.toLowerCase(), jwksUrl: `https://${entry.toLowerCase()}/.well-known/jwks` };
}

export function weakKeyWarning(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value.length >= STRONG_SECRET_LENGTH) return undefined;
  return `${name} has ${value.length} characters; use at least ${STRONG_SECRET_LENGTH} random ones (npm run jwt makes 64)`;
}

export function loadAuthConfig(env: Env): AuthConfig {
  const { values: e, problems, invalid } = checkEnv(AuthEnv, env);
  const jwksHosts = invalid.has('JWKS_HOSTS') ? [] : e.JWKS_HOSTS.flatMap((entry) => collectProblems(problems, () => parseJwksHost(entry)) ?? []);
  // Keys fetched over plain http could be swapped on the way, and forged tokens accepted.
  const plainHttp = checkPlainHttp(env, Object.fromEntries(jwksHosts.map((h) => [`JWKS_HOSTS entry ${h.match}`, h.jwksUrl])));
  problems.push(...plainHttp.problems);
  if (problems.length > 0) throw new ConfigValidationError(problems);
  const warnings = [...plainHttp.warnings, weakKeyWarning('SECRET_KEY', e.SECRET_KEY)].filter((w) => w !== undefined);
  return { secretKey: e.SECRET_KEY, jwksHosts, warnings };
}

export const authConfig = configNamespace('auth', loadAuthConfig);
