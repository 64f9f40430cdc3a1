import { fixedClock, HOSTNAME, MACHINE_ID, NOW, SHA1, aMachine, aMachineAction } from '../test-support/builders';
import { ActionMapper, requestedAction } from './action.mapper';
import { age, blockedActions, cancelActions, quarantineActions, ResponseDevice, tagActions } from './device-action.mapper';

const device = (overrides: Partial<ResponseDevice> = {}): ResponseDevice => ({
  id: MACHINE_ID,
  machine: aMachine({ machineTags: ['Finance', 'xdr-contained'] }),
  succeeded: [],
  active: [],
  ...overrides,
});
const minutesAgo = (n: number) => new Date(Date.parse(NOW) - n * 60_000).toISOString();
const params = { observable_type: 'ms_machine_id', observable_value: MACHINE_ID };

describe('tagActions', () => {
  it('offers adding each configured tag the device lacks and removing each it has (case-insensitive)', () => {
    expect(tagActions(device(), ['XDR-Contained', 'XDR-Investigating'])).toEqual([
      {
        id: 'microsoft-defender-remove-tag',
        title: 'Remove tag XDR-Contained',
        description: `Remove the device tag XDR-Contained from ${HOSTNAME}`,
        categories: ['Microsoft Defender for Endpoint', 'Device Tags'],
        'query-params': { ...params, tag: 'XDR-Contained' },
      },
      {
        id: 'microsoft-defender-add-tag',
        title: 'Add tag XDR-Investigating',
        description: `Add the device tag XDR-Investigating to ${HOSTNAME}`,
        categories: ['Microsoft Defender for Endpoint', 'Device Tags'],
        'query-params': { ...params, tag: 'XDR-Investigating' },
      },
    ]);
  });

  it('offers nothing without configured tags, or for a device without machineTags only adds', () => {
    expect(tagActions(device(), [])).toEqual([]);
    expect(tagActions(device({ machine: aMachine({ machineTags: null }) }), ['A']).map((a) => a.id)).toEqual(['microsoft-defender-add-tag']);
  });
});

describe('pending actions', () => {
  it('a running action blocks its own kind only', () => {
    expect([...blockedActions([aMachineAction({ type: 'Isolate', status: 'Pending' })])]).toEqual(['FullIsolation', 'SelectiveIsolation', 'Unisolate']);
    expect([...blockedActions([aMachineAction({ type: 'RunAntiVirusScan', status: 'InProgress' })])]).toEqual(['RunAntiVirusScanQuick', 'RunAntiVirusScanFull']);
    expect([...blockedActions([aMachineAction({ type: 'LiveResponse', status: 'Pending' })])]).toEqual([]);
  });

  it('offers "Cancel pending <action>" with its age, status and requestor, carrying the action id', () => {
    const active = [aMachineAction({ id: 'a-1', type: 'Isolate', scope: 'Full', status: 'Pending', creationDateTimeUtc: minutesAgo(5), requestor: 'Relay' })];
    expect(cancelActions(device({ active }), new Date(NOW))).toEqual([
      {
        id: 'microsoft-defender-cancel-machine-action',
        title: 'Cancel pending isolation (Full)',
        description: `Cancel the isolation (Full) of ${HOSTNAME}, Pending for 5 minutes, requested by Relay`,
        categories: ['Microsoft Defender for Endpoint', 'Machine Actions'],
        'query-params': { ...params, machine_action_id: 'a-1' },
      },
    ]);
  });

  it.each([
    [0, 'less than a minute'],
    [1, '1 minute'],
    [119, '119 minutes'],
    [120, '2 hours'],
    [3 * 1440, '3 days'],
  ])('age of an action %d minutes old: %s', (minutes, text) => {
    expect(age(minutesAgo(minutes), new Date(NOW))).toBe(text);
  });

  it('an unreadable creation time gives no age', () => expect(age('soon', new Date(NOW))).toBeUndefined());

  it('ActionMapper.forDevice: a pending isolation replaces the isolations by its cancel; tags follow', () => {
    const mapper = new ActionMapper(fixedClock());
    const active = [aMachineAction({ type: 'Isolate', status: 'Pending', creationDateTimeUtc: minutesAgo(2) })];
    expect(mapper.forDevice(device({ active }), ['XDR-Contained']).map((a) => a.id)).toEqual([
      'microsoft-defender-RestrictCodeExecution',
      'microsoft-defender-RunAntiVirusScanQuick',
      'microsoft-defender-RunAntiVirusScanFull',
      'microsoft-defender-CollectInvestigationPackage',
      'microsoft-defender-InitiateInvestigation',
      'microsoft-defender-cancel-machine-action',
      'microsoft-defender-remove-tag',
    ]);
  });
});

describe('quarantineActions', () => {
  const file = { type: 'sha1', value: SHA1 };

  it('offers one action titled with the device count, naming the devices', () => {
    const devices = ['a', 'b', 'c'].map((n) => aMachine({ id: n.repeat(40), computerDnsName: `${n}.example` }));
    expect(quarantineActions(file, devices)).toEqual([
      {
        id: 'microsoft-defender-stop-and-quarantine-file',
        title: 'Stop and quarantine file on 3 devices',
        description: `Stop the processes of ${SHA1} and quarantine the file on a.example, b.example, c.example`,
        categories: ['Microsoft Defender for Endpoint', 'File Actions'],
        'query-params': { observable_type: 'sha1', observable_value: SHA1 },
      },
    ]);
  });

  it('says "1 device", lists at most five names, and offers nothing when no device has the file', () => {
    expect(quarantineActions(file, [aMachine()])[0].title).toBe('Stop and quarantine file on 1 device');
    const seven = Array.from({ length: 7 }, (_, i) => aMachine({ computerDnsName: `d${i}` }));
    expect(quarantineActions(file, seven)[0].description).toMatch(/on d0, d1, d2, d3, d4 and 2 more$/);
    expect(quarantineActions(file, [])).toEqual([]);
  });
});

describe('requestedAction: device-level ids', () => {
  it.each([
    ['microsoft-defender-stop-and-quarantine-file', { kind: 'stop-and-quarantine' }],
    ['microsoft-defender-add-tag', { kind: 'tag', change: 'Add' }],
    ['microsoft-defender-remove-tag', { kind: 'tag', change: 'Remove' }],
    ['microsoft-defender-cancel-machine-action', { kind: 'cancel' }],
  ])('%s', (id, expected) => expect(requestedAction(id)).toEqual(expected));

  it('is exact: other case, or an inherited property name, is not an action', () => {
    expect(requestedAction('microsoft-defender-Add-Tag')).toBeUndefined();
    expect(requestedAction('constructor')).toBeUndefined();
    expect(requestedAction('toString')).toBeUndefined();
  });
});
