/**
 * The Defender APIs whose budgets the relay plans by, named as the limiter counts them (`apiName`
 * of a call's path): `files/{sha1}/alerts` spends `files/alerts`.
 */
export type DefenderApi = 'files' | 'files/alerts' | 'domains/alerts' | 'ips/alerts' | 'users/alerts' | 'files/stats' | 'ips/stats' | 'domains/stats';

/** `files/{x}/alerts` → `files/alerts`: coarser than Defender's own split where in doubt, never finer. */
export function apiName(path: string): string {
  const segments = path.split('?')[0].split('/');
  return segments.length > 2 ? `${segments[0]}/${segments[segments.length - 1]}` : segments[0];
}
