import type { Indicator, IndicatorAction, IndicatorRequest, IndicatorSeverity, IndicatorType, MachineActionPath } from '@app/defender/models';
import { Observable, ResponseAction } from './ctim.types';
import { text } from './observable.helpers';

/** Prefix of every action id; ids stay those of the original relay so configured workflows keep working. */
export const ACTION_ID_PREFIX = 'microsoft-defender-';

export type MachineActionName =
  | 'FullIsolation'
  | 'SelectiveIsolation'
  | 'Unisolate'
  | 'RestrictCodeExecution'
  | 'UnrestrictCodeExecution'
  | 'RunAntiVirusScanQuick'
  | 'RunAntiVirusScanFull'
  | 'CollectInvestigationPackage'
  | 'InitiateInvestigation';

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
 * The documented replacement of `availableMachineActions` (defender-api.md §3): availability
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
 * Machine actions for an `ms_machine_id` (C-60): Release from isolation instead of the two
 * isolations when the device is isolated, Remove app restrictions instead of Restrict app
 * execution when it is restricted, then the scans, investigation package and investigation.
 */
export function machineActions(machineId: string, state: MachineState): ResponseAction[] {
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

const INDICATOR_TYPE_BY_OBSERVABLE: Readonly<Record<string, IndicatorType>> = {
  sha1: 'FileSha1',
  sha256: 'FileSha256',
  md5: 'FileMd5',
  ip: 'IpAddress',
  ipv6: 'IpAddress',
  domain: 'DomainName',
  url: 'Url',
};

const FILE_INDICATOR_TYPES: ReadonlySet<IndicatorType> = new Set(['FileSha1', 'FileSha256', 'FileMd5']);

/** The Defender `indicatorType` for a CTIM observable type, or undefined when indicators don't support it. */
export function indicatorTypeFor(observableType: string): IndicatorType | undefined {
  return INDICATOR_TYPE_BY_OBSERVABLE[observableType.toLowerCase()];
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

/**
 * Indicator actions for an observable (C-61): with an existing indicator, one
 * `microsoft-defender-remove-indicator` titled `Remove indicator: <action> - <title>` carrying
 * `indicator_id`; otherwise the three add actions (Alert, Alert and Block, Allowed: the original
 * relay's labels), titled with the observable, since XDR lists the actions of every observable of
 * an investigation together. No actions for types Defender indicators don't support.
 */
export function indicatorActions(observable: Observable, existing?: Indicator): ResponseAction[] {
  if (indicatorTypeFor(observable.type) === undefined) return [];
  const queryParams = { observable_type: observable.type, observable_value: observable.value };
  if (existing) {
    const action = humanIndicatorAction(text(existing.action) ?? 'Unknown');
    const title = text(existing.title) ?? String(existing.id);
    return [
      {
        id: REMOVE_INDICATOR_ACTION_ID,
        title: `Remove indicator: ${action} - ${title}`,
        description: `Remove indicator with ${action} action for ${observable.value}`,
        categories: [...REMOVE_INDICATOR_CATEGORIES],
        'query-params': { ...queryParams, indicator_id: String(existing.id) },
      },
    ];
  }
  const add = (id: AddIndicatorActionId, label: string): ResponseAction => ({
    id,
    title: `Add indicator for ${observable.type} ${observable.value}: ${label}`,
    description: `Add indicator with ${label} action for ${observable.value}`,
    categories: [...ADD_INDICATOR_CATEGORIES],
    'query-params': { ...queryParams },
  });
  return [
    add(ADD_INDICATOR_ALERT_ACTION_ID, 'Alert'),
    add(ADD_INDICATOR_ALERT_AND_BLOCK_ACTION_ID, 'Alert and Block'),
    add(ADD_INDICATOR_ALLOWED_ACTION_ID, 'Allowed'),
  ];
}

export function isAddIndicatorActionId(actionId: string): actionId is AddIndicatorActionId {
  return (ADD_INDICATOR_ACTION_IDS as readonly string[]).includes(actionId);
}

export function isIndicatorActionId(actionId: string): boolean {
  return isAddIndicatorActionId(actionId) || actionId === REMOVE_INDICATOR_ACTION_ID;
}

export interface IndicatorRequestOptions {
  title: string;
  description: string;
  /** ISO time after which Defender drops the indicator. */
  expirationTime?: string;
}

/**
 * The `POST indicators` body for an add-indicator action (C-72), in current Defender values:
 * alert → `Audit` + `generateAlert: true`; alert-and-block → `BlockAndRemediate` for files,
 * `Block` for ip/ipv6/domain/url, + `generateAlert: true`; allowed → `Allowed`,
 * `generateAlert: false`. Severity High, Informational for allowed. Undefined for any other
 * action id (remove is a DELETE) or an observable type indicators don't support.
 */
export function indicatorRequest(
  actionId: string,
  observable: Observable,
  opts: IndicatorRequestOptions,
): IndicatorRequest | undefined {
  const indicatorType = indicatorTypeFor(observable.type);
  if (indicatorType === undefined || !isAddIndicatorActionId(actionId)) return undefined;
  let action: IndicatorAction;
  let severity: IndicatorSeverity;
  let generateAlert: boolean;
  switch (actionId) {
    case ADD_INDICATOR_ALERT_ACTION_ID:
      [action, severity, generateAlert] = ['Audit', 'High', true];
      break;
    case ADD_INDICATOR_ALERT_AND_BLOCK_ACTION_ID:
      [action, severity, generateAlert] = [
        FILE_INDICATOR_TYPES.has(indicatorType) ? 'BlockAndRemediate' : 'Block',
        'High',
        true,
      ];
      break;
    case ADD_INDICATOR_ALLOWED_ACTION_ID:
      [action, severity, generateAlert] = ['Allowed', 'Informational', false];
      break;
  }
  const request: IndicatorRequest = {
    indicatorValue: observable.value,
    indicatorType,
    action,
    title: opts.title,
    description: opts.description,
    severity,
    generateAlert,
  };
  if (opts.expirationTime !== undefined) request.expirationTime = opts.expirationTime;
  return request;
}

export interface MachineActionRequestBody {
  Comment: string;
  IsolationType?: 'Full' | 'Selective';
  ScanType?: 'Quick' | 'Full';
}

/** A machine action to POST at `machines/{id}/<path>`. */
export interface MachineActionRequest {
  path: MachineActionPath;
  body: MachineActionRequestBody;
}

interface MachineActionSpec {
  path: MachineActionPath;
  extra?: Partial<MachineActionRequestBody>;
}

const MACHINE_ACTION_REQUESTS: Readonly<Record<MachineActionName, MachineActionSpec>> = {
  FullIsolation: { path: 'isolate', extra: { IsolationType: 'Full' } },
  SelectiveIsolation: { path: 'isolate', extra: { IsolationType: 'Selective' } },
  Unisolate: { path: 'unisolate' },
  RestrictCodeExecution: { path: 'restrictCodeExecution' },
  UnrestrictCodeExecution: { path: 'unrestrictCodeExecution' },
  RunAntiVirusScanQuick: { path: 'runAntiVirusScan', extra: { ScanType: 'Quick' } },
  RunAntiVirusScanFull: { path: 'runAntiVirusScan', extra: { ScanType: 'Full' } },
  CollectInvestigationPackage: { path: 'collectInvestigationPackage' },
  InitiateInvestigation: { path: 'startInvestigation' },
};

/** The machine action name of a `microsoft-defender-<Action>` id, or undefined. */
export function machineActionNameOf(actionId: string): MachineActionName | undefined {
  if (!actionId.startsWith(ACTION_ID_PREFIX)) return undefined;
  const name = actionId.slice(ACTION_ID_PREFIX.length);
  return (MACHINE_ACTION_NAMES as readonly string[]).includes(name) ? (name as MachineActionName) : undefined;
}

export function isMachineActionId(actionId: string): boolean {
  return machineActionNameOf(actionId) !== undefined;
}

/** Path and body of a machine action (C-71), or undefined for an unknown action id. */
export function machineActionRequest(actionId: string, comment: string): MachineActionRequest | undefined {
  const name = machineActionNameOf(actionId);
  if (name === undefined) return undefined;
  const { path, extra } = MACHINE_ACTION_REQUESTS[name];
  return { path, body: { Comment: comment, ...extra } };
}
