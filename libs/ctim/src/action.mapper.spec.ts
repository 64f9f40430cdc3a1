import type { MachineAction } from '@app/defender/models';
import { MACHINE_ID, NOW, aMachine, aMachineAction, anIndicator, fixedClock } from '../test-support/builders';
import { ActionMapper } from './action.mapper';

const mapper = new ActionMapper(fixedClock());
const history = ({ isolated = false, restricted = false }) => [
  ...(isolated ? [aMachineAction({ type: 'Isolate' })] : []),
  ...(restricted ? [aMachineAction({ type: 'RestrictCodeExecution' })] : []),
];
/** The actions offered for a device with no running actions and no configured tags: its machine actions. */
const forDevice = (machine: ReturnType<typeof aMachine>, succeeded: MachineAction[]) => mapper.forDevice({ id: MACHINE_ID, machine, succeeded, active: [] }, []);
const machineActions = (state: { isolated: boolean; restricted: boolean }, osPlatform: string | null = 'Windows10') => forDevice(aMachine({ osPlatform }), history(state));

describe('ActionMapper.forDevice: machine actions', () => {
  const titles = (isolated: boolean, restricted: boolean) =>
    machineActions({ isolated, restricted }).map((a) => [a.id, a.title]);

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
    for (const action of machineActions({ isolated: false, restricted: false })) {
      expect(action.description).toBe(action.title);
      expect(action.categories).toEqual(['Microsoft Defender for Endpoint', 'Machine Actions']);
      expect(action['query-params']).toEqual({ observable_type: 'ms_machine_id', observable_value: MACHINE_ID });
    }
  });

  it('limits the list to what the platform supports, keeping reverse actions', () => {
    const ids = machineActions({ isolated: true, restricted: false }, 'Linux').map((a) => a.id);
    expect(ids).toEqual([
      'microsoft-defender-Unisolate',
      'microsoft-defender-RunAntiVirusScanQuick',
      'microsoft-defender-RunAntiVirusScanFull',
      'microsoft-defender-CollectInvestigationPackage',
    ]);
  });
});

describe('ActionMapper.forResolvedDevice', () => {
  it('offers the same state-aware actions for a device found by host name, titled with its name and carrying its id', () => {
    const observable = { type: 'hostname', value: 'hf-ws-0142' };
    const offered = mapper.forResolvedDevice(observable, MACHINE_ID, aMachine({ computerDnsName: 'hf-ws-0142' }), history({ restricted: true }));
    expect(offered.map((a) => a.id)).toEqual(machineActions({ isolated: false, restricted: true }).map((a) => a.id));
    expect(offered[0]).toEqual({
      id: 'microsoft-defender-FullIsolation',
      title: 'Isolate hf-ws-0142 (Full)',
      description: 'Isolate hf-ws-0142 (Full)',
      categories: ['Microsoft Defender for Endpoint', 'Machine Actions'],
      'query-params': { observable_type: 'hostname', observable_value: 'hf-ws-0142', machine_id: MACHINE_ID },
    });
    expect(offered.map((a) => a.title)).toContain('Remove app restrictions on hf-ws-0142');
    expect(mapper.forResolvedDevice(observable, MACHINE_ID, aMachine({ computerDnsName: 'x' }), history({ isolated: true }))[0].title).toBe('Release x from isolation');
    expect(mapper.forResolvedDevice(observable, MACHINE_ID, aMachine({ computerDnsName: null }), [])[0].title).toBe(`Isolate ${MACHINE_ID} (Full)`);
  });
});

describe('machine actions by platform', () => {
  const offered = (osPlatform: string | null) => machineActions({ isolated: false, restricted: false }, osPlatform).map((a) => a.id);

  it.each(['Windows10', 'Windows11', 'WindowsServer2019', 'windowsserver2022', null, ''])('offers everything on %p', (platform) => {
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
    expect(machineActions({ isolated: true, restricted: false }, 'Android').map((a) => a.id)).toEqual([
      'microsoft-defender-Unisolate',
    ]);
  });
});

