import { DEMO_MACHINE_IDS, Machine, SEED_FILES, SEED_NETWORK } from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';

// Every trigger acts only on Defender objects bound to its observable, checked against a fresh
// read made just before: otherwise `failure` naming the mismatch, and nothing is sent.

const WIN10 = DEMO_MACHINE_IDS.win10;
const OTHER = DEMO_MACHINE_IDS.server2019;
const FAILURE = { status: 'failure' };
const NOTHING_SENT = 'so nothing was sent to Microsoft Defender for Endpoint';
const SHA1_INDICATOR = { id: '106', value: 'a3f5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1' };

describe('triggers bound to their observable', () => {
  let relay: RelayHarness;
  // The default profile cache (5 minutes): a check that read it would see a stale device.
  beforeAll(async () => (relay = await startRelay({ PROFILE_CACHE_TTL_MS: '300000' })));
  afterAll(() => relay.close());
  beforeEach(() => relay.sandbox.reset());

  const trigger = (body: Record<string, unknown>) => relay.post('/respond/trigger', body);
  const machine = (id: string) => relay.sandbox.state.machines.find((m) => m.id === id) as Machine;

  describe('cancel-machine-action', () => {
    const cancel = (observable: string, actionId: string) =>
      trigger({ 'action-id': 'microsoft-defender-cancel-machine-action', observable_type: 'ms_machine_id', observable_value: observable, machine_action_id: actionId });

    it('another device’s pending action → failure naming both devices, nothing cancelled', async () => {
      relay.sandbox.configure({ machineActionDelayMs: 60_000 });
      const isolate = await trigger({ 'action-id': 'microsoft-defender-FullIsolation', observable_type: 'ms_machine_id', observable_value: OTHER });
      expect(isolate.body).toEqual({ data: { status: 'success' } });
      const [pending] = relay.sandbox.state.machineActions.filter((a) => a.machineId === OTHER && a.status === 'Pending');

      const res = await cancel(WIN10, pending.id);
      expect(res.body).toEqual({
        data: FAILURE,
        errors: [{ type: 'fatal', code: 'invalid request', message: `Machine action ${pending.id} is an action of device ${OTHER}, not of ${WIN10}, ${NOTHING_SENT}` }],
      });
      expect(relay.sandbox.stats.count('machineactions.get')).toBe(1);
      expect(relay.sandbox.stats.count('machineactions.cancel')).toBe(0);
      expect(pending.status).toBe('Pending');

      // Under its own device it is cancelled, after the same read.
      expect((await cancel(OTHER, pending.id)).body).toEqual({ data: { status: 'success' } });
      expect(relay.sandbox.stats.count('machineactions.get')).toBe(2);
      expect(pending.status).toBe('Cancelled');
    });

    it('an action id Defender does not know → failure (not found), nothing sent', async () => {
      const res = await cancel(WIN10, '8af71966-4671-4734-a777-a855875c0ec4');
      expect(res.body).toEqual({
        data: FAILURE,
        errors: [{ type: 'fatal', code: 'not found', message: `Machine action 8af71966-4671-4734-a777-a855875c0ec4 is not known to Microsoft Defender for Endpoint, ${NOTHING_SENT}` }],
      });
      expect(relay.sandbox.stats.count('machineactions.cancel')).toBe(0);
    });
  });

  describe('remove-indicator', () => {
    const remove = (type: string, value: string, id: string) => trigger({ 'action-id': 'microsoft-defender-remove-indicator', observable_type: type, observable_value: value, indicator_id: id });
    const stillThere = (id: string) => relay.sandbox.state.indicators.some((i) => String(i.id) === id);

    it.each([
      ['an unrelated domain', 'domain', SEED_NETWORK.payloadDomain],
      ['another SHA-1', 'sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
      ['the same value as another type', 'domain', 'tracker-cdn.example'],
    ])('a SHA-1 block indicator under %s → failure naming the mismatch, nothing deleted', async (_name, type, value) => {
      const res = await remove(type, value, SHA1_INDICATOR.id);
      expect(res.body).toEqual({
        data: FAILURE,
        errors: [{ type: 'fatal', code: 'invalid request', message: `Indicator ${SHA1_INDICATOR.id} is not an indicator of the ${type} ${value}, ${NOTHING_SENT}` }],
      });
      expect(relay.sandbox.stats.count('indicators.delete')).toBe(0);
      expect(stillThere(SHA1_INDICATOR.id)).toBe(true);
    });

    it('under its own value and type it is deleted, after a fresh read', async () => {
      expect((await remove('sha1', SHA1_INDICATOR.value, SHA1_INDICATOR.id)).body).toEqual({ data: { status: 'success' } });
      expect(relay.sandbox.stats.count('indicators.list')).toBe(1);
      expect(relay.sandbox.stats.entries('indicators.delete').map((e) => e.path)).toEqual([`/api/indicators/${SHA1_INDICATOR.id}`]);
      expect(stillThere(SHA1_INDICATOR.id)).toBe(false);
    });
  });

  describe('fresh facts before acting', () => {
    const scan = (type: string, value: string) =>
      trigger({ 'action-id': 'microsoft-defender-RunAntiVirusScanQuick', observable_type: type, observable_value: value, machine_id: WIN10 });

    it('a device renamed after a first action: the next action on its old host name is refused, nothing sent', async () => {
      const hostname = machine(WIN10).computerDnsName;
      expect((await scan('hostname', hostname)).body).toEqual({ data: { status: 'success' } });
      machine(WIN10).computerDnsName = 'renamed-wks.corp.contosodemo.example';

      const res = await trigger({ 'action-id': 'microsoft-defender-CollectInvestigationPackage', observable_type: 'hostname', observable_value: hostname, machine_id: WIN10 });
      expect(res.body).toEqual({
        data: FAILURE,
        errors: [{ type: 'fatal', code: 'invalid request', message: `Device ${WIN10} does not have the hostname ${hostname} it was offered for, ${NOTHING_SENT}` }],
      });
      expect(relay.sandbox.stats.count('machines.collectInvestigationPackage')).toBe(0);
      expect(relay.sandbox.stats.count('machines.get')).toBe(2);
    });

    it('a device readdressed after a first action: the next action on its old IP is refused, nothing sent', async () => {
      const ip = String(machine(WIN10).lastIpAddress);
      expect((await scan('ip', ip)).body).toEqual({ data: { status: 'success' } });
      Object.assign(machine(WIN10), { lastIpAddress: '10.250.0.9', ipAddresses: [{ ipAddress: '10.250.0.9', macAddress: '0A0B0C0D0E0F', type: 'Ethernet', operationalStatus: 'Up' }] });

      const res = await trigger({ 'action-id': 'microsoft-defender-CollectInvestigationPackage', observable_type: 'ip', observable_value: ip, machine_id: WIN10 });
      expect(res.body.data).toEqual(FAILURE);
      expect(res.body.errors[0].message).toBe(`Device ${WIN10} does not have the ip ${ip} it was offered for, ${NOTHING_SENT}`);
      expect(relay.sandbox.stats.count('machines.collectInvestigationPackage')).toBe(0);
    });

    it('a SHA-256 is resolved to its SHA-1 by a fresh read before quarantine', async () => {
      const trigger256 = () => trigger({ 'action-id': 'microsoft-defender-stop-and-quarantine-file', observable_type: 'sha256', observable_value: SEED_FILES.emotetDropper.sha256 });
      await relay.post('/respond/observables', [{ type: 'sha256', value: SEED_FILES.emotetDropper.sha256 }]);
      const reads = relay.sandbox.stats.count('files.get');
      await trigger256();
      expect(relay.sandbox.stats.count('files.get')).toBe(reads + 1);
    });
  });
});
