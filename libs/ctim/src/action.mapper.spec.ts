import { MACHINE_ID, NOW, aMachine, aMachineAction, anIndicator } from '../test-support/builders';
import {
  ADD_INDICATOR_ALERT_ACTION_ID,
  ADD_INDICATOR_ALERT_AND_BLOCK_ACTION_ID,
  ADD_INDICATOR_ALLOWED_ACTION_ID,
  REMOVE_INDICATOR_ACTION_ID,
  availableMachineActions,
  deviceActions,
  indicatorActions,
  machineActionNameOf,
  machineActions,
  machineState,
  requestedAction,
} from './action.mapper';

describe('machineActions', () => {
  const titles = (isolated: boolean, restricted: boolean) =>
    machineActions(MACHINE_ID, { isolated, restricted }).map((a) => [a.id, a.title]);

  it('offers both isolations and restriction for a free device', () => {
    expect(titles(false, false)).toEqual([
      ['microsoft-defender-FullIsolation', 'Isolate Device: Full'],
      ['microsoft-defender-SelectiveIsolation', 'Isolate Device: Selective'],
      ['microsoft-defender-RestrictCodeExecution', 'Restrict app execution'],
      ['microsoft-defender-RunAntiVirusScanQuick', 'Run antivirus scan: Quick'],
      ['microsoft-defender-RunAntiVirusScanFull', 'Run antivirus scan: Full'],
      ['microsoft-defender-CollectInvestigationPackage', 'Collect investigation package'],
      ['microsoft-defender-InitiateInvestigation', 'Initiate automated investigation'],
    ]);
  });

  it('offers release instead of the isolations for an isolated device', () => {
    const ids = titles(true, false).map(([id]) => id);
    expect(ids).toContain('microsoft-defender-Unisolate');
    expect(ids).not.toContain('microsoft-defender-FullIsolation');
    expect(ids).not.toContain('microsoft-defender-SelectiveIsolation');
    expect(ids).toContain('microsoft-defender-RestrictCodeExecution');
    expect(titles(true, false)[0]).toEqual(['microsoft-defender-Unisolate', 'Release from isolation']);
  });

  it('offers removal of the restriction for a restricted device', () => {
    const list = titles(false, true);
    expect(list).toContainEqual(['microsoft-defender-UnrestrictCodeExecution', 'Remove app restrictions']);
    expect(list.map(([id]) => id)).not.toContain('microsoft-defender-RestrictCodeExecution');
  });

  it('offers both reverse actions for an isolated and restricted device', () => {
    expect(titles(true, true).map(([id]) => id)).toEqual([
      'microsoft-defender-Unisolate',
      'microsoft-defender-UnrestrictCodeExecution',
      'microsoft-defender-RunAntiVirusScanQuick',
      'microsoft-defender-RunAntiVirusScanFull',
      'microsoft-defender-CollectInvestigationPackage',
      'microsoft-defender-InitiateInvestigation',
    ]);
  });

  it('describes each action by its title, in the machine actions category, with the device as query params', () => {
    for (const action of machineActions(MACHINE_ID, { isolated: false, restricted: false })) {
      expect(action.description).toBe(action.title);
      expect(action.categories).toEqual(['Microsoft Defender for Endpoint', 'Machine Actions']);
      expect(action['query-params']).toEqual({ observable_type: 'ms_machine_id', observable_value: MACHINE_ID });
    }
  });

  it('limits the list to what Defender reports available, keeping reverse actions', () => {
    const ids = machineActions(MACHINE_ID, {
      isolated: true,
      restricted: false,
      available: ['RunAntiVirusScan', 'CollectInvestigationPackage'],
    }).map((a) => a.id);
    expect(ids).toEqual([
      'microsoft-defender-Unisolate',
      'microsoft-defender-RunAntiVirusScanQuick',
      'microsoft-defender-RunAntiVirusScanFull',
      'microsoft-defender-CollectInvestigationPackage',
    ]);
  });
});

