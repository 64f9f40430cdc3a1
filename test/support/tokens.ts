import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID } from '../../apps/defender-sandbox/src';
import { sign, SignOptions } from 'jsonwebtoken';

export const TEST_SECRET_KEY = 'test-secret-key-0123456789abcdef0123456789abcdef';

/**
 * The public URL test relays are configured with (RELAY_PUBLIC_URL), as behind an ingress: it is
 * not the loopback address the tests call, and it is the `aud` of RS256 configuration tokens.
 */
export const TEST_PUBLIC_URL = 'https://defender-relay.test';

export const DEMO_CLAIMS = { client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID };

/** An HS256 module JWT as the original relay's `jwt` command made them (a string payload is signed as written). */
export function hsToken(claims: Record<string, unknown> | string = DEMO_CLAIMS, secret = TEST_SECRET_KEY, options: SignOptions = {}): string {
  return sign(claims, secret, { algorithm: 'HS256', ...options });
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** A token whose header says `alg: none` (unsigned). */
export function unsignedToken(claims: Record<string, unknown> = DEMO_CLAIMS): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}
