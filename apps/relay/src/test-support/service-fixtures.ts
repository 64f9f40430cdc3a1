import { Credentials } from '@app/common';

// What the service unit specs share: a fixed instant, one analyst, ids and hashes of the right shape.
export const NOW = Date.parse('2026-03-01T12:00:00Z');
export const ANALYST: Credentials = { tenantId: 'tenant-a', clientId: 'app-1', clientSecret: 's1' };
export const M1 = '1'.repeat(40);
export const M2 = '2'.repeat(40);
export const SHA1 = 'a'.repeat(40);
export const SHA256 = 'b'.repeat(64);
export const MD5 = 'c'.repeat(32);

export const minutesAgo = (n: number): string => new Date(NOW - n * 60_000).toISOString();
