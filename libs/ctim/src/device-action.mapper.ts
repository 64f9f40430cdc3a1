import type { Machine, MachineAction, MachineActionName } from '@app/defender/models';
import { CtimObservable, ResponseAction } from './ctim.types';
import { text } from './observable.helpers';

export const STOP_AND_QUARANTINE_ACTION_ID = 'microsoft-defender-stop-and-quarantine-file';
export const ADD_TAG_ACTION_ID = 'microsoft-defender-add-tag';
export const REMOVE_TAG_ACTION_ID = 'microsoft-defender-remove-tag';
export const CANCEL_MACHINE_ACTION_ID = 'microsoft-defender-cancel-machine-action';

export const DEVICE_TAG_CATEGORIES = ['Microsoft Defender for Endpoint', 'Device Tags'] as const;
export const FILE_ACTION_CATEGORIES = ['Microsoft Defender for Endpoint', 'File Actions'] as const;

/**
 * A device as the response actions see it, however it was found (by id today, by host name or
 * IP later): its profile and its recent actions, newest first, split into succeeded and still
 * Pending/InProgress.
 */
export interface ResponseDevice {
  id: string;
  machine: Machine;
  succeeded: readonly MachineAction[];
  active: readonly MachineAction[];
}

/** The query-params every device-level action carries. */
export function deviceParams(device: ResponseDevice): Record<string, string> {
  return { observable_type: 'ms_machine_id', observable_value: device.id };
}

/** The relay's machine actions a Pending/InProgress Defender action of each type blocks: Defender refuses them until it ends. */
const BLOCKED_BY: Readonly<Record<string, readonly MachineActionName[]>> = {
  Isolate: ['FullIsolation', 'SelectiveIsolation', 'Unisolate'],
  Unisolate: ['FullIsolation', 'SelectiveIsolation', 'Unisolate'],
  RestrictCodeExecution: ['RestrictCodeExecution', 'UnrestrictCodeExecution'],
  UnrestrictCodeExecution: ['RestrictCodeExecution', 'UnrestrictCodeExecution'],
  RunAntiVirusScan: ['RunAntiVirusScanQuick', 'RunAntiVirusScanFull'],
  CollectInvestigationPackage: ['CollectInvestigationPackage'],
};

/** The machine actions not to offer while the device's active actions run. */
export function blockedActions(active: readonly MachineAction[]): Set<MachineActionName> {
  return new Set(active.flatMap((a) => BLOCKED_BY[String(a.type)] ?? []));
}

const ACTION_LABELS: Readonly<Record<string, string>> = {
  Isolate: 'isolation',
  Unisolate: 'release from isolation',
  RestrictCodeExecution: 'app restriction',
  UnrestrictCodeExecution: 'removal of app restrictions',
  RunAntiVirusScan: 'antivirus scan',
  CollectInvestigationPackage: 'investigation package collection',
  StopAndQuarantineFile: 'stop and quarantine file',
  Offboard: 'offboarding',
  LiveResponse: 'live response',
};

/** `5 minutes`, `2 hours`, `3 days`; `less than a minute` for anything shorter. */
export function age(fromIso: string | null | undefined, now: Date): string | undefined {
  const from = Date.parse(fromIso ?? '');
  if (Number.isNaN(from)) return undefined;
  const minutes = Math.floor(Math.max(0, now.getTime() - from) / 60_000);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes < 1) return 'less than a minute';
  if (minutes < 120) return plural(minutes, 'minute');
  if (minutes < 48 * 60) return plural(Math.floor(minutes / 60), 'hour');
  return plural(Math.floor(minutes / 1440), 'day');
}

/** "Cancel pending <action>" for each Pending/InProgress action of the device, with its age. */
export function cancelActions(device: ResponseDevice, now: Date): ResponseAction[] {
  const name = text(device.machine.computerDnsName) ?? device.id;
  return device.active.map((action) => {
    const label = ACTION_LABELS[String(action.type)] ?? String(action.type);
    const scope = text(action.scope);
    const what = scope ? `${label} (${scope})` : label;
    const since = age(action.creationDateTimeUtc, now);
    const by = text(action.requestor);
    return {
      id: CANCEL_MACHINE_ACTION_ID,
      title: `Cancel pending ${what}`,
      description: `Cancel the ${what} of ${name}, ${String(action.status)}${since ? ` for ${since}` : ''}${by ? `, requested by ${by}` : ''}`,
      categories: ['Microsoft Defender for Endpoint', 'Machine Actions'],
      'query-params': { ...deviceParams(device), machine_action_id: String(action.id) },
    };
  });
}

/** "Add tag X" for each configured tag the device lacks, "Remove tag X" for each it has (case-insensitive). */
export function tagActions(device: ResponseDevice, configured: readonly string[]): ResponseAction[] {
  const name = text(device.machine.computerDnsName) ?? device.id;
  const has = new Set((device.machine.machineTags ?? []).map((t) => String(t).toLowerCase()));
  return configured.map((tag) => {
    const remove = has.has(tag.toLowerCase());
    return {
      id: remove ? REMOVE_TAG_ACTION_ID : ADD_TAG_ACTION_ID,
      title: `${remove ? 'Remove' : 'Add'} tag ${tag}`,
      description: remove ? `Remove the device tag ${tag} from ${name}` : `Add the device tag ${tag} to ${name}`,
      categories: [...DEVICE_TAG_CATEGORIES],
      'query-params': { ...deviceParams(device), tag },
    };
  });
}

/** Most device names listed in the quarantine description; the count says the rest. */
const LISTED_DEVICES = 5;

/** One "Stop and quarantine file on N devices" when Defender knows devices that have the file. */
export function quarantineActions(observable: CtimObservable, devices: readonly Machine[]): ResponseAction[] {
  if (devices.length === 0) return [];
  const n = devices.length;
  const names = devices.slice(0, LISTED_DEVICES).map((d) => text(d.computerDnsName) ?? d.id);
  const more = n > LISTED_DEVICES ? ` and ${n - LISTED_DEVICES} more` : '';
  return [
    {
      id: STOP_AND_QUARANTINE_ACTION_ID,
      title: `Stop and quarantine file on ${n} device${n === 1 ? '' : 's'}`,
      description: `Stop the processes of ${observable.value} and quarantine the file on ${names.join(', ')}${more}`,
      categories: [...FILE_ACTION_CATEGORIES],
      'query-params': { observable_type: observable.type, observable_value: observable.value },
    },
  ];
}
