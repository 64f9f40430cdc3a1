import { MACHINE_ID, anIndicator } from '../test-support/builders';
import {
  ADD_INDICATOR_ALERT_ACTION_ID,
  ADD_INDICATOR_ALERT_AND_BLOCK_ACTION_ID,
  ADD_INDICATOR_ALLOWED_ACTION_ID,
  REMOVE_INDICATOR_ACTION_ID,
  availableMachineActions,
  indicatorActions,
  indicatorRequest,
  isIndicatorActionId,
  isMachineActionId,
  machineActionRequest,
  machineActions,
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

  it('offers the three add actions when no indicator exists', () => {
    expect(indicatorActions(domain)).toEqual([
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
    expect(indicatorActions(domain, anIndicator({ action: 'AlertAndBlock' }))).toEqual([
      {
        id: 'microsoft-defender-remove-indicator',
        title: 'Remove indicator: Alert and Block - From SecureX Threat Response',
        description: 'Remove indicator with Alert and Block action for asdf.com',
        categories: ['Microsoft Defender for Endpoint', 'Remove Indicator'],
        'query-params': { observable_type: 'domain', observable_value: 'asdf.com', indicator_id: '13' },
      },
    ]);
  });

  it.each(['ip', 'ipv6', 'domain', 'url', 'sha1', 'sha256', 'md5'])('supports %s', (type) => {
    expect(indicatorActions({ type, value: 'x' })).toHaveLength(3);
  });

  it('offers nothing for types indicators do not support', () => {
    expect(indicatorActions({ type: 'hostname', value: 'desktop-1' })).toEqual([]);
    expect(indicatorActions({ type: 'ms_machine_id', value: MACHINE_ID })).toEqual([]);
  });
});

describe('indicatorRequest', () => {
  const opts = { title: 'From Cisco XDR', description: 'Added via Cisco XDR' };

  it.each([
    ['sha1', 'FileSha1'],
    ['sha256', 'FileSha256'],
    ['md5', 'FileMd5'],
    ['ip', 'IpAddress'],
    ['ipv6', 'IpAddress'],
    ['domain', 'DomainName'],
    ['url', 'Url'],
  ])('uses indicator type %p → %p', (type, indicatorType) => {
    expect(indicatorRequest(ADD_INDICATOR_ALERT_ACTION_ID, { type, value: 'v' }, opts)?.indicatorType).toBe(indicatorType);
  });

  it('alert → Audit with an alert, severity High', () => {
    expect(indicatorRequest(ADD_INDICATOR_ALERT_ACTION_ID, { type: 'domain', value: 'asdf.com' }, opts)).toEqual({
      indicatorValue: 'asdf.com',
      indicatorType: 'DomainName',
      action: 'Audit',
      title: 'From Cisco XDR',
      description: 'Added via Cisco XDR',
      severity: 'High',
      generateAlert: true,
    });
  });

  it.each([
    ['sha1', 'BlockAndRemediate'],
    ['sha256', 'BlockAndRemediate'],
    ['md5', 'BlockAndRemediate'],
    ['ip', 'Block'],
    ['ipv6', 'Block'],
    ['domain', 'Block'],
    ['url', 'Block'],
  ])('alert-and-block on %p → %p with an alert', (type, action) => {
    expect(indicatorRequest(ADD_INDICATOR_ALERT_AND_BLOCK_ACTION_ID, { type, value: 'v' }, opts)).toMatchObject({
      action,
      severity: 'High',
      generateAlert: true,
    });
  });

  it('allowed → Allowed without an alert, severity Informational', () => {
    expect(indicatorRequest(ADD_INDICATOR_ALLOWED_ACTION_ID, { type: 'ip', value: '1.2.3.4' }, opts)).toMatchObject({
      indicatorValue: '1.2.3.4',
      indicatorType: 'IpAddress',
      action: 'Allowed',
      severity: 'Informational',
      generateAlert: false,
    });
  });

  it('passes an expiration time through', () => {
    const body = indicatorRequest(
      ADD_INDICATOR_ALERT_ACTION_ID,
      { type: 'ip', value: '1.2.3.4' },
      { ...opts, expirationTime: '2027-01-01T00:00:00Z' },
    );
    expect(body?.expirationTime).toBe('2027-01-01T00:00:00Z');
  });

  it('is undefined for remove, unknown action ids and unsupported types', () => {
    expect(indicatorRequest(REMOVE_INDICATOR_ACTION_ID, { type: 'ip', value: '1.2.3.4' }, opts)).toBeUndefined();
    expect(indicatorRequest('microsoft-defender-unsupported', { type: 'ip', value: '1.2.3.4' }, opts)).toBeUndefined();
    expect(indicatorRequest(ADD_INDICATOR_ALERT_ACTION_ID, { type: 'hostname', value: 'x' }, opts)).toBeUndefined();
  });
});

describe('machineActionRequest', () => {
  const comment = 'Performed via SecureX Threat Response';

  it.each([
    ['microsoft-defender-FullIsolation', 'isolate', { Comment: comment, IsolationType: 'Full' }],
    ['microsoft-defender-SelectiveIsolation', 'isolate', { Comment: comment, IsolationType: 'Selective' }],
    ['microsoft-defender-Unisolate', 'unisolate', { Comment: comment }],
    ['microsoft-defender-RestrictCodeExecution', 'restrictCodeExecution', { Comment: comment }],
    ['microsoft-defender-UnrestrictCodeExecution', 'unrestrictCodeExecution', { Comment: comment }],
    ['microsoft-defender-RunAntiVirusScanQuick', 'runAntiVirusScan', { Comment: comment, ScanType: 'Quick' }],
    ['microsoft-defender-RunAntiVirusScanFull', 'runAntiVirusScan', { Comment: comment, ScanType: 'Full' }],
    ['microsoft-defender-CollectInvestigationPackage', 'collectInvestigationPackage', { Comment: comment }],
    ['microsoft-defender-InitiateInvestigation', 'startInvestigation', { Comment: comment }],
  ])('%s → POST machines/{id}/%s', (actionId, path, body) => {
    expect(machineActionRequest(actionId, comment)).toEqual({ path, body });
  });

  it.each([
    'microsoft-defender-unsupported',
    'microsoft-defender-atp-FullIsolation',
    'FullIsolation',
    '',
    ADD_INDICATOR_ALERT_ACTION_ID,
  ])('is undefined for unknown action id %p', (actionId) => {
    expect(machineActionRequest(actionId, comment)).toBeUndefined();
  });
});

describe('action id predicates', () => {
  it('tell machine and indicator actions apart', () => {
    expect(isMachineActionId('microsoft-defender-Unisolate')).toBe(true);
    expect(isMachineActionId(REMOVE_INDICATOR_ACTION_ID)).toBe(false);
    expect(isIndicatorActionId(REMOVE_INDICATOR_ACTION_ID)).toBe(true);
    expect(isIndicatorActionId(ADD_INDICATOR_ALLOWED_ACTION_ID)).toBe(true);
    expect(isIndicatorActionId('microsoft-defender-Unisolate')).toBe(false);
  });
});
