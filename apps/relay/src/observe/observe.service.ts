import { Credentials, defenderConfig, ErrorList, Observable, RelayErrorBody } from '@app/common';
import { byNewestAlert, byNewestEvent, normaliseHash, Sighting, SightingMapper } from '@app/ctim';
import {
  Alert,
  AlertsRepository,
  DefenderContext,
  DefenderContextFactory,
  EventColumn,
  EventFilter,
  FileProfile,
  FilesRepository,
  HuntingEvent,
  HuntingRepository,
  Machine,
  MachinesRepository,
} from '@app/defender';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ObservableAlerts } from '../alerts/observable-alerts';
import { PivotAlertsLookup } from './pivot-alerts';
import { completeFilesIn, fileProfileIndex, hashesNeedingCompletion, machineIdsOf, machineIndex } from './lookups.helpers';
import { AlertRoute, alertIdBatches, evidenceAlertIds, planAlertLookups, plannedApis } from './observe-planner';

/** What was found for one input observable. */
interface Findings {
  observable: Observable;
  /** Kept for sightings: newest first, alerts before events, within the limit. */
  alerts: Alert[];
  events: HuntingEvent[];
  /** Alerts + events found (`count`). */
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

/** The event column an observable is matched on (its table follows from the column), and how. */
const EVENT_COLUMN: Record<Observable['type'], { column: EventColumn; match?: EventFilter['match'] } | undefined> = {
  sha1: { column: 'SHA1' },
  sha256: { column: 'SHA256' },
  md5: { column: 'MD5' },
  ip: { column: 'RemoteIP' },
  ipv6: { column: 'RemoteIP' },
  domain: { column: 'RemoteUrl' },
  url: { column: 'RemoteUrl', match: 'url' },
  ms_machine_id: undefined,
  hostname: undefined,
  user: undefined,
};

/** `AlertEvidence` rows asked for per observable routed to hunting: one per alert and matching entity. */
const EVIDENCE_ROWS = 1_000;

/**
 * Sightings for observables. Calls are economical by construction: one hunting query for both event
 * tables and all observables (shared with concurrent requests of the same credential) runs beside
 * the alerts of each observable; every machine and file profile is fetched once for the whole
 * request, the devices' MACs and IPs come from their machine profiles, and file hashes already
 * known from the hunting rows or from resolving a sha256/md5 are not fetched again.
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
    private readonly shared: ObservableAlerts,
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
   * Stage 1: the alert lookups are planned by the tenant's free slots (docs/observe-planning.md);
   * one hunting query (events, and the alert evidence of what REST cannot afford) ∥ REST alerts
   * per observable; each observable is trimmed to the limit as soon as both are in, and the
   * machines of what it keeps are requested right away.
   */
  private async gather(ctx: DefenderContext, observables: readonly Observable[], limit: number, errors: ErrorList): Promise<Findings[]> {
    const keyed = observables.map((observable, i) => ({ observable, key: `o${i}`, evidenceKey: `a${i}` }));
    const plan = planAlertLookups(observables, await this.alerts.freeSlots(ctx, plannedApis(observables)));
    const evidence: EventFilter[] = plan.flatMap(({ observable, route }, i) =>
      route.kind === 'hunting' ? [{ key: keyed[i].evidenceKey, column: route.column, value: observable.value, limit: EVIDENCE_ROWS, table: 'AlertEvidence' as const }] : [],
    );
    // Hunting first: calls queue for the per-tenant concurrency in the order they are made, and
    // this one call serves every observable.
    const hunted = this.eventsFor(ctx, keyed, evidence, limit, errors);
    const huntedAlerts = this.alertsFromEvidence(ctx, evidence, hunted, errors);
    return Promise.all(
      keyed.map(({ observable, key, evidenceKey }, i) =>
        this.findingsFor(ctx, observable, { key, evidenceKey }, plan[i].route, hunted, huntedAlerts, limit, errors),
      ),
    );
  }

