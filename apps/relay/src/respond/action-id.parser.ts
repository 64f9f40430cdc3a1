import {
  ADD_INDICATOR_ALERT_ACTION_ID,
  ADD_INDICATOR_ALERT_AND_BLOCK_ACTION_ID,
  ADD_INDICATOR_ALLOWED_ACTION_ID,
  ADD_TAG_ACTION_ID,
  CANCEL_MACHINE_ACTION_ID,
  MACHINE_ACTION_IDS,
  REMOVE_INDICATOR_ACTION_ID,
  REMOVE_TAG_ACTION_ID,
  STOP_AND_QUARANTINE_ACTION_ID,
  TRIAGE_ACTION_ID,
} from '@app/ctim';
import type { IndicatorPolicy, MachineActionName } from '@app/defender';

export type RequestedAction =
  | { kind: 'machine'; name: MachineActionName }
  | { kind: 'add-indicator'; policy: IndicatorPolicy }
  | { kind: 'remove-indicator' }
  | { kind: 'stop-and-quarantine' }
  | { kind: 'tag'; change: 'Add' | 'Remove' }
  | { kind: 'cancel' }
  | { kind: 'triage' };

const REQUESTED = new Map<string, RequestedAction>([
  ...Object.entries(MACHINE_ACTION_IDS).map(([name, id]): [string, RequestedAction] => [id, { kind: 'machine', name: name as MachineActionName }]),
  [ADD_INDICATOR_ALERT_ACTION_ID, { kind: 'add-indicator', policy: 'alert' }],
  [ADD_INDICATOR_ALERT_AND_BLOCK_ACTION_ID, { kind: 'add-indicator', policy: 'alert-and-block' }],
  [ADD_INDICATOR_ALLOWED_ACTION_ID, { kind: 'add-indicator', policy: 'allowed' }],
  [REMOVE_INDICATOR_ACTION_ID, { kind: 'remove-indicator' }],
  [STOP_AND_QUARANTINE_ACTION_ID, { kind: 'stop-and-quarantine' }],
  [ADD_TAG_ACTION_ID, { kind: 'tag', change: 'Add' }],
  [REMOVE_TAG_ACTION_ID, { kind: 'tag', change: 'Remove' }],
  [CANCEL_MACHINE_ACTION_ID, { kind: 'cancel' }],
  [TRIAGE_ACTION_ID, { kind: 'triage' }],
]);

/** What an offered action id asks for; undefined for any other id (case matters). */
export function requestedAction(actionId: string): RequestedAction | undefined {
  return REQUESTED.get(actionId);
}
