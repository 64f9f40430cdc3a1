import { RelayError } from '@app/common';
import { Machine } from '../models';

/** Devices one host name resolves to at most; more are cut to the most recently seen. */
export const MAX_HOSTNAME_DEVICES = 10;
export const MAX_IP_DEVICES = 5;
/** Rows read from `machines?$filter=…` before the exact-match check and the cut. */
export const HOSTNAME_CANDIDATES = 100;

/** Whole name, or the short name before the first dot when the host name has none; never a prefix (`ws-01` is not `ws-010`). */
export function hostnameMatches(computerDnsName: string | null | undefined, hostname: string): boolean {
  if (typeof computerDnsName !== 'string' || computerDnsName === '') return false;
  const name = computerDnsName.toLowerCase();
  const wanted = hostname.toLowerCase();
  if (name === wanted) return true;
  return !wanted.includes('.') && name.split('.')[0] === wanted;
}

/** `quote` is the OData string encoder: no value reaches the filter otherwise. */
export function hostnameFilter(hostname: string, quote: (value: string) => string): string {
  const exact = `computerDnsName eq ${quote(hostname)}`;
  return hostname.includes('.') ? exact : `${exact} or startswith(computerDnsName,${quote(`${hostname}.`)})`;
}

export function pickDevices(candidates: readonly Machine[], matches: (m: Machine) => boolean, max: number): { devices: Machine[]; truncated: boolean } {
  const found = candidates.filter((m) => typeof m.id === 'string' && m.id !== '' && matches(m));
  const seen = (m: Machine) => Date.parse(String(m.lastSeen ?? '')) || 0;
  const sorted = [...found].sort((a, b) => seen(b) - seen(a));
  return { devices: sorted.slice(0, max), truncated: sorted.length > max };
}

export function tooManyDevices(hostname: string): RelayError {
  return new RelayError('unknown', `More than ${MAX_HOSTNAME_DEVICES} devices are named ${hostname.slice(0, 80)}: only the ${MAX_HOSTNAME_DEVICES} last seen are used`, {
    type: 'warning',
  });
}

export function tooManyDevicesForIp(ip: string): RelayError {
  return new RelayError('unknown', `More than ${MAX_IP_DEVICES} devices were seen with ${ip.slice(0, 60)}: only the ${MAX_IP_DEVICES} last seen are offered`, { type: 'warning' });
}

/** Whether a device currently carries an internal IP (its last IP or any adapter's), compared canonically. */
export function deviceHasIp(machine: Machine, ip: string, canonical: (value: string) => string): boolean {
  const wanted = canonical(ip);
  const ips = [machine.lastIpAddress, ...(machine.ipAddresses ?? []).map((a) => a.ipAddress)];
  return ips.some((value) => typeof value === 'string' && value !== '' && canonical(value) === wanted);
}

/** `findbyip`'s timestamp: UTC to the second, as Defender's own example writes it. */
export function findByIpTimestamp(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function deviceHasMac(machine: Machine, mac: string): boolean {
  const digits = (value: string) => value.replace(/[-:.\s]/g, '').toUpperCase();
  const wanted = digits(mac);
  return (machine.ipAddresses ?? []).some((a) => typeof a.macAddress === 'string' && a.macAddress !== '' && digits(a.macAddress) === wanted);
}
