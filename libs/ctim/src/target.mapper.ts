import type { Machine, MachineIpAddress } from '@app/defender/models';
import { CtimObservable, ObservedTime, Target } from './ctim.types';
import { ipObservable, isRecord, text } from './observable.helpers';

export interface TargetContext {
  machines: ReadonlyMap<string, Machine>;
}

function lookup<T>(map: ReadonlyMap<string, T>, id: string): T | undefined {
  return map.get(id) ?? map.get(id.toLowerCase());
}

/** `00224843C030` → `00:22:48:43:c0:30`; undefined when not 48 bits or all zeros. */
export function formatMac(value: unknown): string | undefined {
  const hex = text(value)?.replace(/[-:.\s]/g, '').toLowerCase();
  if (hex === undefined || !/^[0-9a-f]{12}$/.test(hex) || /^0+$/.test(hex)) return undefined;
  return hex.match(/../g)?.join(':');
}

function isUninformative(ip: CtimObservable): boolean {
  if (ip.type === 'ip') return ip.value.startsWith('127.') || ip.value === '0.0.0.0' || ip.value.startsWith('169.254.');
  return ip.value === '::1' || ip.value === '::' || /^fe[89ab][0-9a-f]:/.test(ip.value);
}

/** As the original relay built it: `Windows10x64 version: 1901` (`osArchitecture` stands in for the deprecated `osProcessor`). */
export function osDescription(machine: Machine | undefined): string | undefined {
  if (!machine) return undefined;
  const platform = text(machine.osPlatform);
  if (platform === undefined) return undefined;
  const processor = text(machine.osProcessor) ?? text(machine.osArchitecture);
  const version = text(machine.version);
  const base = processor === undefined ? platform : `${platform}${processor}`;
  return version === undefined ? base : `${base} version: ${version}`;
}

function addressesOf(machine: Machine | undefined): { macs: string[]; ips: CtimObservable[] } {
  const adapters = (Array.isArray(machine?.ipAddresses) ? machine.ipAddresses : []).filter(isRecord) as MachineIpAddress[];
  const ips = adapters.map((adapter) => ipObservable(adapter.ipAddress));
  ips.push(ipObservable(machine?.lastIpAddress));
  return {
    macs: adapters.map((adapter) => formatMac(adapter.macAddress)).filter((mac): mac is string => mac !== undefined),
    ips: ips.filter((ip): ip is CtimObservable => ip !== undefined && !isUninformative(ip)),
  };
}

export function endpointTarget(
  machineId: string | null | undefined,
  deviceName: string | null | undefined,
  observedTime: ObservedTime,
  ctx: TargetContext,
): Target | undefined {
  const id = text(machineId);
  const machine = id === undefined ? undefined : lookup(ctx.machines, id);
  const hostname = text(deviceName) ?? text(machine?.computerDnsName);
  if (id === undefined && hostname === undefined) return undefined;

  const observables: CtimObservable[] = [];
  const seen = new Set<string>();
  const push = (type: string, value: string | undefined): void => {
    if (value === undefined) return;
    const key = `${type}\u0000${value}`;
    if (seen.has(key)) return;
    seen.add(key);
    observables.push({ type, value });
  };

  push('hostname', hostname);
  push('ms_machine_id', id?.toLowerCase());
  const { macs, ips } = addressesOf(machine);
  for (const mac of macs) push('mac_address', mac);
  for (const ip of ips) push(ip.type, ip.value);

  const target: Target = {
    type: 'endpoint',
    observables,
    observed_time: { ...observedTime },
  };
  const os = osDescription(machine);
  if (os !== undefined) target.os = os;
  return target;
}
