import { DEMO_MACHINE_IDS, REAL_PAYLOADS, SEED_FILES } from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';
import { withoutPrevalence } from './support/prevalence';

// Shapes of real Defender payloads, served by the sandbox, read as Defender means them: a
// "null" category, an alert spanning weeks, link-local adapters, a Pua determination, an expired
// indicator, a tag the device spells differently, and a device id the trigger would refuse.

const PUA = REAL_PAYLOADS.puaFile;
const LINUX = DEMO_MACHINE_IDS.linux;
const WIN10 = DEMO_MACHINE_IDS.win10;

interface Action {
  id: string;
  title: string;
  description: string;
  'query-params': Record<string, string>;
}
interface Obs {
  type: string;
  value: string;
}
interface Sighting {
  external_ids?: string[];
  observed_time: { start_time: string; end_time: string };
  data?: { columns: Array<{ name: string }>; rows: unknown[][] };
  targets?: Array<{ observables: Obs[]; observed_time: unknown }>;
}

describe('real Defender payload shapes', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay({ DEVICE_TAGS: 'test Tag 2' })));
  afterAll(() => relay.close());
  beforeEach(() => relay.sandbox.reset());

  const respond = async (type: string, value: string): Promise<Action[]> => {
    const res = await relay.post('/respond/observables', [{ type, value }]);
    expect(res.body.errors).toBeUndefined();
    return res.body.data;
  };
  const run = (action: Action) => relay.post('/respond/trigger', { 'action-id': action.id, ...action['query-params'] });
  const observe = async (type: string, value: string): Promise<Sighting[]> => {
    const res = await relay.post('/observe/observables', [{ type, value }]);
    expect(res.body.errors).toBeUndefined();
    return withoutPrevalence(res.body.data.sightings.docs as Sighting[]);
  };
  const verdicts = async (type: string, value: string) =>
    ((await relay.post('/deliberate/observables', [{ type, value }])).body.data.verdicts?.docs ?? []).map((v: { disposition_name: string }) => v.disposition_name);

  describe('sightings', () => {
    it('an alert with "category": "null" spanning 2019-06-25 → 2019-08-10 on a device no longer in the inventory', async () => {
      const alert = relay.sandbox.state.primary.alerts.find((a) => a.id === REAL_PAYLOADS.nullCategoryAlertId);
      expect(alert).toMatchObject({ category: 'null', firstEventTime: '2019-06-25T08:31:12.6033333Z', lastEventTime: '2019-08-10T14:18:02.1Z' });
      const sightings = await observe('sha1', PUA.sha1);
      expect(sightings.map((s) => s.external_ids)).toEqual([[REAL_PAYLOADS.nullCategoryAlertId]]);
      const [s] = sightings;
      expect(s.observed_time).toEqual({ start_time: '2019-06-25T08:31:12.6033333Z', end_time: '2019-08-10T14:18:02.1Z' });
      expect(s.data?.columns.map((c) => c.name)).toEqual(['DetectionSource', 'Status', 'ThreatName', 'InvestigationState', 'IncidentId']);
      expect(JSON.stringify(s)).not.toMatch(/"null"/i);
      expect(s.targets).toEqual([
        {
          type: 'endpoint',
          observables: [
            { type: 'hostname', value: REAL_PAYLOADS.offboardedDnsName },
            { type: 'ms_machine_id', value: REAL_PAYLOADS.offboardedMachineId },
          ],
          observed_time: s.observed_time,
        },
      ]);
    });

    it('a device with link-local adapters (fe80::/10, 169.254.0.0/16) is targeted by its other addresses only', async () => {
      const adapters = relay.sandbox.state.machines.find((m) => m.id === WIN10)?.ipAddresses?.map((a) => a.ipAddress);
      expect(adapters).toEqual(expect.arrayContaining(['fe80::8d4c:2b1e:4f6a:91c3', '169.254.12.7']));
      const onWin10 = (await observe('sha1', SEED_FILES.emotetDropper.sha1)).flatMap((s) => s.targets ?? []).filter((t) => t.observables.some((o) => o.value === WIN10));
      expect(onWin10.length).toBeGreaterThan(0);
      for (const target of onWin10) {
        expect(target.observables.filter((o) => o.type === 'ip' || o.type === 'ipv6')).toEqual([{ type: 'ip', value: '10.20.14.37' }]);
      }
    });
  });

  describe('an indicator that expired 2020-12-12 on a Pua file', () => {
    it('is absent for respond as for deliberate: add offered, its removal only as labelled housekeeping', async () => {
      expect(await verdicts('sha1', PUA.sha1)).toEqual(['Suspicious']);
      const indicatorActions = (await respond('sha1', PUA.sha1)).filter((a) => a.id.includes('indicator'));
      expect(indicatorActions.map((a) => [a.id, a.title])).toEqual([
        ['microsoft-defender-add-indicator-alert', `Add indicator for sha1 ${PUA.sha1}: Alert`],
        ['microsoft-defender-add-indicator-alert-and-block', `Add indicator for sha1 ${PUA.sha1}: Alert and Block`],
        ['microsoft-defender-add-indicator-allowed', `Add indicator for sha1 ${PUA.sha1}: Allowed`],
        ['microsoft-defender-remove-indicator', 'Remove expired indicator: Alert and Block - test'],
      ]);
      expect(indicatorActions[3].description).toBe(`Remove the indicator with Alert and Block action for ${PUA.sha1}: it expired 2020-12-12T00:00:00Z and no longer applies`);
      expect(indicatorActions[3]['query-params'].indicator_id).toBe(REAL_PAYLOADS.expiredIndicatorId);
    });

    it('adding Alert and Block blocks the file at once: Malicious, and the live indicator is the one offered for removal', async () => {
      const add = (await respond('sha1', PUA.sha1)).find((a) => a.id === 'microsoft-defender-add-indicator-alert-and-block')!;
      expect((await run(add)).body).toEqual({ data: { status: 'success' } });
      expect(await verdicts('sha1', PUA.sha1)).toEqual(['Malicious']);
      const offered = (await respond('sha1', PUA.sha1)).filter((a) => a.id.includes('indicator'));
      expect(offered.map((a) => [a.title, a['query-params'].indicator_id])).toEqual([['Remove indicator: Block and Remediate - From SecureX Threat Response', REAL_PAYLOADS.expiredIndicatorId]]);
    });

    it('the housekeeping removal deletes the dead indicator; then only the adds are offered', async () => {
      const remove = (await respond('sha1', PUA.sha1)).find((a) => a.id === 'microsoft-defender-remove-indicator')!;
      expect((await run(remove)).body).toEqual({ data: { status: 'success' } });
      expect(relay.sandbox.stats.entries('indicators.delete').map((e) => e.path)).toEqual([`/api/indicators/${REAL_PAYLOADS.expiredIndicatorId}`]);
      expect((await respond('sha1', PUA.sha1)).filter((a) => a.id.includes('indicator')).map((a) => a.id)).toEqual([
        'microsoft-defender-add-indicator-alert',
        'microsoft-defender-add-indicator-alert-and-block',
        'microsoft-defender-add-indicator-allowed',
      ]);
    });
  });

  describe('DEVICE_TAGS=test Tag 2 and a device tagged "test tag 2"', () => {
    const tagActions = async () => (await respond('ms_machine_id', LINUX)).filter((a) => a.id.endsWith('-tag'));
    const posted = () => relay.sandbox.stats.entries('machines.tags').map((e) => e.body);

    it('removal is sent in the device’s own spelling, and the tag is gone', async () => {
      expect(relay.sandbox.state.machines.find((m) => m.id === LINUX)?.machineTags).toEqual(['CI', REAL_PAYLOADS.deviceSpelledTag]);
      const [remove] = await tagActions();
      expect([remove.id, remove.title, remove['query-params'].tag]).toEqual(['microsoft-defender-remove-tag', 'Remove tag test Tag 2', 'test Tag 2']);
      expect((await run(remove)).body).toEqual({ data: { status: 'success' } });
      expect(posted()).toEqual([{ Value: 'test tag 2', Action: 'Remove' }]);
      expect(relay.sandbox.state.machines.find((m) => m.id === LINUX)?.machineTags).toEqual(['CI']);
      const [add] = await tagActions();
      expect(add.title).toBe('Add tag test Tag 2');
      expect((await run(add)).body).toEqual({ data: { status: 'success' } });
      expect(posted()[1]).toEqual({ Value: 'test Tag 2', Action: 'Add' });
    });

    it('a machine Defender returns unchanged is a failure naming the tag still there', async () => {
      const machine = relay.sandbox.state.machines.find((m) => m.id === LINUX)!;
      relay.sandbox.faults.add({ route: 'machines.tags', status: 200, body: { ...machine, machineTags: ['CI', 'test tag 2'] } });
      const [remove] = await tagActions();
      expect((await run(remove)).body).toEqual({
        data: { status: 'failure' },
        errors: [
          {
            type: 'fatal',
            code: 'invalid request',
            message: `Microsoft Defender for Endpoint accepted the change, but device ${LINUX} still has the tag 'test tag 2' (its tags: CI, test tag 2)`,
          },
        ],
      });
    });

    it('a removal the device no longer needs, or an add it already has in another spelling, is refused before anything is sent', async () => {
      const trigger = (id: string) => relay.post('/respond/trigger', { 'action-id': id, observable_type: 'ms_machine_id', observable_value: LINUX, tag: 'test Tag 2' });
      expect((await trigger('microsoft-defender-add-tag')).body.errors).toEqual([
        { type: 'fatal', code: 'invalid request', message: `Device ${LINUX} already has the tag 'test tag 2', so nothing was sent to Microsoft Defender for Endpoint` },
      ]);
      relay.sandbox.state.machines.find((m) => m.id === LINUX)!.machineTags = ['CI'];
      expect((await trigger('microsoft-defender-remove-tag')).body.errors).toEqual([
        { type: 'fatal', code: 'invalid request', message: `Device ${LINUX} does not have the tag 'test Tag 2', so nothing was sent to Microsoft Defender for Endpoint` },
      ]);
      expect(relay.sandbox.stats.count('machines.tags')).toBe(0);
    });
  });

  it('offers device actions only for ids the trigger accepts: a device whose id is not a machine id gets none', async () => {
    const template = relay.sandbox.state.machines.find((m) => m.id === LINUX)!;
    relay.sandbox.state.machines.push({ ...template, id: 'odd-device-0001', computerDnsName: 'odd-id.corp.contosodemo.example' });
    const res = await relay.post('/respond/observables', [{ type: 'hostname', value: 'odd-id.corp.contosodemo.example' }]);
    expect(res.body).toEqual({ data: [] });
    const refused = await relay.post('/respond/trigger', {
      'action-id': 'microsoft-defender-RunAntiVirusScanQuick',
      observable_type: 'hostname',
      observable_value: 'odd-id.corp.contosodemo.example',
      machine_id: 'odd-device-0001',
    });
    expect(refused.body.errors?.[0].message).toBe("Invalid JSON payload received: 'machine_id' must be the Defender machine id listed by /respond/observables (40 hexadecimal characters)");
    expect((await respond('hostname', 'lnx-build-03.corp.contosodemo.example')).map((a) => a['query-params'].machine_id)).toContain(LINUX);
  });
});
