import { AuthConfig } from './auth.config';
import { ServerConfig } from './server.config';

export interface AuthSummary {
  /** One line for the start-up log: which token kinds are accepted, and why one is not. */
  message: string;
  /** Problems an operator should see even at LOG_LEVEL=warn. */
  warnings: string[];
}

/**
 * What authentication the configuration allows. A relay that accepts only one kind still starts
 * (HS256 needs no public URL, RS256 needs no SECRET_KEY); the summary says which one is off.
 */
export function authSummary(auth: AuthConfig, server: ServerConfig, redis: boolean): AuthSummary {
  const hs256 = auth.secretKey ? 'HS256 module JWTs on' : 'HS256 module JWTs off (SECRET_KEY is not set)';
  const rs256 = server.publicUrl
    ? `RS256 configuration tokens on (aud ${server.publicUrl}, JWKS from ${auth.jwksHosts.map((h) => h.match).join(', ')})`
    : 'RS256 configuration tokens off (RELAY_PUBLIC_URL is not set)';
  const warnings: string[] = [];
  if (!auth.secretKey && !server.publicUrl) warnings.push('No token can be accepted: set SECRET_KEY (HS256) or RELAY_PUBLIC_URL (RS256)');
  if (redis && auth.stateKey === undefined && server.publicUrl) {
    warnings.push('REDIS_URL is set but neither STATE_KEY nor SECRET_KEY: JWKS key sets are not shared through Redis, since they could not be authenticated');
  }
  return { message: `Authentication: ${hs256}; ${rs256}`, warnings };
}