describe('ActionMapper.forIndicator', () => {
  const domain = { type: 'domain', value: 'asdf.com' };
  const indicatorActions = (observable: { type: string; value: string }, indicators: ReturnType<typeof anIndicator>[], at = NOW) =>
    new ActionMapper(fixedClock(at)).forIndicator(observable, indicators);

  it('offers the three add actions when no indicator exists', () => {
    expect(indicatorActions(domain, [])).toEqual([
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
    expect(indicatorActions(domain, [anIndicator({ action: 'AlertAndBlock' })])).toEqual([
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
    const expiring = indicatorActions(domain, [anIndicator({ expirationTime: '2027-01-31T00:00:00Z' })])[0];
    expect(expiring.description).toMatch(/ action for asdf\.com; it expires 2027-01-31T00:00:00Z$/);
    expect(indicatorActions(domain, [anIndicator({ expirationTime: null })])[0].description).not.toContain('expires');
  });

  it("treats Microsoft's documented expired indicator as absent: the adds, then its removal labelled expired", () => {
    const expired = anIndicator({ id: '996', indicatorValue: '220e7d15b011d7fac48f2bd61114db1022197f7f', indicatorType: 'FileSha1', action: 'AlertAndBlock', expirationTime: '2020-12-12T00:00:00Z', title: 'test' });
    const sha1 = { type: 'sha1', value: '220e7d15b011d7fac48f2bd61114db1022197f7f' };
    expect(indicatorActions(sha1, [expired]).map((a) => [a.id, a.title])).toEqual([
      ['microsoft-defender-add-indicator-alert', `Add indicator for sha1 ${sha1.value}: Alert`],
      ['microsoft-defender-add-indicator-alert-and-block', `Add indicator for sha1 ${sha1.value}: Alert and Block`],
      ['microsoft-defender-add-indicator-allowed', `Add indicator for sha1 ${sha1.value}: Allowed`],
      ['microsoft-defender-remove-indicator', 'Remove expired indicator: Alert and Block - test'],
    ]);
    expect(indicatorActions(sha1, [expired])[3]).toMatchObject({
      description: `Remove the indicator with Alert and Block action for ${sha1.value}: it expired 2020-12-12T00:00:00Z and no longer applies`,
      'query-params': { observable_type: 'sha1', observable_value: sha1.value, indicator_id: '996' },
    });
  });

  it('offers the live indicator’s removal when an expired one of the same value is also listed, expiry judged at now', () => {
    const expired = anIndicator({ id: '1', expirationTime: '2026-01-01T00:00:00Z' });
    const live = anIndicator({ id: '2', expirationTime: '2026-03-01T12:00:01Z' });
    expect(indicatorActions(domain, [expired, live]).map((a) => a['query-params'].indicator_id)).toEqual(['2']);
    expect(indicatorActions(domain, [expired, live], '2026-03-01T12:00:01Z').map((a) => a.title)).toEqual([
      'Add indicator for domain asdf.com: Alert',
      'Add indicator for domain asdf.com: Alert and Block',
      'Add indicator for domain asdf.com: Allowed',
      'Remove expired indicator: Block - From SecureX Threat Response',
      'Remove expired indicator: Block - From SecureX Threat Response',
    ]);
  });

  it('titles the add actions with the observable’s type and value', () => {
    expect(indicatorActions({ type: 'sha256', value: 'ab' }, []).map((a) => a.title)).toEqual([
      'Add indicator for sha256 ab: Alert',
      'Add indicator for sha256 ab: Alert and Block',
      'Add indicator for sha256 ab: Allowed',
    ]);
  });
});

describe('device state from its succeeded actions', () => {
  const types = (...list: string[]) => list.map((type) => aMachineAction({ type }));

  it('follows the latest isolation and the latest restriction, each on its own', () => {
    const ids = (history: MachineAction[]) => forDevice(aMachine(), history).map((a) => a.id);
    expect(ids(types('Isolate', 'RestrictCodeExecution', 'Unisolate'))).toEqual(expect.arrayContaining(['microsoft-defender-Unisolate', 'microsoft-defender-UnrestrictCodeExecution']));
    expect(ids(types('RunAntiVirusScan', 'Unisolate', 'Isolate', 'UnrestrictCodeExecution'))).toEqual(
      expect.arrayContaining(['microsoft-defender-FullIsolation', 'microsoft-defender-RestrictCodeExecution']),
    );
  });
});
