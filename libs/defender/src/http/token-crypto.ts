import { Credentials } from '@app/common';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

// Sealed under a key derived from the token's own client secret (salted with STATE_KEY): reading
// Redis alone gives neither tokens nor secrets, and a token opens only for whoever holds its secret.
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
