import { Credentials, defenderConfig, ErrorList, Observable, RelayErrorBody } from '@app/common';
import { byNewestAlert, byNewestEvent, Sighting, SightingContext, SightingMapper } from '@app/ctim';
import {
  Alert,
  DefenderContext,
  DefenderContextFactory,
  FileProfile,
  FilesRepository,
  Found,
  HuntingEvent,
  Machine,
  MachinesRepository,
  ObservableSearch,
  PrevalenceStats,
} from '@app/defender';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ObservableAlerts } from '../alerts/observable-alerts';
import { completeFilesIn, fileProfileIndex, hashesNeedingCompletion, machineIdsOf, machineIndex } from './lookups.helpers';

interface Kept {
  observable: Observable;
  alerts: Alert[];
  events: HuntingEvent[];
  count: number;
  profile?: FileProfile;
  prevalence?: PrevalenceStats;
  /** Profiles of the devices of what is kept, by device id; a failed lookup is recorded and undefined. */
  machines: Map<string, Promise<Machine | undefined>>;
}

export interface ObserveResult {
  sightings: Sighting[];
  errors: RelayErrorBody[];
}

/** Machine profiles are requested as soon as an observable's findings are in, overlapping other observables' slower lookups. */
@Injectable()
export class ObserveService {
  private readonly logger = new Logger(ObserveService.name);

  constructor(
    private readonly contexts: DefenderContextFactory,
    private readonly search: ObservableSearch,
    private readonly files: FilesRepository,
    private readonly machines: MachinesRepository,
    private readonly sightings: SightingMapper,
    private readonly shared: ObservableAlerts,
    @Inject(defenderConfig.KEY) private readonly config: ConfigType<typeof defenderConfig>,
  ) {}

  observe(credentials: Credentials, observables: readonly Observable[], warnings: readonly RelayErrorBody[] = []): Promise<ObserveResult> {
    const errors = new ErrorList(this.logger, warnings);
    // Counted after the list dedupes them: the alert lists are shared only when no lookup added an error.
    const received = errors.all.length;
    if (observables.length === 0) return Promise.resolve({ sightings: [], errors: errors.all });
    const limit = credentials.entitiesLimit ?? this.config.entitiesLimit;
    return this.contexts.run(credentials, async (ctx) => {
      const found = this.search.find(ctx, observables, { limit, errors });
      const kept = await Promise.all(found.map((f) => f.then((one) => this.trim(ctx, one, limit, errors))));
      // Kept briefly for the respond listing that usually follows; not after a failed lookup.
      if (errors.all.length === received) for (const f of await Promise.all(found)) this.shared.remember(ctx, f.observable, f.alerts);
      const sightings = await this.map(ctx, kept, errors);
      return { sightings, errors: errors.all };
    });
  }

  /** Events fill what the alerts left of the limit; `count` is everything found. */
  private trim(ctx: DefenderContext, found: Found, limit: number, errors: ErrorList): Kept {
    const alerts = [...found.alerts].sort(byNewestAlert);
    const events = [...found.events].sort(byNewestEvent);
    const kept = { alerts: alerts.slice(0, limit), events: events.slice(0, Math.max(0, limit - alerts.length)) };
    // The devices an observable resolved to came with their profiles: those are not fetched again.
    const resolved = new Map(found.devices.map((d) => [String(d.id).toLowerCase(), d]));
    const profileOf = (id: string): Promise<Machine | undefined> => {
      const known = resolved.get(id.toLowerCase());
      return known ? Promise.resolve(known) : errors.capture(() => this.machines.machine(ctx, id), undefined);
    };
    const machines = new Map([...machineIdsOf(kept.alerts, kept.events)].map((id) => [id, profileOf(id)]));
    return { observable: found.observable, ...kept, count: alerts.length + events.length, profile: found.profile, prevalence: found.prevalence, machines };
  }

  private async map(ctx: DefenderContext, kept: readonly Kept[], errors: ErrorList): Promise<Sighting[]> {
    const allAlerts = kept.flatMap((f) => f.alerts);
    const allEvents = kept.flatMap((f) => f.events);
    if (allAlerts.length === 0 && allEvents.length === 0) return kept.flatMap((f) => this.prevalenceSighting(f, { portalUrl: this.config.portalUrl, tenantId: ctx.credentials.tenantId, machines: new Map(), files: new Map() }));
    const lookups = new Map(kept.flatMap((f) => [...f.machines]));
    const deviceIds = [...lookups.keys()];
    const resolved = kept.flatMap((f) => (f.profile ? [f.profile] : []));
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
    return kept.flatMap((f) => {
      const sctx = { ...shared, observable: f.observable, count: f.count };
      return [...this.prevalenceSighting(f, shared), ...f.alerts.map((a) => this.sightings.fromAlert(a, sctx)), ...f.events.map((e) => this.sightings.fromEvent(e, sctx))];
    });
  }

  private prevalenceSighting(f: Kept, shared: Omit<SightingContext, 'observable' | 'count'>): Sighting[] {
    const sighting = f.prevalence && this.sightings.fromPrevalence(f.prevalence, { ...shared, observable: f.observable, count: f.count });
    return sighting ? [sighting] : [];
  }
}
