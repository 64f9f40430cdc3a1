import { ErrorList, loadDefenderConfig, loadRespondConfig, RelayError } from '@app/common';
import { ActionMapper } from '@app/ctim';
import { DefenderContext, DefenderContextFactory, DevicesRepository, Machine, MachineAction, MachineActionsRepository, MachinesRepository, ObservableSearch } from '@app/defender';
import { DeviceActions } from './device-actions';
import { ListingReads } from './listing-reads';

// Planning and checks of device actions one level below the e2e tests: strict fake repositories
// (only the methods DeviceActions may call, answering from a small fleet) and the real mapper.

const HOST = 'ws-finance-07.contoso.local';
const A = 'A'.repeat(40);
const B = 'b'.repeat(40);
const machine = (id: string, fields: Partial<Machine> = {}): Machine => ({ id, computerDnsName: HOST, lastIpAddress: '10.0.0.7', ipAddresses: [], ...fields }) as Machine;
const isolated = (machineId: string): MachineAction => ({ id: `act-${machineId}`, type: 'Isolate', status: 'Succeeded', machineId, creationDateTimeUtc: '2026-03-01T11:00:00Z' }) as MachineAction;

const unused = undefined as never;

describe('DeviceActions', () => {
  let fleet: Machine[];
  let truncated: boolean;
  let calls: string[];
  let errors: ErrorList;
  const contexts: DefenderContext[] = [];

  const devices = {
    byHostname: async (_ctx: DefenderContext, hostname: string) => (calls.push(`byHostname ${hostname}`), { devices: fleet, truncated }),
    byIp: async (_ctx: DefenderContext, ip: string) => (calls.push(`byIp ${ip}`), { devices: fleet, truncated }),
  };
  const machines = {
    machine: async (_ctx: DefenderContext, id: string) => (calls.push(`machine ${id}`), fleet.find((m) => m.id === id)),
    current: async (_ctx: DefenderContext, id: string) => (calls.push(`current ${id}`), fleet.find((m) => m.id === id)),
  };
  const machineActions = {
    history: async (_ctx: DefenderContext, id: string) => (calls.push(`history ${id}`), { succeeded: id === B ? [isolated(B)] : [], active: [] }),
  };
  // The real search: a host name's devices come from the devices repository through it.
  const search = new ObservableSearch(unused, unused, unused, devices as unknown as DevicesRepository, unused, unused, unused, unused);
  const service = new DeviceActions(
    devices as unknown as DevicesRepository,
    search,
    machines as unknown as MachinesRepository,
    machineActions as unknown as MachineActionsRepository,
    new ActionMapper(() => Date.parse('2026-03-01T12:00:00Z')),
    new ListingReads(loadRespondConfig({}), () => 0),
  );
  const factory = new DefenderContextFactory(unused, loadDefenderConfig({ REQUEST_DEADLINE_MS: '5000' }));
  const context = () => {
    const ctx = factory.create({ tenantId: 't', clientId: 'c', clientSecret: 's' });
    contexts.push(ctx);
    return ctx;
  };
  const failure = (work: Promise<unknown>) => work.then(
    () => undefined,
    (error: unknown) => (error instanceof RelayError ? error.toBody() : error),
  );

  beforeEach(() => {
    fleet = [machine(A), machine(B)];
    truncated = false;
    calls = [];
    errors = new ErrorList({ error: () => undefined });
  });
  afterEach(() => contexts.splice(0).forEach((ctx) => ctx.dispose()));

  describe('offer', () => {
    it('offers each device the host name resolves to its own actions, carrying its lower-case id, from a fresh history each', async () => {
      const actions = await service.offer(context(), { type: 'hostname', value: HOST }, errors);
      expect(calls).toEqual([`byHostname ${HOST}`, `history ${A.toLowerCase()}`, `history ${B}`]);
      const ids = new Set(actions.map((a) => a['query-params'].machine_id));
      expect(ids).toEqual(new Set([A.toLowerCase(), B]));
      for (const action of actions) expect(action['query-params']).toMatchObject({ observable_type: 'hostname', observable_value: HOST });
      // The isolated device is offered its release, the other its isolation.
      const names = (id: string) => actions.filter((a) => a['query-params'].machine_id === id).map((a) => a.id);
      expect(names(B)).toContain('microsoft-defender-Unisolate');
      expect(names(B)).not.toContain('microsoft-defender-FullIsolation');
      expect(names(A.toLowerCase())).toContain('microsoft-defender-FullIsolation');
      expect(names(A.toLowerCase())).not.toContain('microsoft-defender-Unisolate');
      expect(errors.all).toEqual([]);
    });

    it('resolves an IP through byIp and warns when Defender had more devices than are offered', async () => {
      truncated = true;
      await service.offer(context(), { type: 'ip', value: '10.0.0.7' }, errors);
      expect(calls[0]).toBe('byIp 10.0.0.7');
      expect(errors.all).toEqual([expect.objectContaining({ type: 'warning', message: expect.stringMatching(/^More than \d+ devices were seen with 10\.0\.0\.7/) })]);
    });

    it('warns about a host name shared by too many devices, and offers nothing when none has it', async () => {
      truncated = true;
      await service.offer(context(), { type: 'hostname', value: HOST }, errors);
      expect(errors.all).toEqual([expect.objectContaining({ type: 'warning', message: expect.stringMatching(/^More than \d+ devices are named ws-finance-07/) })]);
      fleet = [];
      truncated = false;
      calls = [];
      expect(await service.offer(context(), { type: 'hostname', value: HOST }, new ErrorList({ error: () => undefined }))).toEqual([]);
      expect(calls).toEqual([`byHostname ${HOST}`]);
    });
  });

  describe('target', () => {
    it('acts on the offered id once its current profile still has the host name or IP', async () => {
      expect(await service.target(context(), { type: 'hostname', value: 'WS-FINANCE-07' }, B)).toBe(B);
      expect(await service.target(context(), { type: 'ip', value: '10.0.0.7' }, B)).toBe(B);
      expect(calls).toEqual([`current ${B}`, `current ${B}`]); // a fresh read each time, never the cached profile
    });

    it('refuses a trigger without machine_id before any Defender call', async () => {
      expect(await failure(service.target(context(), { type: 'hostname', value: HOST }, undefined))).toEqual({
        type: 'fatal',
        code: 'invalid payload',
        message: "Invalid JSON payload received: 'machine_id' is required to act on a device found by hostname, so nothing was sent to Microsoft Defender for Endpoint",
      });
      expect(calls).toEqual([]);
    });

    it('refuses a device Defender does not know', async () => {
      expect(await failure(service.target(context(), { type: 'hostname', value: HOST }, 'c'.repeat(40)))).toMatchObject({
        code: 'not found',
        message: `Device ${'c'.repeat(40)} is not known to Microsoft Defender for Endpoint, so nothing was sent to Microsoft Defender for Endpoint`,
      });
    });

    it('refuses a device that no longer answers to the observable it was offered for', async () => {
      fleet = [machine(B, { computerDnsName: 'ws-hr-01.contoso.local', lastIpAddress: '10.0.0.9' })];
      expect(await failure(service.target(context(), { type: 'hostname', value: HOST }, B))).toMatchObject({
        code: 'invalid request',
        message: `Device ${B} does not have the hostname ${HOST} it was offered for, so nothing was sent to Microsoft Defender for Endpoint`,
      });
      expect(await failure(service.target(context(), { type: 'ip', value: '10.0.0.7' }, B))).toMatchObject({ code: 'invalid request' });
    });
  });
});
