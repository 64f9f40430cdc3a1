import { Clock, CLOCK } from '@app/common/clock';
import type { Indicator, IndicatorPolicy, Machine, MachineAction, MachineActionName } from '@app/defender/models';
import { Inject, Injectable } from '@nestjs/common';
import { TRIAGE_ACTION_ID } from './alert-triage.mapper';
import { CtimObservable, ResponseAction } from './ctim.types';
import {
  ADD_TAG_ACTION_ID,
  blockedActions,
  CANCEL_MACHINE_ACTION_ID,
  cancelActions,
  quarantineActions,
  REMOVE_TAG_ACTION_ID,
  ResponseDevice,
  STOP_AND_QUARANTINE_ACTION_ID,
  tagActions,
} from './device-action.mapper';
import { text } from './observable.helpers';
import { indicatorExpired } from './verdict.mapper';

/** Prefix of every action id; ids stay those of the original relay so configured workflows keep working. */
export const ACTION_ID_PREFIX = 'microsoft-defender-';

/** Titles (and descriptions) exactly as the original relay showed them. */
export const MACHINE_ACTION_TITLES: Readonly<Record<MachineActionName, string>> = {
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

export const MACHINE_ACTION_NAMES = Object.keys(MACHINE_ACTION_TITLES) as MachineActionName[];

/** `microsoft-defender-<Action>` for every machine action. */
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

const INDICATOR_POLICY_BY_ACTION_ID: Readonly<Record<AddIndicatorActionId, IndicatorPolicy>> = {
  [ADD_INDICATOR_ALERT_ACTION_ID]: 'alert',
  [ADD_INDICATOR_ALERT_AND_BLOCK_ACTION_ID]: 'alert-and-block',
  [ADD_INDICATOR_ALLOWED_ACTION_ID]: 'allowed',
};

export const MACHINE_ACTIONS_CATEGORIES = ['Microsoft Defender for Endpoint', 'Machine Actions'] as const;
export const ADD_INDICATOR_CATEGORIES = ['Microsoft Defender for Endpoint', 'Add Indicator'] as const;
export const REMOVE_INDICATOR_CATEGORIES = ['Microsoft Defender for Endpoint', 'Remove Indicator'] as const;

/** Current device state, from the latest succeeded isolation / restriction actions. */
export interface MachineState {
  isolated: boolean;
  restricted: boolean;
  /**
   * Optional `availableMachineActions` names that Defender reports as available
   * (`FullIsolation`, `SelectiveIsolation`, `RunAntiVirusScan`, `RestrictCodeExecution`, ...).
   * When given, only those actions are offered (the reverse actions regardless).
   */
  available?: readonly string[];
}

const ISOLATION = new Set(['Isolate', 'Unisolate']);
const RESTRICTION = new Set(['RestrictCodeExecution', 'UnrestrictCodeExecution']);

/**
 * A device's state from its profile and its succeeded actions, newest first: isolated when the
 * latest isolation action isolated it, restricted likewise, and what its platform supports.
 */
export function machineState(machine: Machine, history: readonly MachineAction[]): MachineState {
  const latest = (types: ReadonlySet<string>) => history.find((action) => types.has(String(action.type)))?.type;
  return {
    isolated: latest(ISOLATION) === 'Isolate',
    restricted: latest(RESTRICTION) === 'RestrictCodeExecution',
    available: availableMachineActions(machine.osPlatform),
  };
}

/**
 * Which `availableMachineActions` entry makes each action available. The reverse actions are
 * always offered when the state calls for them: an isolated device may not list isolation.
 */
const AVAILABILITY: Readonly<Partial<Record<MachineActionName, readonly string[]>>> = {
  FullIsolation: ['FullIsolation'],
  SelectiveIsolation: ['SelectiveIsolation'],
  RestrictCodeExecution: ['RestrictCodeExecution'],
  RunAntiVirusScanQuick: ['RunAntiVirusScan'],
  RunAntiVirusScanFull: ['RunAntiVirusScan'],
  CollectInvestigationPackage: ['CollectInvestigationPackage'],
  InitiateInvestigation: ['InitiateInvestigation'],
};

/** What Defender can do on Linux and macOS: full isolation, AV scans and investigation packages. */
const NON_WINDOWS_ACTIONS: readonly string[] = ['FullIsolation', 'RunAntiVirusScan', 'CollectInvestigationPackage'];

/**
 * The documented replacement of `availableMachineActions`: availability
 * derived from the machine's `osPlatform`. Windows (and an unknown platform): undefined, every
 * action; Linux/macOS: no selective isolation, app restriction or automated investigation
 * (Defender answers `OsPlatformNotSupported`); any other platform (iOS, Android): none.
 */
export function availableMachineActions(osPlatform: string | null | undefined): readonly string[] | undefined {
  const platform = text(osPlatform)?.toLowerCase();
  if (platform === undefined || platform.startsWith('windows')) return undefined;
  return platform === 'linux' || platform === 'macos' ? NON_WINDOWS_ACTIONS : [];
}

/**
 * Machine actions for an `ms_machine_id`: Release from isolation instead of the two
 * isolations when the device is isolated, Remove app restrictions instead of Restrict app
 * execution when it is restricted, then the scans, investigation package and investigation.
 * An action Defender is still running blocks its own kind (`blocked`): it would be refused.
 */
export function machineActions(machineId: string, state: MachineState, blocked: ReadonlySet<MachineActionName> = new Set()): ResponseAction[] {
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
    })
    .map((name) => ({
      id: MACHINE_ACTION_IDS[name],
      title: MACHINE_ACTION_TITLES[name],
      description: MACHINE_ACTION_TITLES[name],
      categories: [...MACHINE_ACTIONS_CATEGORIES],
      'query-params': { observable_type: 'ms_machine_id', observable_value: machineId },
    }));
}

