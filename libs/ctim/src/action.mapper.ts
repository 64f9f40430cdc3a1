import { Clock, CLOCK } from '@app/common/clock';
import type { Indicator, Machine, MachineAction, MachineActionName } from '@app/defender/models';
import { Inject, Injectable } from '@nestjs/common';
import { CtimObservable, ResponseAction } from './ctim.types';
import { text } from './observable.helpers';
import { indicatorExpired } from './verdict.mapper';

// Ids and titles stay the original relay's, so configured workflows keep working.
const ACTION_ID_PREFIX = 'microsoft-defender-';

const MACHINE_ACTION_TITLES: Readonly<Record<MachineActionName, string>> = {
  FullIsolation: 'Isolate Device: Full',
  SelectiveIsolation: 'Isolate Device: Selective',
  Unisolate: 'Release from isolation',
  RestrictCodeExecution: 'Restrict app execution',
  UnrestrictCodeExecution: 'Remove app restrictions',
  RunAntiVirusScanQuick: 'Run antivirus scan: Quick',
  RunAntiVirusScanFull: 'Run antivirus scan: Full',
  CollectInvestigationPackage: 'Collect investigation package',
  InitiateInvestigation: 'Initiate automated investigation',
};

const MACHINE_ACTION_NAMES = Object.keys(MACHINE_ACTION_TITLES) as MachineActionName[];

export const MACHINE_ACTION_IDS = Object.fromEntries(
  MACHINE_ACTION_NAMES.map((name) => [name, `${ACTION_ID_PREFIX}${name}`]),
) as Readonly<Record<MachineActionName, string>>;

export const ADD_INDICATOR_ALERT_ACTION_ID = 'microsoft-defender-add-indicator-alert';
export const ADD_INDICATOR_ALERT_AND_BLOCK_ACTION_ID = 'microsoft-defender-add-indicator-alert-and-block';
export const ADD_INDICATOR_ALLOWED_ACTION_ID = 'microsoft-defender-add-indicator-allowed';
export const REMOVE_INDICATOR_ACTION_ID = 'microsoft-defender-remove-indicator';

export const ADD_INDICATOR_ACTION_IDS = [
  ADD_INDICATOR_ALERT_ACTION_ID,
  ADD_INDICATOR_ALERT_AND_BLOCK_ACTION_ID,
  ADD_INDICATOR_ALLOWED_ACTION_ID,
] as const;

export type AddIndicatorActionId = (typeof ADD_INDICATOR_ACTION_IDS)[number];

export const MACHINE_ACTIONS_CATEGORIES = ['Microsoft Defender for Endpoint', 'Machine Actions'] as const;
export const ADD_INDICATOR_CATEGORIES = ['Microsoft Defender for Endpoint', 'Add Indicator'] as const;
export const REMOVE_INDICATOR_CATEGORIES = ['Microsoft Defender for Endpoint', 'Remove Indicator'] as const;

interface MachineState {
  isolated: boolean;
  restricted: boolean;
  available?: readonly string[];
}

const ISOLATION = new Set(['Isolate', 'Unisolate']);
const RESTRICTION = new Set(['RestrictCodeExecution', 'UnrestrictCodeExecution']);

function machineState(machine: Machine, history: readonly MachineAction[]): MachineState {
  const latest = (types: ReadonlySet<string>) => history.find((action) => types.has(String(action.type)))?.type;
  return {
    isolated: latest(ISOLATION) === 'Isolate',
    restricted: latest(RESTRICTION) === 'RestrictCodeExecution',
    available: availableMachineActions(machine.osPlatform),
  };
}

// Reverse actions are always offered when the state calls for them: an isolated device may not list isolation.
const AVAILABILITY: Readonly<Partial<Record<MachineActionName, readonly string[]>>> = {
  FullIsolation: ['FullIsolation'],
  SelectiveIsolation: ['SelectiveIsolation'],
  RestrictCodeExecution: ['RestrictCodeExecution'],
  RunAntiVirusScanQuick: ['RunAntiVirusScan'],
  RunAntiVirusScanFull: ['RunAntiVirusScan'],
  CollectInvestigationPackage: ['CollectInvestigationPackage'],
  InitiateInvestigation: ['InitiateInvestigation'],
};

const NON_WINDOWS_ACTIONS: readonly string[] = ['FullIsolation', 'RunAntiVirusScan', 'CollectInvestigationPackage'];

