import { DEMO_MACHINE_IDS, ISOLATED_MACHINE_ID, RESTRICTED_MACHINE_ID, RouteKey } from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';

// Machine actions over real HTTP against the sandbox.

const COMMENT = 'Performed via SecureX Threat Response';
const WIN10 = DEMO_MACHINE_IDS.win10;
const CATEGORIES = ['Microsoft Defender for Endpoint', 'Machine Actions'];

const ISOLATIONS = ['microsoft-defender-FullIsolation', 'microsoft-defender-SelectiveIsolation'];
const UNISOLATE = 'microsoft-defender-Unisolate';
const RESTRICT = 'microsoft-defender-RestrictCodeExecution';
const UNRESTRICT = 'microsoft-defender-UnrestrictCodeExecution';
const COMMON = [
  'microsoft-defender-RunAntiVirusScanQuick',
  'microsoft-defender-RunAntiVirusScanFull',
  'microsoft-defender-CollectInvestigationPackage',
  'microsoft-defender-InitiateInvestigation',
];

const TRIAGE = 'microsoft-defender-triage-alerts';

describe('POST /respond/observables + /respond/trigger: machine actions', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay()));
  afterAll(() => relay.close());
  beforeEach(() => relay.sandbox.reset());

  const list = (value: string) => relay.post('/respond/observables', [{ type: 'ms_machine_id', value }]);
  const ids = async (value: string): Promise<string[]> => {
    const res = await list(value);
    expect(res.body.errors).toBeUndefined();
    // Alert triage, offered when the device has open alerts, has its own spec (respond-alerts).
    return res.body.data.map((a: { id: string }) => a.id).filter((id: string) => id !== TRIAGE);
  };
  const trigger = (actionId: string, value: string = WIN10) =>
    relay.post('/respond/trigger', { 'action-id': actionId, observable_type: 'ms_machine_id', observable_value: value });
  const posted = (route: RouteKey) => relay.sandbox.stats.entries(route).map((e) => ({ method: e.method, path: e.path, body: e.body }));

  it('lists every action of a free Windows device with titles, categories and query-params as the original', async () => {
    const res = await list(WIN10);
    const params = { observable_type: 'ms_machine_id', observable_value: WIN10 };
    const action = (id: string, title: string) => ({ id, title, description: title, categories: CATEGORIES, 'query-params': params });
    expect(res.body.data.filter((a: { id: string }) => a.id === TRIAGE)).not.toEqual([]);
    expect({ data: res.body.data.filter((a: { id: string }) => a.id !== TRIAGE) }).toEqual({
      data: [
        action('microsoft-defender-FullIsolation', 'Isolate Device: Full'),
        action('microsoft-defender-SelectiveIsolation', 'Isolate Device: Selective'),
        action('microsoft-defender-RestrictCodeExecution', 'Restrict app execution'),
        action('microsoft-defender-RunAntiVirusScanQuick', 'Run antivirus scan: Quick'),
        action('microsoft-defender-RunAntiVirusScanFull', 'Run antivirus scan: Full'),
        action('microsoft-defender-CollectInvestigationPackage', 'Collect investigation package'),
        action('microsoft-defender-InitiateInvestigation', 'Initiate automated investigation'),
      ],
    });
    // Documented APIs only: the machine and its recent actions (state and what is pending), both fresh.
    expect(relay.sandbox.stats.count('machines.get')).toBe(1);
    expect(relay.sandbox.stats.count('machineactions.list')).toBe(1);
    expect(relay.sandbox.stats.entries('machineactions.list')[0].query.$filter).toBe(`machineId eq '${WIN10}'`);
  });

  it('reads the seeded state: isolated device → Unisolate, restricted device → Unrestrict', async () => {
    expect(await ids(ISOLATED_MACHINE_ID)).toEqual([UNISOLATE, RESTRICT, ...COMMON]);
    expect(await ids(RESTRICTED_MACHINE_ID)).toEqual([...ISOLATIONS, UNRESTRICT, ...COMMON]);
  });

  it.each([
    ['FullIsolation', 'Full'],
    ['SelectiveIsolation', 'Selective'],
  ])('round trip: %s → Unisolate is offered → Unisolate → the isolations are offered again', async (name, isolationType) => {
    expect(await ids(WIN10)).toEqual([...ISOLATIONS, RESTRICT, ...COMMON]);

    expect((await trigger(`microsoft-defender-${name}`)).body).toEqual({ data: { status: 'success' } });
    expect(posted('machines.isolate')).toEqual([
      { method: 'POST', path: `/api/machines/${WIN10}/isolate`, body: { Comment: COMMENT, IsolationType: isolationType } },
    ]);
    expect(await ids(WIN10)).toEqual([UNISOLATE, RESTRICT, ...COMMON]);

    expect((await trigger(UNISOLATE)).body).toEqual({ data: { status: 'success' } });
    expect(posted('machines.unisolate')).toEqual([{ method: 'POST', path: `/api/machines/${WIN10}/unisolate`, body: { Comment: COMMENT } }]);
    expect(await ids(WIN10)).toEqual([...ISOLATIONS, RESTRICT, ...COMMON]);
    expect(relay.sandbox.stats.count('machines.isolate')).toBe(1);
  });

  it('round trip: restrict app execution → Unrestrict is offered → unrestrict → Restrict is offered again', async () => {
    expect((await trigger(RESTRICT)).body).toEqual({ data: { status: 'success' } });
    expect(posted('machines.restrictCodeExecution')).toEqual([
      { method: 'POST', path: `/api/machines/${WIN10}/restrictCodeExecution`, body: { Comment: COMMENT } },
    ]);
    expect(await ids(WIN10)).toEqual([...ISOLATIONS, UNRESTRICT, ...COMMON]);

    expect((await trigger(UNRESTRICT)).body).toEqual({ data: { status: 'success' } });
    expect(posted('machines.unrestrictCodeExecution')).toEqual([
      { method: 'POST', path: `/api/machines/${WIN10}/unrestrictCodeExecution`, body: { Comment: COMMENT } },
    ]);
    expect(await ids(WIN10)).toEqual([...ISOLATIONS, RESTRICT, ...COMMON]);
  });

  it('an isolation that Defender completes as Failed leaves the device offered for isolation', async () => {
    relay.sandbox.configure({ machineActionOutcome: 'Failed' });
    expect((await trigger('microsoft-defender-FullIsolation')).body).toEqual({ data: { status: 'success' } });
    expect(await ids(WIN10)).toEqual([...ISOLATIONS, RESTRICT, ...COMMON]);
  });

  it.each<[string, RouteKey, string, Record<string, string>]>([
    ['RunAntiVirusScanQuick', 'machines.runAntiVirusScan', 'runAntiVirusScan', { Comment: COMMENT, ScanType: 'Quick' }],
    ['RunAntiVirusScanFull', 'machines.runAntiVirusScan', 'runAntiVirusScan', { Comment: COMMENT, ScanType: 'Full' }],
    ['CollectInvestigationPackage', 'machines.collectInvestigationPackage', 'collectInvestigationPackage', { Comment: COMMENT }],
    ['InitiateInvestigation', 'machines.startInvestigation', 'startInvestigation', { Comment: COMMENT }],
  ])('%s → exactly one POST (%s) with the right body', async (name, route, segment, body) => {
    const res = await trigger(`microsoft-defender-${name}`);
    expect(res.body).toEqual({ data: { status: 'success' } });
    expect(posted(route)).toEqual([{ method: 'POST', path: `/api/machines/${WIN10}/${segment}`, body }]);
    expect(relay.sandbox.stats.count()).toBe(relay.sandbox.stats.count('token') + 1);
  });

  it('accepts an upper-case machine id and type, and sends the id lower-case', async () => {
    const res = await relay.post('/respond/trigger', {
      'action-id': 'microsoft-defender-RunAntiVirusScanQuick',
      observable_type: 'MS_MACHINE_ID',
      observable_value: WIN10.toUpperCase(),
    });
    expect(res.body).toEqual({ data: { status: 'success' } });
    expect(posted('machines.runAntiVirusScan')[0].path).toBe(`/api/machines/${WIN10}/runAntiVirusScan`);
  });

  it.each([
    ['Linux', DEMO_MACHINE_IDS.linux],
    ['macOS', DEMO_MACHINE_IDS.macos],
  ])('does not offer Windows-only actions on a %s device (Defender would answer OsPlatformNotSupported)', async (_os, machineId) => {
    expect(await ids(machineId)).toEqual([
      'microsoft-defender-FullIsolation',
      'microsoft-defender-RunAntiVirusScanQuick',
      'microsoft-defender-RunAntiVirusScanFull',
      'microsoft-defender-CollectInvestigationPackage',
    ]);
    // Everything that is offered works.
    const offered = await ids(machineId);
    for (const id of offered) expect((await trigger(id, machineId)).body).toEqual({ data: { status: 'success' } });
  });

  it('reports Defender refusing restriction on Linux as a failure with its message', async () => {
    const res = await trigger(RESTRICT, DEMO_MACHINE_IDS.linux);
    expect(res.body).toEqual({
      data: { status: 'failure' },
      errors: [
        {
          type: 'fatal',
          code: 'invalid request',
          message: 'Invalid request to Microsoft Defender for Endpoint: Action RestrictCodeExecution is not supported for OS platform Linux',
        },
      ],
    });
    expect(relay.sandbox.stats.count('machines.restrictCodeExecution')).toBe(1);
  });

  it('an unknown machine has no actions and no error', async () => {
    const res = await list('0123456789abcdef0123456789abcdef01234567');
    expect(res.body).toEqual({ data: [] });
  });

  it('a machine of another tenant is unknown to this one', async () => {
    const { OTHER_MACHINE_ID } = await import('../apps/defender-sandbox/src');
    expect((await list(OTHER_MACHINE_ID)).body).toEqual({ data: [] });
  });

  it('an unknown machine: trigger reports Defender’s not found as a failure, sent once', async () => {
    const res = await trigger('microsoft-defender-FullIsolation', '0123456789abcdef0123456789abcdef01234567');
    expect(res.body).toEqual({
      data: { status: 'failure' },
      errors: [
        {
          type: 'fatal',
          code: 'not found',
          message: 'Microsoft Defender for Endpoint found nothing: Machine 0123456789abcdef0123456789abcdef01234567 was not found',
        },
      ],
    });
    expect(relay.sandbox.stats.count('machines.isolate')).toBe(1);
  });
});
