import type { Alert, Indicator, Machine, MachineAction } from '@app/defender';
import { periodWindow } from './tile-periods';
import { ActivityTally, AlertTally, PostureTally, severityOf, TOP_DEVICES } from './tile-stats';

const NOW = Date.parse('2026-11-25T12:30:00.000Z');
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString().replace('.000Z', '.1234567Z');

let seq = 0;
const alert = (over: Partial<Alert> = {}): Alert => ({
  id: `a${++seq}`,
  severity: 'High',
  status: 'New',
  detectionSource: 'WindowsDefenderAtp',
  alertCreationTime: minutesAgo(10),
  machineId: 'aa'.repeat(20),
  computerDnsName: 'pc-1',
  ...over,
});

describe('AlertTally', () => {
  const tally = () => new AlertTally(periodWindow('last_24_hours', NOW), 'hour');

  it('counts alerts of the window once each, however the pages overlap', () => {
    const t = tally();
    const a = alert();
    t.add([a, alert({ alertCreationTime: minutesAgo(24 * 60 + 1) }), alert({ alertCreationTime: new Date(NOW + 1).toISOString() }), alert({ alertCreationTime: 'yesterday' })]);
    t.add([a]);
    const stats = t.stats();
    expect(stats.total).toBe(1);
    expect(stats.severity).toEqual({ High: 1, Medium: 0, Low: 0, Informational: 0 });
  });

  it('reads UnSpecified and unknown severities as Informational, unknown statuses as Unknown', () => {
    expect(['UnSpecified', null, 'Critical', 'Low'].map((severity) => severityOf({ severity }))).toEqual(['Informational', 'Informational', 'Informational', 'Low']);
    const t = tally();
    t.add([alert({ status: 'InProgress' }), alert({ status: null }), alert({ status: 'Resolved' })]);
    expect(t.stats().status).toEqual({ New: 0, InProgress: 1, Resolved: 1, Unknown: 1 });
  });

  it('puts each alert in the UTC hour it was created, every hour of the window listed', () => {
    const t = tally();
    t.add([alert({ alertCreationTime: '2026-11-25T11:59:59.9999999Z', severity: 'Low' }), alert({ alertCreationTime: '2026-11-25T12:00:00.0000001Z' })]);
    const { buckets } = t.stats();
    expect(buckets).toHaveLength(25);
    expect(buckets.slice(-2)).toEqual([
      { start: Date.parse('2026-11-25T11:00:00Z'), severity: { High: 0, Medium: 0, Low: 1, Informational: 0 } },
      { start: Date.parse('2026-11-25T12:00:00Z'), severity: { High: 1, Medium: 0, Low: 0, Informational: 0 } },
    ]);
  });

  it('keeps the ten devices with most alerts (ties by name), named by DNS name or else id', () => {
    const t = tally();
    const device = (n: number) => `${String(n).padStart(2, '0')}`.repeat(20);
    for (let n = 0; n < 12; n++) t.add(Array.from({ length: n + 1 }, () => alert({ machineId: device(n), computerDnsName: n === 11 ? null : `pc-${n}` })));
    t.add([alert({ machineId: device(10).toUpperCase(), computerDnsName: 'pc-10' }), alert({ machineId: null })]);
    const { devices } = t.stats();
    expect(devices).toHaveLength(TOP_DEVICES);
    expect(devices.map((d) => [d.name, d.total])).toEqual([
      [device(11), 12],
      ['pc-10', 12],
      ['pc-9', 10],
      ['pc-8', 9],
      ['pc-7', 8],
      ['pc-6', 7],
      ['pc-5', 6],
      ['pc-4', 5],
      ['pc-3', 4],
      ['pc-2', 3],
    ]);
  });

  it('groups by detection source with the statuses inside, most alerts first', () => {
    const t = tally();
    t.add([alert({ detectionSource: 'CustomerTI' }), alert({ detectionSource: 'WindowsDefenderAv', status: 'Resolved' }), alert({ detectionSource: 'WindowsDefenderAv' }), alert({ detectionSource: null })]);
    expect(t.stats().sources.map((s) => [s.source, s.total, s.status.New, s.status.Resolved])).toEqual([
      ['WindowsDefenderAv', 2, 1, 1],
      ['CustomerTI', 1, 1, 0],
      ['Unknown', 1, 1, 0],
    ]);
  });
});