// Microsoft's documented replacement of `availableMachineActions`, from `osPlatform` (Linux/macOS get OsPlatformNotSupported for the rest).
function availableMachineActions(osPlatform: string | null | undefined): readonly string[] | undefined {
  const platform = text(osPlatform)?.toLowerCase();
  if (platform === undefined || platform.startsWith('windows')) return undefined;
  return platform === 'linux' || platform === 'macos' ? NON_WINDOWS_ACTIONS : [];
}

function machineActionNames(state: MachineState, blocked: ReadonlySet<MachineActionName>): MachineActionName[] {
  const names: MachineActionName[] = [
    ...(state.isolated ? (['Unisolate'] as const) : (['FullIsolation', 'SelectiveIsolation'] as const)),
    state.restricted ? 'UnrestrictCodeExecution' : 'RestrictCodeExecution',
    'RunAntiVirusScanQuick',
    'RunAntiVirusScanFull',
    'CollectInvestigationPackage',
    'InitiateInvestigation',
  ];
  const available = state.available ? new Set(state.available.map((a) => a.toLowerCase())) : undefined;
  return names
    .filter((name) => !blocked.has(name))
    .filter((name) => {
      const requires = AVAILABILITY[name];
      return !available || !requires || requires.some((a) => available.has(a.toLowerCase()));
    });
}

function machineActions(machineId: string, state: MachineState, blocked: ReadonlySet<MachineActionName> = new Set()): ResponseAction[] {
  return machineActionNames(state, blocked).map((name) => ({
    id: MACHINE_ACTION_IDS[name],
    title: MACHINE_ACTION_TITLES[name],
    description: MACHINE_ACTION_TITLES[name],
    categories: [...MACHINE_ACTIONS_CATEGORIES],
    'query-params': { observable_type: 'ms_machine_id', observable_value: machineId },
  }));
}

const DEVICE_ACTION_TITLES: Readonly<Record<MachineActionName, (device: string) => string>> = {
  FullIsolation: (d) => `Isolate ${d} (Full)`,
  SelectiveIsolation: (d) => `Isolate ${d} (Selective)`,
  Unisolate: (d) => `Release ${d} from isolation`,
  RestrictCodeExecution: (d) => `Restrict app execution on ${d}`,
  UnrestrictCodeExecution: (d) => `Remove app restrictions on ${d}`,
  RunAntiVirusScanQuick: (d) => `Run antivirus scan on ${d} (Quick)`,
  RunAntiVirusScanFull: (d) => `Run antivirus scan on ${d} (Full)`,
  CollectInvestigationPackage: (d) => `Collect investigation package from ${d}`,
  InitiateInvestigation: (d) => `Initiate automated investigation on ${d}`,
};

// The trigger acts on the `machine_id` carried here, never resolving the observable again.
function deviceActions(observable: CtimObservable, machineId: string, deviceName: string, state: MachineState): ResponseAction[] {
  return machineActionNames(state, new Set()).map((name) => {
    const title = DEVICE_ACTION_TITLES[name](deviceName);
    return {
      id: MACHINE_ACTION_IDS[name],
      title,
      description: title,
      categories: [...MACHINE_ACTIONS_CATEGORIES],
      'query-params': { observable_type: observable.type, observable_value: observable.value, machine_id: machineId },
    };
  });
}

function humanIndicatorAction(action: string): string {
  switch (action) {
    case 'AlertAndBlock':
      return 'Alert and Block';
    case 'BlockAndRemediate':
      return 'Block and Remediate';
    default:
      return action;
  }
}

function removeIndicator(observable: CtimObservable, indicator: Indicator, expired: boolean): ResponseAction {
  const action = humanIndicatorAction(text(indicator.action) ?? 'Unknown');
  const title = text(indicator.title) ?? String(indicator.id);
  const expires = text(indicator.expirationTime);
  return {
    id: REMOVE_INDICATOR_ACTION_ID,
    title: expired ? `Remove expired indicator: ${action} - ${title}` : `Remove indicator: ${action} - ${title}`,
    description: expired
      ? `Remove the indicator with ${action} action for ${observable.value}: it expired ${expires} and no longer applies`
      : `Remove indicator with ${action} action for ${observable.value}${expires ? `; it expires ${expires}` : ''}`,
    categories: [...REMOVE_INDICATOR_CATEGORIES],
    'query-params': { observable_type: observable.type, observable_value: observable.value, indicator_id: String(indicator.id) },
  };
}