/** Titles of the machine actions offered for a device found by host name or IP, naming the device. */
export const DEVICE_ACTION_TITLES: Readonly<Record<MachineActionName, (device: string) => string>> = {
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

/**
 * Machine actions for one device an observable (host name, IP) resolved to: the same actions as
 * for its `ms_machine_id`, titled with the device's name, offered for the observable and carrying
 * the device's id as `machine_id`, which is what the trigger acts on.
 */
export function deviceActions(observable: CtimObservable, machineId: string, deviceName: string, state: MachineState): ResponseAction[] {
  return machineActions(machineId, state).map((action) => {
    const name = machineActionNameOf(action.id);
    const title = name ? DEVICE_ACTION_TITLES[name](deviceName) : action.title;
    return {
      ...action,
      title,
      description: title,
      'query-params': { observable_type: observable.type, observable_value: observable.value, machine_id: machineId },
    };
  });
}

/** How the original relay named indicator actions in titles. */
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

/**
 * Indicator actions for an observable: a live indicator's removal; otherwise the three adds (titled
 * with the observable: XDR lists all observables' actions together), then each expired one's removal.
 */
export function indicatorActions(observable: CtimObservable, indicators: readonly Indicator[], now: Date): ResponseAction[] {
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

function isAddIndicatorActionId(actionId: string): actionId is AddIndicatorActionId {
  return (ADD_INDICATOR_ACTION_IDS as readonly string[]).includes(actionId);
}

/** The machine action name of a `microsoft-defender-<Action>` id, or undefined. */
export function machineActionNameOf(actionId: string): MachineActionName | undefined {
  if (!actionId.startsWith(ACTION_ID_PREFIX)) return undefined;
  const name = actionId.slice(ACTION_ID_PREFIX.length);
  return (MACHINE_ACTION_NAMES as readonly string[]).includes(name) ? (name as MachineActionName) : undefined;
}

/** What a response action id asks Defender to do. */
export type RequestedAction =
  | { kind: 'machine'; name: MachineActionName }
  | { kind: 'add-indicator'; policy: IndicatorPolicy }
  | { kind: 'remove-indicator' }
  | { kind: 'stop-and-quarantine' }
  | { kind: 'tag'; change: 'Add' | 'Remove' }
  | { kind: 'cancel' }
  | { kind: 'triage' };

const DEVICE_LEVEL: Readonly<Record<string, RequestedAction>> = {
  [STOP_AND_QUARANTINE_ACTION_ID]: { kind: 'stop-and-quarantine' },
  [ADD_TAG_ACTION_ID]: { kind: 'tag', change: 'Add' },
  [REMOVE_TAG_ACTION_ID]: { kind: 'tag', change: 'Remove' },
  [CANCEL_MACHINE_ACTION_ID]: { kind: 'cancel' },
  [TRIAGE_ACTION_ID]: { kind: 'triage' },
};

/** What an id of `machineActions()` or `indicatorActions()` asks for; undefined for any other id (exact case). */
export function requestedAction(actionId: string): RequestedAction | undefined {
  if (actionId === REMOVE_INDICATOR_ACTION_ID) return { kind: 'remove-indicator' };
  if (Object.hasOwn(DEVICE_LEVEL, actionId)) return DEVICE_LEVEL[actionId];
  if (isAddIndicatorActionId(actionId)) return { kind: 'add-indicator', policy: INDICATOR_POLICY_BY_ACTION_ID[actionId] };
  const name = machineActionNameOf(actionId);
  return name === undefined ? undefined : { kind: 'machine', name };
}

/** The response-action mappers as a provider, beside the sighting and verdict mappers. */
@Injectable()
export class ActionMapper {
  constructor(@Inject(CLOCK) private readonly now: Clock) {}

  /** The machine actions a device's profile and succeeded actions (newest first) call for. */
  forMachine(machineId: string, machine: Machine, history: readonly MachineAction[]): ResponseAction[] {
    return machineActions(machineId, machineState(machine, history));
  }

  /**
   * Everything offered for one device: the machine actions its state calls for except those an
   * action still running blocks, a cancel for each running action, and the configured tags.
   */
  forDevice(device: ResponseDevice, configuredTags: readonly string[]): ResponseAction[] {
    return [
      ...machineActions(device.id, machineState(device.machine, device.succeeded), blockedActions(device.active)),
      ...cancelActions(device, new Date(this.now())),
      ...tagActions(device, configuredTags),
    ];
  }

  /** Stop and quarantine, when Defender knows devices that have the file. */
  forFile(observable: CtimObservable, devices: readonly Machine[]): ResponseAction[] {
    return quarantineActions(observable, devices);
  }

  /** The machine actions of a device that `observable` resolved to, titled with the device's name. */
  forResolvedDevice(observable: CtimObservable, machineId: string, machine: Machine, history: readonly MachineAction[]): ResponseAction[] {
    return deviceActions(observable, machineId, text(machine.computerDnsName) ?? machineId, machineState(machine, history));
  }

  forIndicator(observable: CtimObservable, indicators: readonly Indicator[]): ResponseAction[] {
    return indicatorActions(observable, indicators, new Date(this.now()));
  }

  requested(actionId: string): RequestedAction | undefined {
    return requestedAction(actionId);
  }
}
