import { Credentials } from '@app/common';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Tokens kept in Redis are sealed with AES-256-GCM under a key derived (HKDF) from the client
 * secret they were issued for, salted with the relay's STATE_KEY (else SECRET_KEY) when set:
 * reading Redis alone gives neither tokens nor secrets, and a token opens only for whoever holds
 * its secret.
 */
function keyFor(credentials: Credentials, audience: string, salt: string): Buffer {
  const info = `defender-relay token v1\u0000${credentials.tenantId}\u0000${credentials.clientId}\u0000${audience}`;
  return Buffer.from(hkdfSync('sha256', credentials.clientSecret, salt, info, 32));
}

export function sealToken(plain: string, credentials: Credentials, audience: string, salt: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(credentials, audience, salt), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** The token, or undefined when the value was not sealed for these credentials (or was tampered with). */
export function openToken(sealed: string, credentials: Credentials, audience: string, salt: string): string | undefined {
  try {
    const raw = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', keyFor(credentials, audience, salt), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
