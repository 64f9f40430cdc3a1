import { Credentials, defenderConfig, ErrorList, Observable, RelayErrorBody } from '@app/common';
import { byNewestAlert, byNewestEvent, normaliseHash, Sighting, SightingMapper } from '@app/ctim';
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
  HuntingEvent,
  HuntingRepository,
  Machine,
  MachinesRepository,
} from '@app/defender';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { PivotAlertsLookup } from './pivot-alerts';
import { completeFilesIn, fileProfileIndex, hashesNeedingCompletion, machineIdsOf, machineIndex, networkInfoIndex } from './lookups.helpers';

/** What was found for one input observable. */
interface Findings {
  observable: Observable;
  /** Kept for sightings: newest first, alerts before events, within the limit. */
  alerts: Alert[];
  events: HuntingEvent[];
  /** Alerts + events found (C-32 `count`). */
  count: number;
  /** The file profile a sha256/md5 was resolved to its SHA-1 with. */
  profile?: FileProfile;
  /** Profiles of the devices of what is kept, by device id; a failed lookup is recorded and undefined. */
  machines: Map<string, Promise<Machine | undefined>>;
}

/** The alerts of an observable; a device pivot also brings the devices it resolved to. */
type AlertLookup = Pick<Findings, 'alerts' | 'profile'> & { devices?: Machine[] };

export interface ObserveResult {
  sightings: Sighting[];
  errors: RelayErrorBody[];
}

const EVENT_SOURCE: Record<Observable['type'], { table: EventTable; column: EventColumn; match?: EventFilter['match'] } | undefined> = {
  sha1: { table: 'DeviceFileEvents', column: 'SHA1' },
  sha256: { table: 'DeviceFileEvents', column: 'SHA256' },
  md5: { table: 'DeviceFileEvents', column: 'MD5' },
  ip: { table: 'DeviceNetworkEvents', column: 'RemoteIP' },
  ipv6: { table: 'DeviceNetworkEvents', column: 'RemoteIP' },
  domain: { table: 'DeviceNetworkEvents', column: 'RemoteUrl' },
  url: { table: 'DeviceNetworkEvents', column: 'RemoteUrl', match: 'url' },
  ms_machine_id: undefined,
  hostname: undefined,
  user: undefined,
};