  private async findingsFor(
    ctx: DefenderContext,
    observable: Observable,
    { key, evidenceKey }: { key: string; evidenceKey: string },
    route: AlertRoute,
    hunted: Promise<Map<string, HuntingEvent[]>>,
    huntedAlerts: Promise<Map<string, Alert[]>>,
    limit: number,
    errors: ErrorList,
  ): Promise<Findings> {
    const before = errors.all.length;
    const lookup: Promise<AlertLookup> =
      route.kind === 'hunting'
        ? huntedAlerts.then((byKey) => ({ alerts: byKey.get(evidenceKey) ?? [] }))
        : errors.capture(() => this.alertsFor(ctx, observable, errors), { alerts: [] } as AlertLookup);
    const [found, events] = await Promise.all([lookup, hunted]);
    // Kept briefly for the respond listing that usually follows; not after any failed lookup.
    if (errors.all.length === before) this.shared.remember(ctx, observable, found.alerts, route.kind === 'hunting' ? 'evidence' : 'rest');
    const alerts = [...found.alerts].sort(byNewestAlert);
    const own = [...(events.get(key) ?? [])].sort(byNewestEvent);
    // Events fill what the alerts left of the limit; count is everything found.
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

  /**
   * The whole alerts (evidence included, as REST gives them) of the observables routed to
   * hunting: their ids from the evidence rows, fetched in batches once for the request.
   */
  private async alertsFromEvidence(
    ctx: DefenderContext,
    filters: readonly EventFilter[],
    hunted: Promise<Map<string, HuntingEvent[]>>,
    errors: ErrorList,
  ): Promise<Map<string, Alert[]>> {
    if (filters.length === 0) return new Map();
    const rows = await hunted;
    const idsByKey = new Map(filters.map((f) => [f.key, evidenceAlertIds(rows.get(f.key) ?? [], f)]));
    const batches = alertIdBatches([...idsByKey.values()].flat());
    const fetched = await Promise.all(batches.map((ids) => errors.capture(() => this.alerts.byIds(ctx, ids), [] as Alert[])));
    const byId = new Map(fetched.flat().map((alert) => [alert.id, alert]));
    return new Map([...idsByKey].map(([key, ids]) => [key, ids.flatMap((id) => byId.get(id) ?? [])]));
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
    evidence: readonly EventFilter[],
    limit: number,
    errors: ErrorList,
  ): Promise<Map<string, HuntingEvent[]>> {
    const filters: EventFilter[] = keyed.flatMap(({ observable, key }) => {
      const source = EVENT_COLUMN[observable.type];
      return source ? [{ key, column: source.column, match: source.match, value: observable.value, limit }] : [];
    });
    filters.push(...evidence);
    const rows = await errors.capture(() => this.hunting.events(ctx, filters), []);
    const byKey = new Map<string, HuntingEvent[]>();
    for (const row of rows) {
      if (typeof row.RelayKey !== 'string') continue;
      const own = byKey.get(row.RelayKey) ?? [];
      own.push(row);
      byKey.set(row.RelayKey, own);
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
    const [machines, profiles] = await Promise.all([
      Promise.all(lookups.values()),
      Promise.all(hashes.map((hash) => errors.capture(() => this.files.profile(ctx, hash), undefined))),
    ]);
    const shared = {
      portalUrl: this.config.portalUrl,
      tenantId: ctx.credentials.tenantId,
      machines: machineIndex(deviceIds, machines),
      files: fileProfileIndex([...known, ...profiles.filter((p): p is FileProfile => p !== undefined)]),
    };
    return findings.flatMap((f) => {
      const sctx = { ...shared, observable: f.observable, count: f.count };
      return [...f.alerts.map((a) => this.sightings.fromAlert(a, sctx)), ...f.events.map((e) => this.sightings.fromEvent(e, sctx))];
    });
  }
}
