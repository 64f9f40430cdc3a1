import { Credentials, defenderConfig, ErrorList, Observable, RelayErrorBody } from '@app/common';
import { fileProfileIndex, hashesNeedingCompletion, HuntingEvent, machineIdsOf, Sighting, sightingFromAlert, sightingFromEvent } from '@app/ctim';
import {
  Alert,
  AlertsRepository,
  DefenderContext,
  DefenderContextFactory,
  DeviceNetworkInfoRow,
  EventColumn,
  EventFilter,
  EventTable,
  FileProfile,
  FilesRepository,
  HuntingRepository,
  Machine,
  MachinesRepository,
} from '@app/defender';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';

/** What was found for one input observable. */
interface Findings {
  observable: Observable;
  alerts: Alert[];
  events: HuntingEvent[];
}

export interface ObserveResult {
  sightings: Sighting[];
  errors: RelayErrorBody[];
}

const EVENT_SOURCE: Record<Observable['type'], { table: EventTable; column: EventColumn } | undefined> = {
  sha1: { table: 'DeviceFileEvents', column: 'SHA1' },
  sha256: { table: 'DeviceFileEvents', column: 'SHA256' },
  md5: { table: 'DeviceFileEvents', column: 'MD5' },
  ip: { table: 'DeviceNetworkEvents', column: 'RemoteIP' },
  ipv6: { table: 'DeviceNetworkEvents', column: 'RemoteIP' },
  domain: { table: 'DeviceNetworkEvents', column: 'RemoteUrl' },
  ms_machine_id: undefined,
  url: undefined,
};

/**
 * Sightings for observables (C-30..C-36). Calls are economical by construction: alerts per
 * observable run beside one hunting query per event table for all observables; then every
 * machine, file profile and the devices' network info are fetched once for the whole request.
 * A failing call costs only what depended on it: the rest is answered with the error.
 */
@Injectable()
export class ObserveService {
  private readonly logger = new Logger(ObserveService.name);

  constructor(
    private readonly contexts: DefenderContextFactory,
    private readonly alerts: AlertsRepository,
    private readonly files: FilesRepository,
    private readonly machines: MachinesRepository,
    private readonly hunting: HuntingRepository,
    @Inject(defenderConfig.KEY) private readonly config: ConfigType<typeof defenderConfig>,
  ) {}

  observe(credentials: Credentials, observables: readonly Observable[], warnings: readonly RelayErrorBody[] = []): Promise<ObserveResult> {
    const errors = new ErrorList(this.logger, warnings);
    if (observables.length === 0) return Promise.resolve({ sightings: [], errors: errors.all });
    const limit = credentials.entitiesLimit ?? this.config.entitiesLimit;
    return this.contexts.run(credentials, async (ctx) => {
      const findings = await this.gather(ctx, observables, limit, errors);
      const sightings = await this.map(ctx, findings, errors);
      return { sightings, errors: errors.all };
    });
  }

  /** Stage 1: alerts per observable ∥ hunting per table, then each observable trimmed to the limit. */
  private async gather(ctx: DefenderContext, observables: readonly Observable[], limit: number, errors: ErrorList): Promise<Findings[]> {
    const keyed = observables.map((observable, i) => ({ observable, key: `o${i}` }));
    const [alertLists, events] = await Promise.all([
      Promise.all(keyed.map(({ observable }) => errors.capture(() => this.alertsFor(ctx, observable), [] as Alert[]))),
      this.eventsFor(ctx, keyed, limit, errors),
    ]);
    return keyed.map(({ observable, key }, i) => {
      const alerts = alertLists[i];
      const own = (events.get(key) ?? []).sort((a, b) => Date.parse(b.Timestamp ?? '') - Date.parse(a.Timestamp ?? ''));
      // Events fill what the alerts left of the limit (C-30); count is everything found (C-32).
      const kept = { alerts: alerts.slice(0, limit), events: own.slice(0, Math.max(0, limit - alerts.length)) };
      return { observable, ...kept, count: alerts.length + own.length } as Findings & { count: number };
    });
  }

