import { fixedClock, HOSTNAME, MACHINE_ID, NOW, SHA1, aMachine, aMachineAction } from '../test-support/builders';
import type { MachineAction } from '@app/defender/models';
import { ActionMapper, CANCEL_MACHINE_ACTION_ID, ResponseDevice } from './action.mapper';

const device = (overrides: Partial<ResponseDevice> = {}): ResponseDevice => ({
  id: MACHINE_ID,
  machine: aMachine({ machineTags: ['Finance', 'xdr-contained'] }),
  succeeded: [],
  active: [],
  ...overrides,
});
const minutesAgo = (n: number) => new Date(Date.parse(NOW) - n * 60_000).toISOString();
const params = { observable_type: 'ms_machine_id', observable_value: MACHINE_ID };
const mapper = new ActionMapper(fixedClock());
const tagActions = (d: ResponseDevice, tags: string[]) => mapper.forDevice(d, tags).filter((a) => a.id.endsWith('-tag'));
const cancelActions = (d: ResponseDevice) => mapper.forDevice(d, []).filter((a) => a.id === CANCEL_MACHINE_ACTION_ID);
const machineActionIds = (d: ResponseDevice) => mapper.forDevice(d, []).map((a) => a.id).filter((id) => id !== CANCEL_MACHINE_ACTION_ID);

describe('ActionMapper.forDevice: tags', () => {
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

describe('ActionMapper.forDevice: pending actions', () => {
  it('a running action blocks its own kind only', () => {
    const running = (type: string, status = 'Pending') => [aMachineAction({ type, status })];
    const hidden = (active: MachineAction[], succeeded: MachineAction[] = []) => {
      const after = machineActionIds(device({ succeeded, active }));
      return machineActionIds(device({ succeeded })).filter((id) => !after.includes(id));
    };
    expect(hidden(running('Isolate'))).toEqual(['microsoft-defender-FullIsolation', 'microsoft-defender-SelectiveIsolation']);
    expect(hidden(running('Unisolate'), [aMachineAction({ type: 'Isolate' })])).toEqual(['microsoft-defender-Unisolate']);
    expect(hidden(running('RunAntiVirusScan', 'InProgress'))).toEqual(['microsoft-defender-RunAntiVirusScanQuick', 'microsoft-defender-RunAntiVirusScanFull']);
    expect(hidden(running('LiveResponse'))).toEqual([]);
  });

  it('offers "Cancel pending <action>" with its age, status and requestor, carrying the action id', () => {
    const active = [aMachineAction({ id: 'a-1', type: 'Isolate', scope: 'Full', status: 'Pending', creationDateTimeUtc: minutesAgo(5), requestor: 'Relay' })];
    expect(cancelActions(device({ active }))).toEqual([
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
    const active = [aMachineAction({ status: 'Pending', creationDateTimeUtc: minutesAgo(minutes) })];
    expect(cancelActions(device({ active }))[0].description).toContain(`, Pending for ${text}, requested by`);
  });

  it('an unreadable creation time gives no age', () => {
    const active = [aMachineAction({ status: 'Pending', creationDateTimeUtc: 'soon' })];
    expect(cancelActions(device({ active }))[0].description).toContain(', Pending, requested by');
  });

  it('ActionMapper.forDevice: a pending isolation replaces the isolations by its cancel; tags follow', () => {
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

describe('ActionMapper.forFile', () => {
  const file = { type: 'sha1', value: SHA1 };
  const quarantineActions = (observable: typeof file, devices: ReturnType<typeof aMachine>[]) => mapper.forFile(observable, devices);

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