// Adds are titled with the observable: XDR lists all observables' actions together.
function indicatorActions(observable: CtimObservable, indicators: readonly Indicator[], now: Date): ResponseAction[] {
  const live = indicators.find((i) => !indicatorExpired(i, now));
  if (live) return [removeIndicator(observable, live, false)];
  const add = (id: AddIndicatorActionId, label: string): ResponseAction => ({
    id,
    title: `Add indicator for ${observable.type} ${observable.value}: ${label}`,
    description: `Add indicator with ${label} action for ${observable.value}`,
    categories: [...ADD_INDICATOR_CATEGORIES],
    'query-params': { observable_type: observable.type, observable_value: observable.value },
  });
  return [
    add(ADD_INDICATOR_ALERT_ACTION_ID, 'Alert'),
    add(ADD_INDICATOR_ALERT_AND_BLOCK_ACTION_ID, 'Alert and Block'),
    add(ADD_INDICATOR_ALLOWED_ACTION_ID, 'Allowed'),
    ...indicators.map((expired) => removeIndicator(observable, expired, true)),
  ];
}

export const STOP_AND_QUARANTINE_ACTION_ID = 'microsoft-defender-stop-and-quarantine-file';
export const ADD_TAG_ACTION_ID = 'microsoft-defender-add-tag';
export const REMOVE_TAG_ACTION_ID = 'microsoft-defender-remove-tag';
export const CANCEL_MACHINE_ACTION_ID = 'microsoft-defender-cancel-machine-action';

export const DEVICE_TAG_CATEGORIES = ['Microsoft Defender for Endpoint', 'Device Tags'] as const;
export const FILE_ACTION_CATEGORIES = ['Microsoft Defender for Endpoint', 'File Actions'] as const;

export interface ResponseDevice {
  id: string;
  machine: Machine;
  succeeded: readonly MachineAction[];
  active: readonly MachineAction[];
}

function deviceParams(device: ResponseDevice): Record<string, string> {
  return { observable_type: 'ms_machine_id', observable_value: device.id };
}

// Defender refuses these while a Pending/InProgress action of the type runs.
const BLOCKED_BY: Readonly<Record<string, readonly MachineActionName[]>> = {
  Isolate: ['FullIsolation', 'SelectiveIsolation', 'Unisolate'],
  Unisolate: ['FullIsolation', 'SelectiveIsolation', 'Unisolate'],
  RestrictCodeExecution: ['RestrictCodeExecution', 'UnrestrictCodeExecution'],
  UnrestrictCodeExecution: ['RestrictCodeExecution', 'UnrestrictCodeExecution'],
  RunAntiVirusScan: ['RunAntiVirusScanQuick', 'RunAntiVirusScanFull'],
  CollectInvestigationPackage: ['CollectInvestigationPackage'],
};

function blockedActions(active: readonly MachineAction[]): Set<MachineActionName> {
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

function age(fromIso: string | null | undefined, now: Date): string | undefined {
  const from = Date.parse(fromIso ?? '');
  if (Number.isNaN(from)) return undefined;
  const minutes = Math.floor(Math.max(0, now.getTime() - from) / 60_000);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes < 1) return 'less than a minute';
  if (minutes < 120) return plural(minutes, 'minute');
  if (minutes < 48 * 60) return plural(Math.floor(minutes / 60), 'hour');
  return plural(Math.floor(minutes / 1440), 'day');
}

function cancelActions(device: ResponseDevice, now: Date): ResponseAction[] {
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

function tagActions(device: ResponseDevice, configured: readonly string[]): ResponseAction[] {
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

const LISTED_DEVICES = 5;

function quarantineActions(observable: CtimObservable, devices: readonly Machine[]): ResponseAction[] {
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

@Injectable()
export class ActionMapper {
  constructor(@Inject(CLOCK) private readonly now: Clock) {}

  forDevice(device: ResponseDevice, configuredTags: readonly string[]): ResponseAction[] {
    return [
      ...machineActions(device.id, machineState(device.machine, device.succeeded), blockedActions(device.active)),
      ...cancelActions(device, new Date(this.now())),
      ...tagActions(device, configuredTags),
    ];
  }

  forFile(observable: CtimObservable, devices: readonly Machine[]): ResponseAction[] {
    return quarantineActions(observable, devices);
  }

  forResolvedDevice(observable: CtimObservable, machineId: string, machine: Machine, history: readonly MachineAction[]): ResponseAction[] {
    return deviceActions(observable, machineId, text(machine.computerDnsName) ?? machineId, machineState(machine, history));
  }

  forIndicator(observable: CtimObservable, indicators: readonly Indicator[]): ResponseAction[] {
    return indicatorActions(observable, indicators, new Date(this.now()));
  }
}
