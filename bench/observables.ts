/** Request bodies the benchmarks share. */
import { createHash } from 'node:crypto';
import { TWENTY_OBSERVABLES } from '../apps/defender-sandbox/src';

export interface Observable {
  type: string;
  value: string;
}

/**
 * An investigation's worth: the twenty (known and unknown) then made-up sha1, sha256, md5, ip,
 * ipv6 and domain values in turn. Each `variant` makes other made-up values (0: the original set).
 */
export function investigation(size: number, variant = 0): Observable[] {
  const seed = (i: number) => (variant === 0 ? `bench-${i}` : `bench-${variant}-${i}`);
  const hex = (i: number, length: number) => createHash('sha256').update(seed(i)).digest('hex').repeat(2).slice(0, length);
  const n = (i: number) => i + variant * 100_000;
  const made = (i: number): Observable => {
    switch (i % 6) {
      case 0:
        return { type: 'sha1', value: hex(i, 40) };
      case 1:
        return { type: 'sha256', value: hex(i, 64) };
      case 2:
        return { type: 'md5', value: hex(i, 32) };
      case 3:
        return { type: 'ip', value: `198.51.${Math.floor(n(i) / 250) % 250}.${(n(i) % 250) + 1}` };
      case 4:
        return { type: 'ipv6', value: `2001:db8::${n(i).toString(16)}` };
      default:
        return { type: 'domain', value: variant === 0 ? `unseen-${i}.example` : `unseen-${variant}-${i}.example` };
    }
  };
  const twenty = TWENTY_OBSERVABLES.map((o) => ({ ...o }));
  return [...twenty, ...Array.from({ length: size - twenty.length }, (_, i) => made(i))];
}
