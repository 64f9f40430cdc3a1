import { portalPage } from '../refer/refer-link.mapper';
import { ACTION_OUTCOMES, ActivityStats, ALERT_STATUSES, AlertStats, AlertStatus, PostureStats, Severity, SEVERITIES, SeverityCounts } from './tile-stats';
import { TimeWindow } from './tile-periods';

export interface PortalLinks {
  alerts: string;
  devices: string;
  actions: string;
  device(id: string): string;
}

export function portalLinks(portalUrl: string, tenantId: string): PortalLinks {
  const tid = `tid=${encodeURIComponent(tenantId)}`;
  return {
    alerts: `${portalUrl}/alerts?${tid}`,
    devices: `${portalUrl}/machines?${tid}`,
    actions: `${portalUrl}/action-center/history?${tid}`,
    device: (id) => portalPage({ type: 'ms_machine_id', value: id }, portalUrl, tenantId) ?? `${portalUrl}/machines?${tid}`,
  };
}

interface TimeRange {
  start_time: string;
  end_time: string;
}

export interface TileFrame {
  valid_time: TimeRange;
  observed_time: TimeRange;
  cache_scope: 'org';
}

export function tileFrame(window: TimeWindow, readAt: number, ttlMs: number): TileFrame {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    valid_time: { start_time: iso(readAt), end_time: iso(readAt + ttlMs) },
    observed_time: { start_time: iso(window.start), end_time: iso(window.end) },
    cache_scope: 'org',
  };
}

export interface Metric {
  label: string;
  value: number;
  'value-unit': 'integer';
  icon: string;
  link_uri?: string;
}

export interface MetricGroupBody {
  data: Metric[];
}

export interface ChartValue {
  key: string;
  value: number;
  tooltip: string;
  link_uri: string;
}

export interface ChartBar {
  key: number | string;
  label: string;
  value: number;
  values: ChartValue[];
}

export interface ChartBody {
  key_type: 'timestamp' | 'string';
  keys: { key: string; label: string }[];
  data: ChartBar[];
}

export interface DonutBody {
  labels: [string[], string[]];
  label_headers: [string, string];
  data: { key: number; value: number; segments: { key: number; value: number; link_uri: string }[] }[];
}

export type TileBody = MetricGroupBody | ChartBody | DonutBody;

const metric = (label: string, value: number, icon: string, link_uri?: string): Metric => ({ label, value, 'value-unit': 'integer', icon, ...(link_uri ? { link_uri } : {}) });

const SEVERITY_ICON: Record<Severity, string> = { High: 'critical-stop', Medium: 'warning', Low: 'information', Informational: 'information' };
const SEVERITY_KEYS = SEVERITIES.map((s) => ({ key: s.toLowerCase(), label: s }));
const STATUS_LABEL: Record<AlertStatus, string> = { New: 'New', InProgress: 'In progress', Resolved: 'Resolved', Unknown: 'Unknown' };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

// Zeros included, so every bar has the same keys.
function severityValues(counts: SeverityCounts, link: string, where: string): ChartValue[] {
  return SEVERITIES.map((s) => ({ key: s.toLowerCase(), value: counts[s], tooltip: `${plural(counts[s], `${s} alert`)}${where}`, link_uri: link }));
}

const sum = (counts: SeverityCounts) => SEVERITIES.reduce((total, s) => total + counts[s], 0);

export function alertsSummary(stats: AlertStats, links: PortalLinks): MetricGroupBody {
  return {
    data: [
      ...SEVERITIES.map((s) => metric(s, stats.severity[s], SEVERITY_ICON[s], links.alerts)),
      metric('New', stats.status.New, 'bulleted-list', links.alerts),
      metric('In progress', stats.status.InProgress, 'view-metadata', links.alerts),
    ],
  };
}

function bucketLabel(start: number, unit: AlertStats['unit']): string {
  const iso = new Date(start).toISOString();
  return unit === 'hour' ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
}

export function alertsOverTime(stats: AlertStats, links: PortalLinks): ChartBody {
  return {
    key_type: 'timestamp',
    keys: SEVERITY_KEYS,
    data: stats.buckets.map((bucket) => {
      const label = bucketLabel(bucket.start, stats.unit);
      return { key: bucket.start, label, value: sum(bucket.severity), values: severityValues(bucket.severity, links.alerts, ` (${label} UTC)`) };
    }),
  };
}

export function topAlertedDevices(stats: AlertStats, links: PortalLinks): ChartBody {
  return {
    key_type: 'string',
    keys: SEVERITY_KEYS,
    data: stats.devices.map((device) => ({
      key: device.id,
      label: device.name,
      value: device.total,
      values: severityValues(device.severity, links.device(device.id), ` on ${device.name}`),
    })),
  };
}

const SOURCE_LABEL: Record<string, string> = {
  WindowsDefenderAtp: 'EDR',
  WindowsDefenderAv: 'Antivirus',
  WindowsDefenderSmartScreen: 'SmartScreen',
  CustomerTI: 'Custom TI',
  CustomDetection: 'Custom detection',
  AutomatedInvestigation: 'Automated investigation',
  ThreatExperts: 'Microsoft Defender Experts',
  MTP: 'Microsoft Defender XDR',
  OfficeATP: 'Microsoft Defender for Office 365',
  AzureATP: 'Microsoft Defender for Identity',
  MCAS: 'Microsoft Defender for Cloud Apps',
  Manual: 'Manual',
};

export function sourceLabel(source: string): string {
  return SOURCE_LABEL[source] ?? source;
}

export function alertsByDetectionSource(stats: AlertStats, links: PortalLinks): DonutBody {
  return {
    labels: [stats.sources.map((s) => sourceLabel(s.source)), ALERT_STATUSES.map((s) => STATUS_LABEL[s])],
    label_headers: ['Detection source', 'Status'],
    data: stats.sources.map((source, key) => ({
      key,
      value: source.total,
      segments: ALERT_STATUSES.map((status, i) => ({ key: i, value: source.status[status], link_uri: links.alerts })).filter((segment) => segment.value > 0),
    })),
  };
}

export function devicePosture(stats: PostureStats, links: PortalLinks): MetricGroupBody {
  return {
    data: [
      metric('Active', stats.health.Active, 'device-type', links.devices),
      metric('Inactive', stats.health.Inactive, 'device-type', links.devices),
      metric('Impaired communication', stats.health.ImpairedCommunication, 'warning', links.devices),
      metric('No sensor data', stats.health.NoSensorData, 'warning', links.devices),
      metric('High risk', stats.highRisk, 'critical-stop', links.devices),
      metric('High exposure', stats.highExposure, 'critical-stop', links.devices),
      metric('Isolated', stats.isolated, 'block', links.devices),
    ],
  };
}

const OUTCOME_ICON = { Pending: 'bulleted-list', Succeeded: 'information', Failed: 'critical-stop', Cancelled: 'block' } as const;

// Indicators have no portal page, so their count has no link.
export function responseActivity(stats: ActivityStats, links: PortalLinks): MetricGroupBody {
  return {
    data: [...ACTION_OUTCOMES.map((o) => metric(o, stats.actions[o], OUTCOME_ICON[o], links.actions)), metric('Indicators added', stats.indicatorsAdded, 'label-group')],
  };
}