describe('deviceActions', () => {
  it('offers the same state-aware actions for a device found by host name, titled with its name and carrying its id', () => {
    const observable = { type: 'hostname', value: 'hf-ws-0142' };
    const offered = deviceActions(observable, MACHINE_ID, 'hf-ws-0142', { isolated: false, restricted: true });
    expect(offered.map((a) => a.id)).toEqual(machineActions(MACHINE_ID, { isolated: false, restricted: true }).map((a) => a.id));
    expect(offered[0]).toEqual({
      id: 'microsoft-defender-FullIsolation',
      title: 'Isolate hf-ws-0142 (Full)',
      description: 'Isolate hf-ws-0142 (Full)',
      categories: ['Microsoft Defender for Endpoint', 'Machine Actions'],
      'query-params': { observable_type: 'hostname', observable_value: 'hf-ws-0142', machine_id: MACHINE_ID },
    });
    expect(offered.map((a) => a.title)).toContain('Remove app restrictions on hf-ws-0142');
    expect(deviceActions(observable, MACHINE_ID, 'x', { isolated: true, restricted: false }).map((a) => a.title)[0]).toBe('Release x from isolation');
  });
});

describe('availableMachineActions', () => {
  const offered = (osPlatform: string | null) =>
    machineActions(MACHINE_ID, { isolated: false, restricted: false, available: availableMachineActions(osPlatform) }).map((a) => a.id);

  it.each(['Windows10', 'Windows11', 'WindowsServer2019', 'windowsserver2022', null, ''])('offers everything on %p', (platform) => {
    expect(availableMachineActions(platform)).toBeUndefined();
    expect(offered(platform)).toHaveLength(7);
  });

  it.each(['Linux', 'macOS', 'MacOS'])('offers no selective isolation, restriction or investigation on %s', (platform) => {
    expect(offered(platform)).toEqual([
      'microsoft-defender-FullIsolation',
      'microsoft-defender-RunAntiVirusScanQuick',
      'microsoft-defender-RunAntiVirusScanFull',
      'microsoft-defender-CollectInvestigationPackage',
    ]);
  });

  it('offers nothing but the reverse actions on mobile platforms', () => {
    expect(offered('iOS')).toEqual([]);
    expect(machineActions(MACHINE_ID, { isolated: true, restricted: false, available: availableMachineActions('Android') }).map((a) => a.id)).toEqual([
      'microsoft-defender-Unisolate',
    ]);
  });
});

