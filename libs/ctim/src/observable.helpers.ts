import { isIP } from 'node:net';
import { CtimObservable } from './ctim.types';

export type HashType = 'sha1' | 'sha256' | 'md5';

export const HASH_TYPES: readonly HashType[] = ['sha1', 'sha256', 'md5'];

const HASH_PATTERN: Readonly<Record<HashType, RegExp>> = {
  sha1: /^[0-9a-f]{40}$/,
  sha256: /^[0-9a-f]{64}$/,
  md5: /^[0-9a-f]{32}$/,
};

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const DOMAIN = /^(?=.{1,253}\.?$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}\.?$/i;

const ABSENT = new Set(['', 'null', 'none', 'n/a']);

/** Undefined also for the ways real payloads spell "no value" (docs/sightings.md). */
export function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return ABSENT.has(trimmed.toLowerCase()) ? undefined : trimmed;
}

export function truncate(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function normaliseHash(type: HashType, value: unknown): string | undefined {
  const candidate = text(value)?.toLowerCase();
  return candidate !== undefined && HASH_PATTERN[type].test(candidate) ? candidate : undefined;
}

export function ipObservable(value: unknown): CtimObservable | undefined {
  const candidate = text(value)?.replace(/%.*$/, '');
  if (candidate === undefined) return undefined;
  switch (isIP(candidate)) {
    case 4:
      return { type: 'ip', value: candidate };
    case 6:
      return { type: 'ipv6', value: candidate.toLowerCase() };
    default:
      return undefined;
  }
}

/** Defender's "url" fields also hold bare host names and addresses. */
export function urlObservable(value: unknown): CtimObservable | undefined {
  const candidate = text(value);
  if (candidate === undefined) return undefined;
  if (SCHEME.test(candidate)) return { type: 'url', value: candidate };
  const ip = ipObservable(candidate);
  if (ip) return ip;
  if (DOMAIN.test(candidate)) return { type: 'domain', value: candidate.toLowerCase().replace(/\.$/, '') };
  return { type: 'url', value: candidate };
}

export function sameObservable(a: CtimObservable, b: CtimObservable): boolean {
  return a.type === b.type && a.value === b.value;
}
