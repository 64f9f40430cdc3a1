import { isIP } from 'node:net';

export type ObservableType =
  | 'ip'
  | 'ipv6'
  | 'domain'
  | 'sha1'
  | 'sha256'
  | 'md5'
  | 'ms_machine_id'
  | 'url'
  | 'hostname'
  | 'user'
  | 'file_name'
  | 'file_path'
  | 'process_name'
  | 'registry_key'
  | 'mac_address'
  | 'email';

export interface Observable {
  type: ObservableType;
  value: string;
}

/** Types each endpoint accepts; other well-formed types are dropped silently. */
export const JUDGE_TYPES: readonly ObservableType[] = ['ip', 'ipv6', 'domain', 'sha1', 'sha256', 'md5', 'url'];
export const OBSERVE_TYPES: readonly ObservableType[] = [
  ...JUDGE_TYPES,
  'ms_machine_id',
  'hostname',
  'user',
  'file_name',
  'file_path',
  'process_name',
  'registry_key',
  'mac_address',
  'email',
];
export const REFER_TYPES: readonly ObservableType[] = OBSERVE_TYPES;
export const RESPOND_TYPES: readonly ObservableType[] = [...JUDGE_TYPES, 'ms_machine_id', 'hostname', 'mac_address', 'user'];
/** Types whose devices respond offers machine actions for (resolved, then acted on by `machine_id`). */
export const DEVICE_PIVOT_TYPES: readonly ObservableType[] = ['hostname', 'ip', 'ipv6', 'mac_address'];

export const HASH_TYPES: readonly ObservableType[] = ['sha1', 'sha256', 'md5'];

interface TypeRule {
  normalise(value: string): string;
  valid(value: string): boolean;
  expected: string;
}

const lower = (v: string) => v.toLowerCase();

// Node's isIP also accepts an IPv6 zone id (`fe80::1%eth0`): one host's interface, not an observable.
export function ipVersion(value: string): 0 | 4 | 6 {
  return value.includes('%') ? 0 : (isIP(value) as 0 | 4 | 6);
}

/** Canonical text of an IP, so equal addresses compare equal; anything else lower-cased, never an exception. */
export function canonicalIp(value: string): string {
  const v = value.toLowerCase();
  // IPv4-mapped and embedded-IPv4 forms keep their dotted tail.
  if (ipVersion(v) !== 6 || v.includes('.')) return v;
  return new URL(`http://[${v}]`).hostname.slice(1, -1);
}
const HEX40 = /^[0-9a-f]{40}$/;

export function isMachineId(value: unknown): value is string {
  return typeof value === 'string' && HEX40.test(value.toLowerCase());
}
const HEX64 = /^[0-9a-f]{64}$/;
const HEX32 = /^[0-9a-f]{32}$/;
// Any script's letters (IDN as XDR sends them); no quotes, spaces, slashes or controls, so no query syntax.
const DOMAIN_LABEL = /^(?!-)[\p{L}\p{N}_-]{1,63}(?<!-)$/u;

function validDomain(value: string): boolean {
  if (value.length > 253 || !value.includes('.')) return false;
  return value.split('.').every((label) => DOMAIN_LABEL.test(label));
}