describe('indicatorActions', () => {
  const domain = { type: 'domain', value: 'asdf.com' };
  const now = new Date(NOW);

  it('offers the three add actions when no indicator exists', () => {
    expect(indicatorActions(domain, [], now)).toEqual([
      {
        id: 'microsoft-defender-add-indicator-alert',
        title: 'Add indicator for domain asdf.com: Alert',
        description: 'Add indicator with Alert action for asdf.com',
        categories: ['Microsoft Defender for Endpoint', 'Add Indicator'],
        'query-params': { observable_type: 'domain', observable_value: 'asdf.com' },
      },
      {
        id: 'microsoft-defender-add-indicator-alert-and-block',
        title: 'Add indicator for domain asdf.com: Alert and Block',
        description: 'Add indicator with Alert and Block action for asdf.com',
        categories: ['Microsoft Defender for Endpoint', 'Add Indicator'],
        'query-params': { observable_type: 'domain', observable_value: 'asdf.com' },
      },
      {
        id: 'microsoft-defender-add-indicator-allowed',
        title: 'Add indicator for domain asdf.com: Allowed',
        description: 'Add indicator with Allowed action for asdf.com',
        categories: ['Microsoft Defender for Endpoint', 'Add Indicator'],
        'query-params': { observable_type: 'domain', observable_value: 'asdf.com' },
      },
    ]);
  });

  it('offers only removal when an indicator exists', () => {
    expect(indicatorActions(domain, [anIndicator({ action: 'AlertAndBlock' })], now)).toEqual([
      {
        id: 'microsoft-defender-remove-indicator',
        title: 'Remove indicator: Alert and Block - From SecureX Threat Response',
        description: 'Remove indicator with Alert and Block action for asdf.com',
        categories: ['Microsoft Defender for Endpoint', 'Remove Indicator'],
        'query-params': { observable_type: 'domain', observable_value: 'asdf.com', indicator_id: '13' },
      },
    ]);
  });

  it('says when an indicator expires, and nothing for one that never does', () => {
    const expiring = indicatorActions(domain, [anIndicator({ expirationTime: '2027-01-31T00:00:00Z' })], now)[0];
    expect(expiring.description).toMatch(/ action for asdf\.com; it expires 2027-01-31T00:00:00Z$/);
    expect(indicatorActions(domain, [anIndicator({ expirationTime: null })], now)[0].description).not.toContain('expires');
  });

  it("treats Microsoft's documented expired indicator as absent: the adds, then its removal labelled expired", () => {
    const expired = anIndicator({ id: '996', indicatorValue: '220e7d15b011d7fac48f2bd61114db1022197f7f', indicatorType: 'FileSha1', action: 'AlertAndBlock', expirationTime: '2020-12-12T00:00:00Z', title: 'test' });
    const sha1 = { type: 'sha1', value: '220e7d15b011d7fac48f2bd61114db1022197f7f' };
    expect(indicatorActions(sha1, [expired], now).map((a) => [a.id, a.title])).toEqual([
      ['microsoft-defender-add-indicator-alert', `Add indicator for sha1 ${sha1.value}: Alert`],
      ['microsoft-defender-add-indicator-alert-and-block', `Add indicator for sha1 ${sha1.value}: Alert and Block`],
      ['microsoft-defender-add-indicator-allowed', `Add indicator for sha1 ${sha1.value}: Allowed`],
      ['microsoft-defender-remove-indicator', 'Remove expired indicator: Alert and Block - test'],
    ]);
    expect(indicatorActions(sha1, [expired], now)[3]).toMatchObject({
      description: `Remove the indicator with Alert and Block action for ${sha1.value}: it expired 2020-12-12T00:00:00Z and no longer applies`,
      'query-params': { observable_type: 'sha1', observable_value: sha1.value, indicator_id: '996' },
    });
  });

  it('offers the live indicator’s removal when an expired one of the same value is also listed, expiry judged at now', () => {
    const expired = anIndicator({ id: '1', expirationTime: '2026-01-01T00:00:00Z' });
    const live = anIndicator({ id: '2', expirationTime: '2026-03-01T12:00:01Z' });
    expect(indicatorActions(domain, [expired, live], now).map((a) => a['query-params'].indicator_id)).toEqual(['2']);
    expect(indicatorActions(domain, [expired, live], new Date('2026-03-01T12:00:01Z')).map((a) => a.title)).toEqual([
      'Add indicator for domain asdf.com: Alert',
      'Add indicator for domain asdf.com: Alert and Block',
      'Add indicator for domain asdf.com: Allowed',
      'Remove expired indicator: Block - From SecureX Threat Response',
      'Remove expired indicator: Block - From SecureX Threat Response',
    ]);
  });

  it('titles the add actions with the observable’s type and value', () => {
    expect(indicatorActions({ type: 'sha256', value: 'ab' }, [], now).map((a) => a.title)).toEqual([
      'Add indicator for sha256 ab: Alert',
      'Add indicator for sha256 ab: Alert and Block',
      'Add indicator for sha256 ab: Allowed',
    ]);
  });
});

describe('machineState', () => {
  const history = (...types: string[]) => types.map((type) => aMachineAction({ type }));

  it('is free with no history', () => {
    expect(machineState(aMachine(), [])).toEqual({ isolated: false, restricted: false, available: undefined });
  });

  it('follows the latest isolation and the latest restriction, each on its own', () => {
    expect(machineState(aMachine(), history('Isolate', 'RestrictCodeExecution', 'Unisolate'))).toMatchObject({ isolated: true, restricted: true });
    expect(machineState(aMachine(), history('RunAntiVirusScan', 'Unisolate', 'Isolate', 'UnrestrictCodeExecution'))).toMatchObject({
      isolated: false,
      restricted: false,
    });
  });

  it('limits what is available by the platform', () => {
    expect(machineState(aMachine({ osPlatform: 'Linux' }), []).available).toEqual(['FullIsolation', 'RunAntiVirusScan', 'CollectInvestigationPackage']);
  });
});

describe('requestedAction', () => {
  it('reads every machine action id as its machine action', () => {
    for (const action of machineActions(MACHINE_ID, { isolated: false, restricted: false })) {
      expect(requestedAction(action.id)).toEqual({ kind: 'machine', name: machineActionNameOf(action.id) });
    }
    expect(requestedAction('microsoft-defender-RunAntiVirusScanQuick')).toEqual({ kind: 'machine', name: 'RunAntiVirusScanQuick' });
    expect(requestedAction('microsoft-defender-Unisolate')).toEqual({ kind: 'machine', name: 'Unisolate' });
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
    'microsoft-defender-unsupported',
    'microsoft-defender-atp-FullIsolation',
    'microsoft-defender-fullisolation',
    'microsoft-defender-',
    'defender-add-indicator-alert',
    'FullIsolation',
    '',
  ])('is undefined for %p', (actionId) => {
    expect(requestedAction(actionId)).toBeUndefined();
  });
});