  private async alertsFor(ctx: DefenderContext, observable: Observable): Promise<Alert[]> {
    switch (observable.type) {
      case 'sha1':
        return this.alerts.forFile(ctx, observable.value);
      case 'sha256':
      case 'md5': {
        // Related alerts are looked up by SHA-1 only: resolve the file first.
        const profile = await this.files.profile(ctx, observable.value);
        return profile?.sha1 ? this.alerts.forFile(ctx, profile.sha1.toLowerCase()) : [];
      }
      case 'domain':
        return this.alerts.forDomain(ctx, observable.value);
      case 'ip':
      case 'ipv6':
        return this.alerts.forIp(ctx, observable.value);
      default:
        return [];
    }
  }

  private async eventsFor(
    ctx: DefenderContext,
    keyed: ReadonlyArray<{ observable: Observable; key: string }>,
    limit: number,
    errors: ErrorList,
  ): Promise<Map<string, HuntingEvent[]>> {
    const byTable = new Map<EventTable, EventFilter[]>();
    for (const { observable, key } of keyed) {
      const source = EVENT_SOURCE[observable.type];
      if (!source) continue;
      const filters = byTable.get(source.table) ?? [];
      filters.push({ key, column: source.column, value: observable.value, limit });
      byTable.set(source.table, filters);
    }
    const tables = await Promise.all(
      [...byTable].map(([table, filters]) => errors.capture(() => this.hunting.events(ctx, table, filters) as Promise<HuntingEvent[]>, [])),
    );
    const byKey = new Map<string, HuntingEvent[]>();
    for (const row of tables.flat()) {
      if (typeof row.RelayKey !== 'string') continue;
      const rows = byKey.get(row.RelayKey) ?? [];
      rows.push(row);
      byKey.set(row.RelayKey, rows);
    }
    return byKey;
  }

  /** Stage 2: every lookup the sightings share, once per request, then the pure mappers. */
  private async map(ctx: DefenderContext, findings: ReadonlyArray<Findings & { count?: number }>, errors: ErrorList): Promise<Sighting[]> {
    const allAlerts = findings.flatMap((f) => f.alerts);
    const allEvents = findings.flatMap((f) => f.events);
    if (allAlerts.length === 0 && allEvents.length === 0) return [];
    const deviceIds = [...machineIdsOf(allAlerts, allEvents)];
    const hashes = [...hashesNeedingCompletion(allAlerts, allEvents)];
    const [machines, networkRows, profiles] = await Promise.all([
      Promise.all(deviceIds.map((id) => errors.capture(() => this.machines.machine(ctx, id), undefined))),
      deviceIds.length > 0 ? errors.capture(() => this.hunting.networkInfo(ctx, deviceIds), [] as DeviceNetworkInfoRow[]) : [],
      Promise.all(hashes.map((hash) => errors.capture(() => this.files.profile(ctx, hash), undefined))),
    ]);
    const shared = {
      portalUrl: this.config.portalUrl,
      tenantId: ctx.credentials.tenantId,
      machines: byId(machines.filter((m): m is Machine => m !== undefined)),
      networkInfo: groupByDevice(networkRows),
      files: fileProfileIndex(profiles.filter((p): p is FileProfile => p !== undefined)),
    };
    return findings.flatMap((f) => {
      const sctx = { ...shared, observable: f.observable, count: f.count ?? f.alerts.length + f.events.length };
      return [...f.alerts.map((a) => sightingFromAlert(a, sctx)), ...f.events.map((e) => sightingFromEvent(e, sctx))];
    });
  }
}

function byId(machines: readonly Machine[]): Map<string, Machine> {
  return new Map(machines.map((m) => [m.id.toLowerCase(), m]));
}

function groupByDevice(rows: readonly DeviceNetworkInfoRow[]): Map<string, DeviceNetworkInfoRow[]> {
  const out = new Map<string, DeviceNetworkInfoRow[]>();
  for (const row of rows) {
    if (typeof row.DeviceId !== 'string') continue;
    const id = row.DeviceId.toLowerCase();
    out.set(id, [...(out.get(id) ?? []), row]);
  }
  return out;
}
