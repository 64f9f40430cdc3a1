import type { Alert, Indicator, Machine, MachineAction } from '@app/defender';
import { bucketStart, bucketStarts, BucketUnit, inWindow, periodWindow, TILE_PERIODS, TilePeriod, TimeWindow } from './tile-periods';

export const SEVERITIES = ['High', 'Medium', 'Low', 'Informational'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type SeverityCounts = Record<Severity, number>;

export const ALERT_STATUSES = ['New', 'InProgress', 'Resolved', 'Unknown'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export type StatusCounts = Record<AlertStatus, number>;

export const TOP_DEVICES = 10;

// `UnSpecified` (and any severity Defender adds later) counts as Informational, the lowest shown.
export function severityOf(alert: Pick<Alert, 'severity'>): Severity {
  return (SEVERITIES as readonly string[]).includes(String(alert.severity)) ? (alert.severity as Severity) : 'Informational';
}

export function statusOf(alert: Pick<Alert, 'status'>): AlertStatus {
  return (ALERT_STATUSES as readonly string[]).includes(String(alert.status)) ? (alert.status as AlertStatus) : 'Unknown';
}

const zeros = <K extends string>(keys: readonly K[]): Record<K, number> => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

export interface DeviceCount {
  id: string;
  name: string;
  total: number;
  severity: SeverityCounts;
}

export interface SourceCount {
  source: string;
  total: number;
  status: StatusCounts;
}

export interface AlertStats {
  window: TimeWindow;
  unit: BucketUnit;
  total: number;
  severity: SeverityCounts;
  status: StatusCounts;
  buckets: { start: number; severity: SeverityCounts }[];
  devices: DeviceCount[];
  sources: SourceCount[];
}

// Counts page by page so a long read never holds all its alerts; pages shifting while read can repeat an alert.
export class AlertTally {
  private readonly seen = new Set<string>();
  private readonly severity = zeros(SEVERITIES);
  private readonly status = zeros(ALERT_STATUSES);
  private readonly buckets = new Map<number, SeverityCounts>();
  private readonly devices = new Map<string, DeviceCount>();
  private readonly sources = new Map<string, SourceCount>();

  constructor(
    readonly window: TimeWindow,
    readonly unit: BucketUnit,
  ) {
    for (const start of bucketStarts(window, unit)) this.buckets.set(start, zeros(SEVERITIES));
  }

  add(alerts: readonly Alert[]): void {
    for (const alert of alerts) {
      const created = Date.parse(alert.alertCreationTime ?? '');
      if (!inWindow(created, this.window) || this.seen.has(alert.id)) continue;
      this.seen.add(alert.id);
      const severity = severityOf(alert);
      const status = statusOf(alert);
      this.severity[severity]++;
      this.status[status]++;
      const bucket = this.buckets.get(bucketStart(created, this.unit));
      if (bucket) bucket[severity]++;
      this.countDevice(alert, severity);
      const source = alert.detectionSource || 'Unknown';
      const bySource = this.sources.get(source) ?? { source, total: 0, status: zeros(ALERT_STATUSES) };
      bySource.total++;
      bySource.status[status]++;
      this.sources.set(source, bySource);
    }
  }

  private countDevice(alert: Alert, severity: Severity): void {
    if (!alert.machineId) return;
    const id = alert.machineId.toLowerCase();
    const device = this.devices.get(id) ?? { id, name: '', total: 0, severity: zeros(SEVERITIES) };
    if (!device.name && alert.computerDnsName) device.name = alert.computerDnsName;
    device.total++;
    device.severity[severity]++;
    this.devices.set(id, device);
  }

  stats(): AlertStats {
    const byCount = <T extends { total: number }>(name: (x: T) => string) => (a: T, b: T) => b.total - a.total || name(a).localeCompare(name(b));
    return {
      window: this.window,
      unit: this.unit,
      total: this.seen.size,
      severity: { ...this.severity },
      status: { ...this.status },
      buckets: [...this.buckets].map(([start, severity]) => ({ start, severity: { ...severity } })),
      devices: [...this.devices.values()]
        .map((d) => ({ ...d, name: d.name || d.id }))
        .sort(byCount((d) => d.name))
        .slice(0, TOP_DEVICES),
      sources: [...this.sources.values()].sort(byCount((s) => s.source)),
    };
  }
}

export const HEALTH_STATES = ['Active', 'Inactive', 'ImpairedCommunication', 'NoSensorData'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

export interface PostureStats {
  onboarded: number;
  health: Record<HealthState, number>;
  highRisk: number;
  highExposure: number;
  isolated: number;
}

function healthOf(machine: Machine): HealthState | undefined {
  if (machine.healthStatus === 'NoSensorDataImpairedCommunication') return 'NoSensorData';
  return (HEALTH_STATES as readonly string[]).includes(String(machine.healthStatus)) ? (machine.healthStatus as HealthState) : undefined;
}

export class PostureTally {
  private readonly machines = new Map<string, Machine>();
  private readonly latestIsolation = new Map<string, { at: number; type: string }>();

  addMachines(machines: readonly Machine[]): void {
    for (const machine of machines) if (machine.id) this.machines.set(machine.id.toLowerCase(), machine);
  }

  addIsolationActions(actions: readonly MachineAction[]): void {
    for (const action of actions) {
      if (action.status !== 'Succeeded' || (action.type !== 'Isolate' && action.type !== 'Unisolate') || !action.machineId) continue;
      const id = action.machineId.toLowerCase();
      const at = Date.parse(action.creationDateTimeUtc ?? '');
      const latest = this.latestIsolation.get(id);
      if (!Number.isNaN(at) && (!latest || at > latest.at)) this.latestIsolation.set(id, { at, type: action.type });
    }
  }

  stats(): PostureStats {
    // A device without onboardingStatus (older API versions) is taken as onboarded.
    const onboarded = [...this.machines.values()].filter((m) => (m.onboardingStatus ?? 'Onboarded') === 'Onboarded');
    const health = zeros(HEALTH_STATES);
    for (const machine of onboarded) {
      const state = healthOf(machine);
      if (state) health[state]++;
    }
    return {
      onboarded: onboarded.length,
      health,
      highRisk: onboarded.filter((m) => m.riskScore === 'High').length,
      highExposure: onboarded.filter((m) => m.exposureLevel === 'High').length,
      isolated: onboarded.filter((m) => this.latestIsolation.get(String(m.id).toLowerCase())?.type === 'Isolate').length,
    };
  }
}

export const ACTION_OUTCOMES = ['Pending', 'Succeeded', 'Failed', 'Cancelled'] as const;
export type ActionOutcome = (typeof ACTION_OUTCOMES)[number];

const OUTCOME_OF: Record<string, ActionOutcome> = {
  Pending: 'Pending',
  InProgress: 'Pending',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  TimeOut: 'Failed',
  Cancelled: 'Cancelled',
};

export interface ActivityStats {
  actions: Record<ActionOutcome, number>;
  indicatorsAdded: number;
}

export class ActivityTally {
  private readonly windows: Record<TilePeriod, TimeWindow>;
  private readonly counts: Record<TilePeriod, ActivityStats>;
  private readonly seenActions = new Set<string>();
  private readonly seenIndicators = new Set<string>();

  constructor(now: number) {
    this.windows = Object.fromEntries(TILE_PERIODS.map((p) => [p, periodWindow(p, now)])) as Record<TilePeriod, TimeWindow>;
    this.counts = Object.fromEntries(TILE_PERIODS.map((p) => [p, { actions: zeros(ACTION_OUTCOMES), indicatorsAdded: 0 }])) as Record<TilePeriod, ActivityStats>;
  }

  addActions(actions: readonly MachineAction[]): void {
    for (const action of actions) {
      const outcome = OUTCOME_OF[String(action.status)];
      if (!outcome || this.seenActions.has(action.id)) continue;
      this.seenActions.add(action.id);
      this.count(action.creationDateTimeUtc, (stats) => stats.actions[outcome]++);
    }
  }

  addIndicators(indicators: readonly Indicator[]): void {
    for (const indicator of indicators) {
      if (this.seenIndicators.has(indicator.id)) continue;
      this.seenIndicators.add(indicator.id);
      this.count(indicator.creationTimeDateTimeUtc, (stats) => stats.indicatorsAdded++);
    }
  }

  private count(time: string | null | undefined, add: (stats: ActivityStats) => void): void {
    const at = Date.parse(time ?? '');
    for (const period of TILE_PERIODS) if (inWindow(at, this.windows[period])) add(this.counts[period]);
  }

  stats(): Record<TilePeriod, ActivityStats> {
    return structuredClone(this.counts);
  }
}
