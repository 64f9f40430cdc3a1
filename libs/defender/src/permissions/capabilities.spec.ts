import { DEFENDER_HUNTING_RETIREMENT } from '@app/common';
import { assessCapabilities, CAPABILITIES, missingPermissions, observeBlocked, permissionsByGroup, rolesOf } from './capabilities';

const jwt = (claims: object) => `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
const BEFORE = Date.parse('2026-12-06T00:00:00Z');
const AFTER = Date.parse('2027-02-01T00:00:00Z');
const AUTO = { huntingApi: 'auto', huntingRetirement: DEFENDER_HUNTING_RETIREMENT } as const;
const stateOf = (reports: ReturnType<typeof assessCapabilities>, id: string) => reports.find((r) => r.capability === id);

describe('rolesOf', () => {
  it('reads the roles claim of a JWT', () => expect(rolesOf(jwt({ roles: ['Alert.Read.All', 7] }))).toEqual(['Alert.Read.All']));
  it('is empty for a JWT without roles (nothing granted)', () => expect(rolesOf(jwt({ aud: 'x' }))).toEqual([]));
  it.each([
    ['an opaque string', 'sbx.abc'],
    ['an encrypted (five-part) token', 'a.b.c.d.e'],
    ['a payload that is not JSON', 'eyJ.bm90IGpzb24.c2ln'],
    ['a payload that is not an object', `a.${Buffer.from('[1]').toString('base64url')}.c`],
    ['roles that are not a list', jwt({ roles: 'Alert.Read.All' })],
  ])('is unknown (undefined) for %s', (_name, token) => expect(rolesOf(token)).toBeUndefined());
});

describe('assessCapabilities', () => {
  it('an app with no permission is told to grant Graph ThreatHunting.Read.All for hunting, not the retiring API', () => {
    const reports = assessCapabilities({ defender: [], graph: [] }, AUTO, BEFORE);
    expect(stateOf(reports, 'observe.hunting')).toMatchObject({ state: 'missing', grant: ['Microsoft Graph ThreatHunting.Read.All'] });
    expect(observeBlocked(reports)).toBe(true);
  });

  it('the retiring Defender hunting permission serves until 2027-02-01 under auto, not after', () => {
    const roles = { defender: ['AdvancedQuery.Read.All'], graph: [] };
    expect(stateOf(assessCapabilities(roles, AUTO, BEFORE), 'observe.hunting')?.state).toBe('works');
    expect(stateOf(assessCapabilities(roles, AUTO, AFTER), 'observe.hunting')?.state).toBe('missing');
    expect(stateOf(assessCapabilities(roles, { huntingApi: 'graph', huntingRetirement: DEFENDER_HUNTING_RETIREMENT }, BEFORE), 'observe.hunting')?.state).toBe('missing');
  });

  it('HUNTING_API=defender asks for AdvancedQuery.Read.All and needs no Graph token', () => {
    expect(stateOf(assessCapabilities({ defender: [] }, { huntingApi: 'defender', huntingRetirement: DEFENDER_HUNTING_RETIREMENT }, BEFORE), 'observe.hunting')).toMatchObject({ grant: ['WindowsDefenderATP AdvancedQuery.Read.All'] });
  });

  it('alert triage needs Graph SecurityAlert.ReadWrite.All when ALERTS_API=graph', () => {
    const roles = { defender: ['Alert.ReadWrite.All'], graph: [] };
    expect(stateOf(assessCapabilities(roles, AUTO, BEFORE), 'respond.alert-triage')?.state).toBe('works');
    expect(stateOf(assessCapabilities(roles, { ...AUTO, alertsApi: 'graph' }, BEFORE), 'respond.alert-triage')).toMatchObject({ grant: ['Microsoft Graph SecurityAlert.ReadWrite.All'] });
  });

  it('unreadable roles make a capability unknown, never missing', () => {
    const reports = assessCapabilities({ defender: undefined, graph: ['ThreatHunting.Read.All'] }, AUTO, BEFORE);
    expect(stateOf(reports, 'observe.hunting')?.state).toBe('works');
    expect(reports.filter((r) => r.capability !== 'observe.hunting').every((r) => r.state === 'unknown')).toBe(true);
    expect(observeBlocked(reports)).toBe(false);
  });

  it('groups what to grant by permission, naming what each enables', () => {
    const reports = assessCapabilities({ defender: ['Alert.Read.All', 'Machine.Read.All', 'File.Read.All'], graph: ['ThreatHunting.Read.All'] }, AUTO, BEFORE);
    const missing = missingPermissions(reports);
    expect(missing.get('WindowsDefenderATP Machine.Isolate')).toEqual(['respond: isolate / release', 'respond: cancel a pending action']);
    expect(missing.has('WindowsDefenderATP Alert.Read.All')).toBe(false);
  });
});

describe('permissionsByGroup', () => {
  it('lists every permission the default configuration uses, Graph hunting included', () => {
    const groups = permissionsByGroup(AUTO, BEFORE);
    expect(groups.observe).toEqual([
      'WindowsDefenderATP Alert.Read.All',
      'WindowsDefenderATP Machine.Read.All',
      'WindowsDefenderATP File.Read.All',
      'WindowsDefenderATP Ip.Read.All',
      'WindowsDefenderATP URL.Read.All',
      'Microsoft Graph ThreatHunting.Read.All',
    ]);
    expect(groups.respond).toEqual(expect.arrayContaining(['WindowsDefenderATP Machine.Isolate', 'WindowsDefenderATP Ti.ReadWrite.All', 'WindowsDefenderATP Alert.ReadWrite.All']));
  });

  it('has one row per capability id', () => expect(new Set(CAPABILITIES.map((c) => c.id)).size).toBe(CAPABILITIES.length));
});
