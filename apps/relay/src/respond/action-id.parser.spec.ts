import { ActionMapper, ADD_INDICATOR_ALERT_ACTION_ID, ADD_INDICATOR_ALERT_AND_BLOCK_ACTION_ID, ADD_INDICATOR_ALLOWED_ACTION_ID, REMOVE_INDICATOR_ACTION_ID } from '@app/ctim';
import { Machine } from '@app/defender';
import { requestedAction } from './action-id.parser';

describe('requestedAction', () => {
  it('reads every offered machine action id as its machine action', () => {
    const device = { id: 'a'.repeat(40), machine: { id: 'a'.repeat(40), osPlatform: 'Windows10' } as Machine, succeeded: [], active: [] };
    const offered = new ActionMapper(() => 0).forDevice(device, []);
    expect(offered).toHaveLength(7);
    for (const action of offered) {
      expect(requestedAction(action.id)).toEqual({ kind: 'machine', name: action.id.replace('microsoft-defender-', '') });
    }
    expect(requestedAction('microsoft-defender-Unisolate')).toEqual({ kind: 'machine', name: 'Unisolate' });
    expect(requestedAction('microsoft-defender-UnrestrictCodeExecution')).toEqual({ kind: 'machine', name: 'UnrestrictCodeExecution' });
  });

  it('reads the add-indicator ids as their policies and the remove id as removal', () => {
    expect([ADD_INDICATOR_ALERT_ACTION_ID, ADD_INDICATOR_ALERT_AND_BLOCK_ACTION_ID, ADD_INDICATOR_ALLOWED_ACTION_ID].map(requestedAction)).toEqual([
      { kind: 'add-indicator', policy: 'alert' },
      { kind: 'add-indicator', policy: 'alert-and-block' },
      { kind: 'add-indicator', policy: 'allowed' },
    ]);
    expect(requestedAction(REMOVE_INDICATOR_ACTION_ID)).toEqual({ kind: 'remove-indicator' });
  });

  it.each([
    ['microsoft-defender-stop-and-quarantine-file', { kind: 'stop-and-quarantine' }],
    ['microsoft-defender-add-tag', { kind: 'tag', change: 'Add' }],
    ['microsoft-defender-remove-tag', { kind: 'tag', change: 'Remove' }],
    ['microsoft-defender-cancel-machine-action', { kind: 'cancel' }],
    ['microsoft-defender-triage-alerts', { kind: 'triage' }],
  ])('reads the device-level id %s', (id, expected) => expect(requestedAction(id)).toEqual(expected));

  it.each([
    'microsoft-defender-unsupported',
    'microsoft-defender-atp-FullIsolation',
    'microsoft-defender-fullisolation',
    'microsoft-defender-Add-Tag',
    'microsoft-defender-',
    'defender-add-indicator-alert',
    'FullIsolation',
    'constructor',
    'toString',
    '__proto__',
    '',
  ])('is undefined for %p (exact ids only)', (actionId) => {
    expect(requestedAction(actionId)).toBeUndefined();
  });
});