describe('PostureTally', () => {
  const machine = (id: string, over: Partial<Machine> = {}): Machine => ({ id, healthStatus: 'Active', riskScore: 'Low', exposureLevel: 'Low', onboardingStatus: 'Onboarded', ...over });
  const action = (machineId: string, type: string, at: string, status = 'Succeeded'): MachineAction => ({ id: `${machineId}-${type}-${at}`, machineId, type, status, creationDateTimeUtc: at });

  it('counts onboarded devices by health, risk and exposure', () => {
    const t = new PostureTally();
    t.addMachines([
      machine('a'),
      machine('b', { healthStatus: 'NoSensorDataImpairedCommunication', riskScore: 'High' }),
      machine('c', { healthStatus: 'Inactive', exposureLevel: 'High' }),
      machine('d', { healthStatus: 'Unknown' }),
      machine('e', { onboardingStatus: 'CanBeOnboarded', riskScore: 'High' }),
      machine('A'),
    ]);
    expect(t.stats()).toEqual({ onboarded: 4, health: { Active: 1, Inactive: 1, ImpairedCommunication: 0, NoSensorData: 1 }, highRisk: 1, highExposure: 1, isolated: 0 });
  });

  it('calls a device isolated when its latest succeeded isolation or release isolated it, in any page order', () => {
    const t = new PostureTally();
    t.addMachines(['a', 'b', 'C', 'd'].map((id) => machine(id)));
    t.addIsolationActions([action('a', 'Isolate', '2026-11-20T00:00:00Z'), action('b', 'Isolate', '2026-11-24T00:00:00Z')]);
    t.addIsolationActions([action('a', 'Unisolate', '2026-11-21T00:00:00Z'), action('b', 'Unisolate', '2026-11-23T00:00:00Z'), action('c', 'Isolate', '2025-01-01T00:00:00Z')]);
    t.addIsolationActions([action('a', 'Isolate', '2026-11-25T00:00:00Z', 'Failed'), action('d', 'RunAntiVirusScan', '2026-11-25T00:00:00Z')]);
    expect(t.stats().isolated).toBe(2);
  });

  it('counts only isolated devices of the current inventory: not one isolated in 2019 and since offboarded, nor one not onboarded', () => {
    const t = new PostureTally();
    t.addMachines([machine('a'), machine('e', { onboardingStatus: 'CanBeOnboarded' })]);
    t.addIsolationActions([
      action('a', 'Isolate', '2026-11-20T00:00:00Z'),
      action('gone', 'Isolate', '2019-08-12T09:14:03.4412336Z'),
      action('e', 'Isolate', '2026-11-20T00:00:00Z'),
    ]);
    expect(t.stats()).toMatchObject({ onboarded: 1, isolated: 1 });
  });
});

describe('ActivityTally', () => {
  it('counts actions by outcome and indicators added in each period, once each', () => {
    const t = new ActivityTally(NOW);
    const action = (id: string, status: string, m: number): MachineAction => ({ id, type: 'RunAntiVirusScan', status, creationDateTimeUtc: minutesAgo(m) });
    const indicator = (id: string, m: number): Indicator => ({ id, indicatorValue: 'x', indicatorType: 'DomainName', action: 'Block', creationTimeDateTimeUtc: minutesAgo(m) });
    const actions = [action('1', 'InProgress', 5), action('2', 'TimeOut', 90), action('3', 'Cancelled', 3 * 1440), action('4', 'Succeeded', 40 * 1440), action('5', 'Mystery', 5)];
    t.addActions(actions);
    t.addActions(actions.slice(0, 1));
    t.addIndicators([indicator('9', 30), indicator('9', 30), indicator('10', 20 * 1440)]);
    const stats = t.stats();
    expect(stats.last_hour).toEqual({ actions: { Pending: 1, Succeeded: 0, Failed: 0, Cancelled: 0 }, indicatorsAdded: 1 });
    expect(stats.last_24_hours.actions).toEqual({ Pending: 1, Succeeded: 0, Failed: 1, Cancelled: 0 });
    expect(stats.last_7_days.actions.Cancelled).toBe(1);
    expect(stats.last_30_days).toEqual({ actions: { Pending: 1, Succeeded: 0, Failed: 1, Cancelled: 1 }, indicatorsAdded: 2 });
  });
});
