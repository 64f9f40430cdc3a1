import { DEMO_MACHINE_IDS, RouteKey, SEED_FILES } from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';

// Stop and quarantine, device tags, cancelling a pending action and indicator lifetime/scope,
// over real HTTP against the sandbox: each mutation is sent once per trigger, never retried.

const COMMENT = 'Performed via SecureX Threat Response';
const WIN10 = DEMO_MACHINE_IDS.win10;
const THREE = [DEMO_MACHINE_IDS.win10, DEMO_MACHINE_IDS.server2019, DEMO_MACHINE_IDS.server2022];
/** A file unknown to the seed, placed on devices by each test. */
const FILE = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const QUARANTINE = 'microsoft-defender-stop-and-quarantine-file';
const FAILURE = { status: 'failure' };

interface Action {
  id: string;
  title: string;
  description: string;
  'query-params': Record<string, string>;
}

describe('POST /respond: stop and quarantine, device tags, cancel pending, indicators that expire', () => {
  let relay: RelayHarness;
  beforeAll(
    async () =>
      (relay = await startRelay({
        DEVICE_TAGS: 'XDR-Contained,XDR-Investigating',
        QUARANTINE_MAX_DEVICES: '3',
        INDICATOR_EXPIRATION: 'P30D',
        INDICATOR_SEVERITY: 'Medium',
        INDICATOR_RBAC_GROUPS: 'Servers,Finance laptops',
      })),
  );
  afterAll(() => relay.close());
  beforeEach(() => relay.sandbox.reset());

  const list = async (type: string, value: string): Promise<Action[]> => {
    const res = await relay.post('/respond/observables', [{ type, value }]);
    expect(res.body.errors).toBeUndefined();
    return res.body.data;
  };
  /** What XDR does: the offered action's query-params, plus its id, become the trigger body. */
  const run = (action: Action) => relay.post('/respond/trigger', { 'action-id': action.id, ...action['query-params'] });
  const offered = async (type: string, value: string, id: string, title?: string): Promise<Action> => {
    const action = (await list(type, value)).find((a) => a.id === id && (title === undefined || a.title === title));
    if (!action) throw new Error(`${id} ${title ?? ''} not offered for ${value}`);
    return action;
  };
  const posted = (route: RouteKey) => relay.sandbox.stats.entries(route).map((e) => ({ path: e.path, body: e.body }));
  /** Places a file on devices the way Defender learns of it: file events on each. */
  const placeFile = (sha1: string, deviceIds: readonly string[]) =>
    relay.sandbox.state.primary.hunting.DeviceFileEvents.push(...deviceIds.map((id) => ({ DeviceId: id, DeviceName: `gone-${id.slice(0, 6)}`, SHA1: sha1 })));

  describe('stop and quarantine', () => {
    it('a file on 3 devices: offered titled with the count → one POST per device, each once → success', async () => {
      placeFile(FILE, THREE);
      const action = await offered('sha1', FILE, QUARANTINE);
      expect(action.title).toBe('Stop and quarantine file on 3 devices');
      relay.sandbox.stats.reset();

      expect((await run(action)).body).toEqual({ data: { status: 'success' } });
      const calls = posted('machines.stopAndQuarantineFile');
      expect(calls).toHaveLength(3);
      expect(calls.map((c) => c.path).sort()).toEqual(THREE.map((id) => `/api/machines/${id}/StopAndQuarantineFile`).sort());
      calls.forEach((c) => expect(c.body).toEqual({ Comment: COMMENT, Sha1: FILE }));
      const stored = relay.sandbox.state.machineActions.filter((a) => a.type === 'StopAndQuarantineFile');
      expect(stored.map((a) => [a.machineId, a.relatedFileInfo?.fileIdentifier]).sort()).toEqual(THREE.map((id) => [id, FILE]).sort());
    });

    it('a SHA-256 is resolved to the SHA-1 through the file profile', async () => {
      const action = await offered('sha256', SEED_FILES.emotetDropper.sha256, QUARANTINE);
      expect(action.title).toBe('Stop and quarantine file on 1 device');
      expect((await run(action)).body).toEqual({ data: { status: 'success' } });
      expect(posted('machines.stopAndQuarantineFile')).toEqual([
        { path: `/api/machines/${WIN10}/StopAndQuarantineFile`, body: { Comment: COMMENT, Sha1: SEED_FILES.emotetDropper.sha1 } },
      ]);
    });

    it('one device unknown to Defender (404) → failure naming it; the two that accepted are not re-sent', async () => {
      const gone = '0123456789abcdef0123456789abcdef01234567';
      placeFile(FILE, [WIN10, DEMO_MACHINE_IDS.server2019, gone]);
      const res = await run(await offered('sha1', FILE, QUARANTINE));
      expect(res.body).toEqual({
        data: FAILURE,
        errors: [{ type: 'fatal', code: 'not found', message: `gone-012345: Microsoft Defender for Endpoint found nothing: Machine ${gone} was not found` }],
      });
      expect(relay.sandbox.stats.count('machines.stopAndQuarantineFile')).toBe(3);
      expect(relay.sandbox.state.machineActions.filter((a) => a.type === 'StopAndQuarantineFile').map((a) => a.machineId).sort()).toEqual(
        [WIN10, DEMO_MACHINE_IDS.server2019].sort(),
      );
    });

    it('a second trigger while the first is pending (400 in progress) → failure per device with Defender’s message, each sent once', async () => {
      relay.sandbox.configure({ machineActionDelayMs: 60_000 });
      placeFile(FILE, THREE);
      const action = await offered('sha1', FILE, QUARANTINE);
      expect((await run(action)).body).toEqual({ data: { status: 'success' } });
      const again = await run(action);
      expect(again.body.data).toEqual(FAILURE);
      expect(again.body.errors).toHaveLength(3);
      again.body.errors.forEach((e: { message: string }) => expect(e.message).toContain('Action is already in progress'));
      expect(relay.sandbox.stats.count('machines.stopAndQuarantineFile')).toBe(6);
    });

    it('more devices than QUARANTINE_MAX_DEVICES → not offered, with a warning saying why; a trigger all the same is refused naming the count, nothing sent', async () => {
      placeFile(FILE, [...THREE, DEMO_MACHINE_IDS.linux]);
      const listed = await relay.post('/respond/observables', [{ type: 'sha1', value: FILE }]);
      expect(listed.body.data.map((a: Action) => a.id)).not.toContain(QUARANTINE);
      expect(listed.body.data.length).toBeGreaterThan(0);
      expect(listed.body.errors).toEqual([
        {
          type: 'warning',
          code: 'unknown',
          message: `Stop and quarantine is not offered for ${FILE}: the file is on 4 devices, more than QUARANTINE_MAX_DEVICES (3) allows at once`,
        },
      ]);
      const res = await relay.post('/respond/trigger', { 'action-id': QUARANTINE, observable_type: 'sha1', observable_value: FILE });
      expect(res.body).toEqual({
        data: FAILURE,
        errors: [
          {
            type: 'fatal',
            code: 'invalid request',
            message: `The file ${FILE} is on 4 devices, more than QUARANTINE_MAX_DEVICES (3) allows at once, so nothing was sent to Microsoft Defender for Endpoint`,
          },
        ],
      });
      expect(relay.sandbox.stats.count('machines.stopAndQuarantineFile')).toBe(0);
    });

    it('a file no device has is not offered, and its trigger is refused with nothing sent', async () => {
      expect((await list('sha1', FILE)).map((a) => a.id)).not.toContain(QUARANTINE);
      const res = await relay.post('/respond/trigger', { 'action-id': QUARANTINE, observable_type: 'sha1', observable_value: FILE });
      expect(res.body.data).toEqual(FAILURE);
      expect(res.body.errors[0].message).toBe(`No device has the file ${FILE}, so nothing was sent to Microsoft Defender for Endpoint`);
      expect(relay.sandbox.stats.count('machines.stopAndQuarantineFile')).toBe(0);
    });
  });

  describe('device tags', () => {
    it('add → remove is offered → remove → add is offered again, each one POST', async () => {
      const tagIds = async () => (await list('ms_machine_id', WIN10)).filter((a) => a['query-params'].tag).map((a) => a.title);
      expect(await tagIds()).toEqual(['Add tag XDR-Contained', 'Add tag XDR-Investigating']);

      expect((await run(await offered('ms_machine_id', WIN10, 'microsoft-defender-add-tag', 'Add tag XDR-Contained'))).body).toEqual({ data: { status: 'success' } });
      expect(posted('machines.tags')).toEqual([{ path: `/api/machines/${WIN10}/tags`, body: { Value: 'XDR-Contained', Action: 'Add' } }]);
      expect(await tagIds()).toEqual(['Remove tag XDR-Contained', 'Add tag XDR-Investigating']);

      expect((await run(await offered('ms_machine_id', WIN10, 'microsoft-defender-remove-tag'))).body).toEqual({ data: { status: 'success' } });
      expect(posted('machines.tags')[1]).toEqual({ path: `/api/machines/${WIN10}/tags`, body: { Value: 'XDR-Contained', Action: 'Remove' } });
      expect(await tagIds()).toEqual(['Add tag XDR-Contained', 'Add tag XDR-Investigating']);
      expect(relay.sandbox.stats.count('machines.tags')).toBe(2);
    });

    it('a tag that is not configured is refused, nothing sent', async () => {
      const res = await relay.post('/respond/trigger', { 'action-id': 'microsoft-defender-add-tag', observable_type: 'ms_machine_id', observable_value: WIN10, tag: 'Anything' });
      expect(res.body).toEqual({
        data: FAILURE,
        errors: [{ type: 'fatal', code: 'invalid request', message: "Tag 'Anything' is not one of the configured device tags (DEVICE_TAGS), so nothing was sent to Microsoft Defender for Endpoint" }],
      });
      expect(relay.sandbox.stats.count('machines.tags')).toBe(0);
    });
  });

  describe('bad trigger parameters: a clear error, nothing sent, the next request unaffected', () => {
    const base = { observable_type: 'ms_machine_id', observable_value: WIN10 };
    it.each<[string, Record<string, unknown>, string]>([
      ['a tag action without tag', { 'action-id': 'microsoft-defender-add-tag' }, "Invalid JSON payload received: 'tag' is required to add or remove a device tag"],
      ['a tag that is not a string', { 'action-id': 'microsoft-defender-add-tag', tag: 7 }, "Invalid JSON payload received: 'tag' must be one of the tags listed by /respond/observables"],
      ['a cancel without machine_action_id', { 'action-id': 'microsoft-defender-cancel-machine-action' }, "Invalid JSON payload received: 'machine_action_id' is required to cancel a machine action"],
      [
        'a machine_action_id that is not an id',
        { 'action-id': 'microsoft-defender-cancel-machine-action', machine_action_id: '../machines/x' },
        "Invalid JSON payload received: 'machine_action_id' must be the machine action id listed by /respond/observables",
      ],
      ['quarantine of a device id', { 'action-id': QUARANTINE }, "Observable type 'ms_machine_id' is not supported by this action"],
    ])('%s', async (_name, body, message) => {
      const res = await relay.post('/respond/trigger', { ...base, ...body });
      expect(res.body.errors).toEqual([expect.objectContaining({ message })]);
      expect(relay.sandbox.stats.entries().filter((e) => e.method === 'POST' && e.route !== 'token')).toEqual([]);
      expect((await list('ms_machine_id', WIN10)).length).toBeGreaterThan(0);
    });
  });

  describe('pending actions', () => {
    it('pending isolation → no isolation offered, cancel offered with its age → cancel sent once → isolation offered again', async () => {
      relay.sandbox.configure({ machineActionDelayMs: 60_000 });
      expect((await run(await offered('ms_machine_id', WIN10, 'microsoft-defender-FullIsolation'))).body).toEqual({ data: { status: 'success' } });

      relay.sandbox.stats.reset();
      const actions = await list('ms_machine_id', WIN10);
      const ids = actions.map((a) => a.id);
      expect(ids).not.toContain('microsoft-defender-FullIsolation');
      expect(ids).not.toContain('microsoft-defender-SelectiveIsolation');
      expect(ids).not.toContain('microsoft-defender-Unisolate');
      const cancel = actions.find((a) => a.id === 'microsoft-defender-cancel-machine-action')!;
      expect(cancel.title).toBe('Cancel pending isolation (Full)');
      expect(cancel.description).toMatch(/^Cancel the isolation \(Full\) of .+, Pending for (less than a minute|\d+ minutes?), requested by /);
      // Two reads per device: its profile and one read of recent actions, which serves both the
      // isolation state and what is pending.
      expect(relay.sandbox.stats.count('machineactions.list')).toBe(1);
      expect(relay.sandbox.stats.count('machines.get')).toBe(1);

      const [isolation] = relay.sandbox.state.machineActions.filter((a) => a.machineId === WIN10 && a.status === 'Pending');
      expect(cancel['query-params'].machine_action_id).toBe(isolation.id);
      expect((await run(cancel)).body).toEqual({ data: { status: 'success' } });
      expect(posted('machineactions.cancel')).toEqual([{ path: `/api/machineactions/${isolation.id}/cancel`, body: { Comment: COMMENT } }]);
      expect(isolation.status).toBe('Cancelled');
      expect((await list('ms_machine_id', WIN10)).map((a) => a.id)).toContain('microsoft-defender-FullIsolation');
    });

    it('cancelling an action that already ended → failure with Defender’s message, one call', async () => {
      expect((await run(await offered('ms_machine_id', WIN10, 'microsoft-defender-RunAntiVirusScanQuick'))).body).toEqual({ data: { status: 'success' } });
      const [scan] = relay.sandbox.state.machineActions.filter((a) => a.machineId === WIN10 && a.type === 'RunAntiVirusScan');
      const res = await relay.post('/respond/trigger', {
        'action-id': 'microsoft-defender-cancel-machine-action',
        observable_type: 'ms_machine_id',
        observable_value: WIN10,
        machine_action_id: scan.id,
      });
      expect(res.body.data).toEqual(FAILURE);
      expect(res.body.errors[0].message).toContain('Action in status Succeeded cannot be cancelled');
      expect(relay.sandbox.stats.count('machineactions.cancel')).toBe(1);
    });
  });

  it('an added indicator carries the configured expiration, severity and device groups; its removal says when it expires', async () => {
    const before = Date.now();
    expect((await run(await offered('domain', 'relay-e2e.expiring.example', 'microsoft-defender-add-indicator-alert'))).body).toEqual({ data: { status: 'success' } });
    const [create] = posted('indicators.create');
    const body = create.body as Record<string, unknown>;
    expect(body).toMatchObject({ severity: 'Medium', rbacGroupNames: ['Servers', 'Finance laptops'], action: 'Audit', generateAlert: true });
    const expires = Date.parse(String(body.expirationTime));
    const thirtyDays = 30 * 24 * 3_600_000;
    expect(expires).toBeGreaterThanOrEqual(before + thirtyDays);
    expect(expires).toBeLessThanOrEqual(Date.now() + thirtyDays);
    const remove = await offered('domain', 'relay-e2e.expiring.example', 'microsoft-defender-remove-indicator');
    expect(remove.description).toMatch(/; it expires \d{4}-\d\d-\d\dT/);
  });

  describe('mutations are never retried, also under injected faults', () => {
    it.each<[string, RouteKey, number]>([
      ['stop and quarantine', 'machines.stopAndQuarantineFile', 429],
      ['stop and quarantine', 'machines.stopAndQuarantineFile', 503],
      ['add tag', 'machines.tags', 429],
      ['add tag', 'machines.tags', 500],
      ['cancel', 'machineactions.cancel', 429],
      ['cancel', 'machineactions.cancel', 502],
    ])('%s (%s) answered %d → failure, exactly one call', async (_name, route, status) => {
      relay.sandbox.configure({ machineActionDelayMs: 60_000 });
      placeFile(FILE, [WIN10]);
      await run(await offered('ms_machine_id', WIN10, 'microsoft-defender-RunAntiVirusScanQuick'));
      const action =
        route === 'machines.stopAndQuarantineFile'
          ? await offered('sha1', FILE, QUARANTINE)
          : route === 'machines.tags'
            ? await offered('ms_machine_id', WIN10, 'microsoft-defender-add-tag')
            : await offered('ms_machine_id', WIN10, 'microsoft-defender-cancel-machine-action');
      relay.sandbox.faults.add({ route, status, retryAfter: status === 429 ? 1 : undefined });
      const res = await run(action);
      expect(res.body.data).toEqual(FAILURE);
      expect(res.body.errors).toHaveLength(1);
      expect(relay.sandbox.stats.count(route)).toBe(1);
    });
  });
});