function validUrl(value: string): boolean {
  if (value.length > 2048 || /[\s\u0000-\u001f\u007f]/.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

// Quotes and `%` pass: the OData encoder makes them harmless, and the exact match after resolution keeps near misses out.
const HOSTNAME = /^[^\s\u0000-\u001f\u007f/\\@]{1,253}$/u;

function validHostname(value: string): boolean {
  return HOSTNAME.test(value) && !/^\.*$/.test(value);
}

// `DOMAIN\account`, `account@domain` or `account`: the account part is what Defender looks up.
const USER = /^(?:[^\s\\@\u0000-\u001f\u007f]{1,255}\\)?[^\\@\u0000-\u001f\u007f]{1,104}(?:@[^\s\\@\u0000-\u001f\u007f]{1,255})?$/u;

export function accountName(user: string): string {
  const afterDomain = user.includes('\\') ? user.slice(user.indexOf('\\') + 1) : user;
  const at = afterDomain.lastIndexOf('@');
  return (at > 0 ? afterDomain.slice(0, at) : afterDomain).trim();
}

const FILE_NAME = /^(?!\.{1,2}$)[^\\/\u0000-\u001f\u007f]{1,260}$/u;
const FILE_PATH = /^(?:[a-z]:\\|\\\\|\/|%[^%\s]+%\\)[^\u0000-\u001f\u007f]{0,32766}$/iu;
const REGISTRY_KEY = /^(?:HKEY_LOCAL_MACHINE|HKEY_CURRENT_USER|HKEY_USERS|HKEY_CLASSES_ROOT|HKEY_CURRENT_CONFIG)(?:\\[^\\\u0000-\u001f\u007f]{1,255})*$/u;
const HIVES: Record<string, string> = { HKLM: 'HKEY_LOCAL_MACHINE', HKCU: 'HKEY_CURRENT_USER', HKU: 'HKEY_USERS', HKCR: 'HKEY_CLASSES_ROOT', HKCC: 'HKEY_CURRENT_CONFIG' };
const MAC = /^(?:[0-9A-F]{2}([-:])(?:[0-9A-F]{2}\1){4}[0-9A-F]{2}|[0-9A-F]{4}\.[0-9A-F]{4}\.[0-9A-F]{4}|[0-9A-F]{12})$/;
const EMAIL = /^[^\s@\\\u0000-\u001f\u007f]{1,104}@[^\s@\\\u0000-\u001f\u007f]+\.[^\s@\\\u0000-\u001f\u007f]+$/u;

function registryKey(value: string): string {
  const [hive, ...rest] = value.replace(/\\+$/, '').split('\\');
  const full = HIVES[hive.toUpperCase()] ?? hive.toUpperCase();
  return [full, ...rest].join('\\');
}

export const TYPE_RULES: Record<ObservableType, TypeRule> = {
  sha1: { normalise: lower, valid: (v) => HEX40.test(v), expected: 'a SHA-1 (40 hexadecimal characters)' },
  sha256: { normalise: lower, valid: (v) => HEX64.test(v), expected: 'a SHA-256 (64 hexadecimal characters)' },
  md5: { normalise: lower, valid: (v) => HEX32.test(v), expected: 'an MD5 (32 hexadecimal characters)' },
  ms_machine_id: { normalise: lower, valid: isMachineId, expected: 'a Defender machine id (40 hexadecimal characters)' },
  ip: { normalise: canonicalIp, valid: (v) => ipVersion(v) !== 0, expected: 'an IP address' },
  ipv6: { normalise: (v) => canonicalIp(v.replace(/^\[(.*)\]$/, '$1')), valid: (v) => ipVersion(v) === 6, expected: 'an IPv6 address' },
  domain: { normalise: (v) => lower(v).replace(/\.$/, ''), valid: validDomain, expected: 'a domain name' },
  url: { normalise: (v) => v, valid: validUrl, expected: 'an http(s) URL' },
  hostname: { normalise: (v) => lower(v).replace(/\.$/, ''), valid: validHostname, expected: 'a host name' },
  user: { normalise: (v) => v, valid: (v) => USER.test(v) && !/^\.*$/.test(accountName(v)), expected: 'a user name' },
  file_name: { normalise: (v) => v, valid: (v) => FILE_NAME.test(v), expected: 'a file name (no path)' },
  process_name: { normalise: (v) => v, valid: (v) => FILE_NAME.test(v), expected: 'a process file name (no path)' },
  file_path: { normalise: (v) => v, valid: (v) => FILE_PATH.test(v), expected: 'a full file path' },
  registry_key: { normalise: registryKey, valid: (v) => REGISTRY_KEY.test(v), expected: 'a registry key starting with its hive (HKEY_LOCAL_MACHINE\\…)' },
  mac_address: { normalise: (v) => v.toUpperCase(), valid: (v) => MAC.test(v), expected: 'a MAC address (00-15-5D-…, 00:15:5d:…, 00155D…)' },
  email: { normalise: lower, valid: (v) => v.length <= 320 && EMAIL.test(v), expected: 'an email address' },
};

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isWellFormedText(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

export function observableProblem(type: ObservableType, value: string): string | undefined {
  if (!isWellFormedText(value)) return 'not well-formed text (it holds a lone UTF-16 surrogate)';
  return TYPE_RULES[type].valid(value) ? undefined : `not ${TYPE_RULES[type].expected}`;
}

export function isObservableType(type: string): type is ObservableType {
  return Object.prototype.hasOwnProperty.call(TYPE_RULES, type);
}

/** Type trimmed and lower-cased, value trimmed and normalised by its type's rule; not yet checked. */
export function normaliseObservable(type: string, value: string): { type: string; value: string } {
  const normalType = type.trim().toLowerCase();
  const trimmed = value.trim();
  return { type: normalType, value: isObservableType(normalType) ? TYPE_RULES[normalType].normalise(trimmed) : trimmed };
}
