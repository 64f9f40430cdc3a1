import { preview } from '../errors';
import { BoundedMap } from '../state/bounded-map';
import { authFailure } from './auth-messages';

export interface JwtHeader {
  alg?: unknown;
  kid?: unknown;
}

/** The token and its decoded parts when shaped like a JWT the guard accepts (signature unchecked); else the guard's error. */
export interface WellFormedBearer {
  token: string;
  header: JwtHeader;
  payload: Record<string, unknown>;
}

// XDR sends one module token on every call: decoding it again cost more than the rest of the guard. Only
// bearers whose signature the guard verified are kept, so made-up tokens hold no memory.
const verified = new BoundedMap<string, WellFormedBearer>(1000);

export function wellFormedBearer(authorization: string | undefined): WellFormedBearer {
  const known = authorization === undefined ? undefined : verified.get(authorization);
  if (known) return known;
  const token = bearerToken(authorization);
  const header = decodeJwtPart(token, 0);
  if (header.alg !== 'HS256' && header.alg !== 'RS256') {
    throw authFailure(`JWT algorithm '${preview(header.alg, 16)}' is not accepted; use HS256 or RS256`);
  }
  return Object.freeze({ token, header: Object.freeze(header), payload: Object.freeze(decodeJwtPart(token, 1)) });
}

export function keepVerifiedBearer(authorization: string, bearer: WellFormedBearer): void {
  verified.set(authorization, bearer);
}

export function bearerToken(authorization: string | undefined): string {
  if (!authorization) throw authFailure('Authorization header is missing');
  const [scheme, token, ...rest] = authorization.trim().split(/\s+/);
  if (scheme.toLowerCase() !== 'bearer') throw authFailure('Wrong authorization type');
  if (!token || rest.length > 0) throw authFailure('Wrong JWT structure');
  return token;
}

function decodeJwtPart(token: string, index: 0 | 1): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p, i) => i < 2 && !/^[A-Za-z0-9_-]+$/.test(p))) throw authFailure('Wrong JWT structure');
  try {
    const value: unknown = JSON.parse(Buffer.from(parts[index], 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw authFailure('Wrong JWT structure', error);
  }
}