/**
 * Sightings for observables (C-30..C-36). Calls are economical by construction: one hunting query
 * per event table for all observables runs beside the alerts of each observable; every machine,
 * file profile and the devices' network info are fetched once for the whole request, and file
 * hashes already known from the hunting rows or from resolving a sha256/md5 are not fetched again.
 * Machine profiles are requested as soon as an observable's findings are in, so they overlap the
 * slower lookups of other observables. A failing call costs only what depended on it: the rest is
 * answered with the error.
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
    private readonly sightings: SightingMapper,
    private readonly pivots: PivotAlertsLookup,
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

  /**
   * Stage 1: hunting per table ∥ alerts per observable; each observable is trimmed to the limit
   * as soon as both are in, and the machines of what it keeps are requested right away.
   */
  private gather(ctx: DefenderContext, observables: readonly Observable[], limit: number, errors: ErrorList): Promise<Findings[]> {
    const keyed = observables.map((observable, i) => ({ observable, key: `o${i}` }));
    // Hunting first: calls queue for the per-tenant concurrency in the order they are made, and
    // this one call serves every observable.
    const hunted = this.eventsFor(ctx, keyed, limit, errors);
    return Promise.all(keyed.map(({ observable, key }) => this.findingsFor(ctx, observable, key, hunted, limit, errors)));
  }

  private async findingsFor(
    ctx: DefenderContext,
    observable: Observable,
    key: string,
    hunted: Promise<Map<string, HuntingEvent[]>>,
    limit: number,
    errors: ErrorList,
  ): Promise<Findings> {
    const [found, events] = await Promise.all([errors.capture(() => this.alertsFor(ctx, observable, errors), { alerts: [] } as AlertLookup), hunted]);
    const alerts = [...found.alerts].sort(byNewestAlert);
    const own = [...(events.get(key) ?? [])].sort(byNewestEvent);
    // Events fill what the alerts left of the limit (C-30); count is everything found (C-32).
    const kept = { alerts: alerts.slice(0, limit), events: own.slice(0, Math.max(0, limit - alerts.length)) };
    // Requested now, so they overlap the slower lookups of other observables; awaited in `map`.
    // A host name's devices came with their profiles: those are not fetched again.
    const resolved = new Map((found.devices ?? []).map((d) => [String(d.id).toLowerCase(), d]));
    const profileOf = (id: string): Promise<Machine | undefined> => {
      const known = resolved.get(id.toLowerCase());
      return known ? Promise.resolve(known) : errors.capture(() => this.machines.machine(ctx, id), undefined);
    };
    const machines = new Map([...machineIdsOf(kept.alerts, kept.events)].map((id) => [id, profileOf(id)]));
    return { observable, ...kept, count: alerts.length + own.length, profile: found.profile, machines };
  }

  private async alertsFor(ctx: DefenderContext, observable: Observable, errors: ErrorList): Promise<AlertLookup> {
    const pivot = await this.pivots.alertsFor(ctx, observable, errors);
    if (pivot) return pivot;
    switch (observable.type) {
      case 'sha1':
        return { alerts: await this.fileAlerts(ctx, observable.value) };
      case 'sha256':
      case 'md5': {
        // Related alerts are looked up by SHA-1 only: resolve the file first.
        const profile = await this.files.profile(ctx, observable.value);
        const sha1 = normaliseHash('sha1', profile?.sha1);
        return { alerts: sha1 ? await this.fileAlerts(ctx, sha1) : [], profile };
      }
      case 'domain':
        return { alerts: await this.alerts.forDomain(ctx, observable.value) };
      case 'ip':
      case 'ipv6':
        return { alerts: await this.alerts.forIp(ctx, observable.value) };
      default:
        return { alerts: [] };
    }
  }

  /** Once per request per file, also when a sha1 and its sha256/md5 are observed together. */
  private fileAlerts(ctx: DefenderContext, sha1: string): Promise<Alert[]> {
    return ctx.once(`observe:fileAlerts:${sha1}`, () => this.alerts.forFile(ctx, sha1));
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
      filters.push({ key, column: source.column, value: observable.value, limit, match: source.match });
      byTable.set(source.table, filters);
    }
    const reserved = byTable.size > 0 && (await errors.capture(() => this.hunting.reserveEventsAndNetworkInfo(ctx, byTable.size).then(() => true), false));
    if (!reserved) return new Map();
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
  private async map(ctx: DefenderContext, findings: readonly Findings[], errors: ErrorList): Promise<Sighting[]> {
    const allAlerts = findings.flatMap((f) => f.alerts);
    const allEvents = findings.flatMap((f) => f.events);
    if (allAlerts.length === 0 && allEvents.length === 0) return [];
    const lookups = new Map(findings.flatMap((f) => [...f.machines]));
    const deviceIds = [...lookups.keys()];
    const resolved = findings.flatMap((f) => (f.profile ? [f.profile] : []));
    const known = [...resolved, ...completeFilesIn(allEvents)];
    const hashes = [...hashesNeedingCompletion(allAlerts, allEvents, fileProfileIndex(known))];
    const [machines, networkRows, profiles] = await Promise.all([
      Promise.all(lookups.values()),
      deviceIds.length > 0 ? errors.capture(() => this.hunting.networkInfo(ctx, deviceIds), [] as DeviceNetworkInfoRow[]) : [],
      Promise.all(hashes.map((hash) => errors.capture(() => this.files.profile(ctx, hash), undefined))),
    ]);
    const shared = {
      portalUrl: this.config.portalUrl,
      tenantId: ctx.credentials.tenantId,
      machines: machineIndex(deviceIds, machines),
      networkInfo: networkInfoIndex(networkRows),
      files: fileProfileIndex([...known, ...profiles.filter((p): p is FileProfile => p !== undefined)]),
    };
    return findings.flatMap((f) => {
      const sctx = { ...shared, observable: f.observable, count: f.count };
      return [...f.alerts.map((a) => this.sightings.fromAlert(a, sctx)), ...f.events.map((e) => this.sightings.fromEvent(e, sctx))];
    });
  }
}
