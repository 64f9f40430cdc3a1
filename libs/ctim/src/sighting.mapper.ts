import type { Alert, AlertEvidence, AnyHuntingColumns, HuntingEvent, PrevalenceStats } from '@app/defender/models';
import { Injectable } from '@nestjs/common';
import { CTIM_LIMITS, CTIM_SCHEMA_VERSION, SOURCE } from './ctim.constants';
import {
  CtimObservable,
  MappingStamp,
  ObservedTime,
  Sighting,
  SightingDataColumn,
  SightingDataTable,
  SightingDataValue,
} from './ctim.types';
import { text, truncate } from './observable.helpers';
import { RelationContext, relationsFromAlert, relationsFromEvent } from './relation.mapper';
import { ctimSeverity } from './severity.mapper';
import { StampProvider } from './stamp.provider';
import { TargetContext, endpointTarget } from './target.mapper';

export interface SightingContext extends RelationContext, TargetContext {
  observable: CtimObservable;
  count: number;
  /** No trailing slash. */
  portalUrl: string;
  tenantId: string;
}

const BLOCKED_STATUSES = new Set(['blocked', 'prevented']);

function timeOf(value: unknown): number | undefined {
  const iso = text(value);
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

function firstTime(starts: readonly unknown[]): string | undefined {
  return starts.map(text).find((value) => value !== undefined && timeOf(value) !== undefined);
}

function observedAt(times: readonly unknown[], now: Date): ObservedTime {
  const at = firstTime(times) ?? now.toISOString();
  return { start_time: at, end_time: at };
}

function alertObserved(alert: Alert, now: Date): ObservedTime {
  const { start_time } = observedAt(alertStarts(alert), now);
  const last = text(alert.lastEventTime);
  const lastMs = timeOf(last);
  return { start_time, end_time: last !== undefined && lastMs !== undefined && lastMs > Date.parse(start_time) ? last : start_time };
}

function alertStarts(alert: Alert): unknown[] {
  return [alert.firstEventTime, alert.alertCreationTime, alert.lastUpdateTime];
}

function newestFirst(a: number | undefined, b: number | undefined): number {
  return (b ?? Number.NEGATIVE_INFINITY) - (a ?? Number.NEGATIVE_INFINITY) || 0;
}

/** Alerts newest first by the time their sightings show. */
export function byNewestAlert(a: Alert, b: Alert): number {
  return newestFirst(timeOf(firstTime(alertStarts(a))), timeOf(firstTime(alertStarts(b))));
}

/** Hunting rows newest first by the time their sightings show. */
export function byNewestEvent(a: HuntingEvent, b: HuntingEvent): number {
  return newestFirst(timeOf(a.Timestamp), timeOf(b.Timestamp));
}

function baseSighting(ctx: SightingContext, observed: ObservedTime, stamp: MappingStamp): Sighting {
  return {
    type: 'sighting',
    id: stamp.newId('sighting'),
    schema_version: CTIM_SCHEMA_VERSION,
    source: SOURCE,
    sensor: 'endpoint',
    confidence: 'High',
    internal: true,
    count: ctx.count,
    observables: [{ type: ctx.observable.type, value: ctx.observable.value }],
    observed_time: observed,
  };
}

interface ColumnSpec<T> {
  name: string;
  type: 'string' | 'integer';
  value: (row: T) => unknown;
}

function dataTable<T>(
  row: T,
  specs: readonly ColumnSpec<T>[],
  always: readonly string[] = [],
): SightingDataTable | undefined {
  const columns: SightingDataColumn[] = [];
  const values: SightingDataValue[] = [];
  for (const spec of specs) {
    const raw = spec.value(row);
    let value: SightingDataValue | undefined;
    if (spec.type === 'integer') {
      value = typeof raw === 'number' && Number.isFinite(raw) ? Math.trunc(raw) : undefined;
    } else {
      value = text(raw);
    }
    if (value === undefined && always.includes(spec.name)) value = 'Unknown';
    if (value === undefined) continue;
    columns.push({ name: spec.name, type: spec.type });
    values.push(value);
  }
  return columns.length === 0 ? undefined : { columns, rows: [values], row_count: 1 };
}

function relatedUser(alert: Alert): string | undefined {
  const user = text(alert.relatedUser?.userName);
  if (user === undefined) return undefined;
  const domain = text(alert.relatedUser?.domainName);
  return domain === undefined ? user : `${domain}\\${user}`;
}

const ALERT_COLUMNS: readonly ColumnSpec<Alert>[] = [
  { name: 'Category', type: 'string', value: (a) => a.category },
  { name: 'DetectionSource', type: 'string', value: (a) => a.detectionSource },
  { name: 'Status', type: 'string', value: (a) => a.status },
  { name: 'ThreatName', type: 'string', value: (a) => a.threatName ?? a.threatFamilyName },
  {
    name: 'MitreTechniques',
    type: 'string',
    value: (a) => (a.mitreTechniques ?? []).filter((t) => text(t)).join(', '),
  },
  { name: 'Classification', type: 'string', value: (a) => a.classification },
  { name: 'Determination', type: 'string', value: (a) => a.determination },
  { name: 'AssignedTo', type: 'string', value: (a) => a.assignedTo },
  { name: 'InvestigationState', type: 'string', value: (a) => a.investigationState },
  { name: 'IncidentId', type: 'integer', value: (a) => a.incidentId },
  { name: 'RelatedUser', type: 'string', value: relatedUser },
];

const RESOLVED_AS: Readonly<Record<string, string>> = {
  truepositive: 'resolved: true positive',
  falsepositive: 'resolved: false positive',
  informationalexpectedactivity: 'resolved: informational, expected activity',
};

// Resolved alerts say so, with the classification, so a refreshed investigation shows what was closed.
function alertResolution(alert: Alert): string {
  if (text(alert.status)?.toLowerCase() === 'resolved') return RESOLVED_AS[text(alert.classification)?.toLowerCase() ?? ''] ?? 'resolved';
  return (alert.evidence ?? []).some(isBlocked) ? 'blocked' : 'detected';
}

function isBlocked(evidence: AlertEvidence): boolean {
  const status = text(evidence.detectionStatus)?.toLowerCase();
  return status !== undefined && BLOCKED_STATUSES.has(status);
}

function sightingFromAlert(alert: Alert, ctx: SightingContext, stamp: MappingStamp): Sighting {
  const observed = alertObserved(alert, stamp.now);
  const sighting = baseSighting(ctx, observed, stamp);
  const id = text(alert.id);
  if (id !== undefined) {
    sighting.source_uri = `${ctx.portalUrl}/alerts/${encodeURIComponent(id)}?tid=${encodeURIComponent(ctx.tenantId)}`;
    sighting.external_ids = [id];
  }
  const title = text(alert.title);
  if (title !== undefined) sighting.title = truncate(title, CTIM_LIMITS.title);
  const description = text(alert.description);
  if (description !== undefined) sighting.description = truncate(description, CTIM_LIMITS.description);
  sighting.severity = ctimSeverity(alert.severity);
  const timestamp = text(alert.lastUpdateTime);
  if (timestamp !== undefined) sighting.timestamp = timestamp;
  sighting.resolution = alertResolution(alert);

  const target = endpointTarget(alert.machineId, alert.computerDnsName, observed, ctx);
  if (target) sighting.targets = [target];
  const relations = relationsFromAlert(alert, ctx);
  if (relations.length > 0) sighting.relations = relations;
  const data = dataTable(alert, ALERT_COLUMNS);
  if (data) sighting.data = data;
  return sighting;
}

const EVENT_COLUMNS: readonly ColumnSpec<AnyHuntingColumns>[] = [
  { name: 'ActionType', type: 'string', value: (e) => e.ActionType },
  { name: 'DeviceName', type: 'string', value: (e) => e.DeviceName },
  { name: 'FileName', type: 'string', value: (e) => e.FileName },
  { name: 'FolderPath', type: 'string', value: (e) => e.FolderPath },
  { name: 'SHA1', type: 'string', value: (e) => e.SHA1 },
  { name: 'SHA256', type: 'string', value: (e) => e.SHA256 },
  { name: 'MD5', type: 'string', value: (e) => e.MD5 },
  { name: 'FileSize', type: 'integer', value: (e) => e.FileSize },
  { name: 'PreviousFileName', type: 'string', value: (e) => e.PreviousFileName },
  { name: 'PreviousFolderPath', type: 'string', value: (e) => e.PreviousFolderPath },
  { name: 'FileOriginUrl', type: 'string', value: (e) => e.FileOriginUrl },
  { name: 'FileOriginReferrerUrl', type: 'string', value: (e) => e.FileOriginReferrerUrl },
  { name: 'FileOriginIP', type: 'string', value: (e) => e.FileOriginIP },
  { name: 'RemoteIP', type: 'string', value: (e) => e.RemoteIP },
  { name: 'RemotePort', type: 'integer', value: (e) => e.RemotePort },
  { name: 'RemoteUrl', type: 'string', value: (e) => e.RemoteUrl },
  { name: 'LocalIP', type: 'string', value: (e) => e.LocalIP },
  { name: 'LocalPort', type: 'integer', value: (e) => e.LocalPort },
  { name: 'Protocol', type: 'string', value: (e) => e.Protocol },
  { name: 'InitiatingProcessFileName', type: 'string', value: (e) => e.InitiatingProcessFileName },
  { name: 'InitiatingProcessFolderPath', type: 'string', value: (e) => e.InitiatingProcessFolderPath },
  { name: 'InitiatingProcessCommandLine', type: 'string', value: (e) => e.InitiatingProcessCommandLine },
  { name: 'InitiatingProcessSHA1', type: 'string', value: (e) => e.InitiatingProcessSHA1 },
  { name: 'InitiatingProcessAccountDomain', type: 'string', value: (e) => e.InitiatingProcessAccountDomain },
  { name: 'InitiatingProcessAccountName', type: 'string', value: (e) => e.InitiatingProcessAccountName },
  { name: 'InitiatingProcessParentFileName', type: 'string', value: (e) => e.InitiatingProcessParentFileName },
];

const NETWORK_COLUMNS = ['RemoteIP', 'RemoteUrl', 'RemotePort', 'LocalIP', 'LocalPort', 'Protocol'] as const;

function isNetworkEvent(row: AnyHuntingColumns): boolean {
  return NETWORK_COLUMNS.some((column) => row[column] !== undefined && row[column] !== null && row[column] !== '');
}

function sightingFromEvent(event: HuntingEvent, ctx: SightingContext, stamp: MappingStamp): Sighting {
  const row = event as AnyHuntingColumns;
  const observed = observedAt([row.Timestamp], stamp.now);
  const sighting = baseSighting(ctx, observed, stamp);
  const actionType = text(row.ActionType);
  const kind = isNetworkEvent(row) ? 'network' : 'file';
  sighting.title = truncate(
    actionType === undefined ? `${SOURCE} ${kind} event` : `${SOURCE} ${kind} event: ${actionType}`,
    CTIM_LIMITS.title,
  );
  if (actionType !== undefined && /blocked|prevented/i.test(actionType)) sighting.resolution = 'blocked';
  const deviceId = text(row.DeviceId);
  if (deviceId !== undefined) {
    sighting.source_uri =
      `${ctx.portalUrl}/machines/${encodeURIComponent(deviceId)}/overview?tid=${encodeURIComponent(ctx.tenantId)}`;
  }

  const target = endpointTarget(row.DeviceId, row.DeviceName, observed, ctx);
  if (target) sighting.targets = [target];
  const relations = relationsFromEvent(event, ctx);
  if (relations.length > 0) sighting.relations = relations;
  const data = dataTable(row, EVENT_COLUMNS, ['ActionType']);
  if (data) sighting.data = data;
  return sighting;
}

function countOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

const devices = (n: number) => `${n} device${n === 1 ? '' : 's'}`;

const PREVALENCE_COLUMNS: readonly ColumnSpec<PrevalenceStats>[] = [
  { name: 'OrganizationPrevalence', type: 'integer', value: (s) => countOf(s.organizationPrevalence ?? s.orgPrevalence) },
  { name: 'OrgFirstSeen', type: 'string', value: (s) => s.orgFirstSeen },
  { name: 'OrgLastSeen', type: 'string', value: (s) => s.orgLastSeen },
  { name: 'GloballyPrevalence', type: 'integer', value: (s) => countOf(s.globallyPrevalence) },
  { name: 'GlobalFirstObserved', type: 'string', value: (s) => s.globalFirstObserved },
  { name: 'GlobalLastObserved', type: 'string', value: (s) => s.globalLastObserved },
  { name: 'TopFileNames', type: 'string', value: (s) => (s.topFileNames ?? []).filter((n) => text(n)).join(', ') },
];

function prevalencePage(stats: PrevalenceStats, ctx: SightingContext): string | undefined {
  const tid = `tid=${encodeURIComponent(ctx.tenantId)}`;
  const sha1 = text(stats.sha1);
  if (sha1 !== undefined) return `${ctx.portalUrl}/file/${encodeURIComponent(sha1)}?${tid}`;
  if (ctx.observable.type === 'ip') return `${ctx.portalUrl}/ip/${encodeURIComponent(ctx.observable.value)}/overview?${tid}`;
  if (ctx.observable.type === 'domain') return `${ctx.portalUrl}/url/overview?url=${encodeURIComponent(ctx.observable.value)}&${tid}`;
  return undefined;
}

function sightingFromPrevalence(stats: PrevalenceStats, ctx: SightingContext, stamp: MappingStamp): Sighting | undefined {
  const count = countOf(stats.organizationPrevalence ?? stats.orgPrevalence);
  if (count === undefined || count === 0) return undefined;
  const first = firstTime([stats.orgFirstSeen]);
  const last = firstTime([stats.orgLastSeen]);
  const start = first ?? last ?? stamp.now.toISOString();
  const end = last !== undefined && Date.parse(last) > Date.parse(start) ? last : start;
  const sighting = baseSighting({ ...ctx, count }, { start_time: start, end_time: end }, stamp);
  const global = countOf(stats.globallyPrevalence);
  sighting.title = truncate(`${SOURCE}: seen on ${devices(count)} of your organisation`, CTIM_LIMITS.title);
  sighting.description = truncate(
    `Seen on ${devices(count)} of your organisation${first ? ` since ${first}` : ''}${last ? `, last ${last}` : ''}${global === undefined ? '' : `; on ${devices(global)} worldwide`}`,
    CTIM_LIMITS.description,
  );
  const page = prevalencePage(stats, ctx);
  if (page) sighting.source_uri = page;
  const data = dataTable(stats, PREVALENCE_COLUMNS);
  if (data) sighting.data = data;
  return sighting;
}

@Injectable()
export class SightingMapper {
  constructor(private readonly stamps: StampProvider) {}

  fromAlert(alert: Alert, ctx: SightingContext): Sighting {
    return sightingFromAlert(alert, ctx, this.stamps.stamp());
  }

  fromEvent(event: HuntingEvent, ctx: SightingContext): Sighting {
    return sightingFromEvent(event, ctx, this.stamps.stamp());
  }

  /** Undefined when Defender's statistics say no device of the organisation has seen it. */
  fromPrevalence(stats: PrevalenceStats, ctx: SightingContext): Sighting | undefined {
    return sightingFromPrevalence(stats, ctx, this.stamps.stamp());
  }
}
