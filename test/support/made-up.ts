import { createHash } from 'node:crypto';
import { TWENTY_OBSERVABLES } from '../../apps/defender-sandbox/src';

export interface Obs {
  type: string;
  value: string;
}

export const hex = (seed: string, length: number) => createHash('sha256').update(seed).digest('hex').repeat(2).slice(0, length);

/** The i-th made-up (unknown) value, of every type in turn: sha1, sha256, md5, ip, ipv6, domain. */
export function madeUp(i: number, seed: string): Obs {
  switch (i % 6) {
    case 0:
      return { type: 'sha1', value: hex(`${seed}-${i}`, 40) };
    case 1:
      return { type: 'sha256', value: hex(`${seed}-${i}`, 64) };
    case 2:
      return { type: 'md5', value: hex(`${seed}-${i}`, 32) };
    case 3:
      return { type: 'ip', value: `198.51.${(i >> 8) & 255}.${i & 255}` };
    case 4:
      return { type: 'ipv6', value: `2001:db8::${i.toString(16)}` };
    default:
      return { type: 'domain', value: `unknown-${i}.example` };
  }
}

/** The demo tenant's twenty observables, then 480 made-up ones (80 of each type). */
export const investigation = (seed: string): Obs[] => [...TWENTY_OBSERVABLES.map((o) => ({ ...o })), ...Array.from({ length: 480 }, (_, i) => madeUp(i, seed))];
