import { Clock, CLOCK, Credentials, defenderConfig, ErrorList, RelayErrorBody, TtlCache } from '@app/common';
import {
  AlertListsCache,
  AlertsRepository,
  DefenderContext,
  DefenderContextFactory,
  IndicatorsRepository,
  MachineActionsRepository,
  MachinesRepository,
  PagesRead,
} from '@app/defender';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { TileId } from './tile-catalog';
import {
  alertsByDetectionSource,
  alertsOverTime,
  alertsSummary,
  devicePosture,
  portalLinks,
  responseActivity,
  TileBody,
  tileFrame,
  TileFrame,
  topAlertedDevices,
} from './tile-data.mapper';
import { bucketUnit, periodWindow, TilePeriod, WIDEST_PERIOD } from './tile-periods';
import { ActivityStats, ActivityTally, AlertStats, AlertTally, PostureStats, PostureTally } from './tile-stats';

export type TileData = TileFrame & TileBody;

export interface TileDataResult {
  data: TileData;
  errors: RelayErrorBody[];
}

interface Snapshot<T> {
  at: number;
  value: T;
  errors: RelayErrorBody[];
}

const MAX_SNAPSHOTS = 10_000;

// Devices and response history change slowly; docs/performance.md has the call budget this buys.
const FLEET_TTL_FACTOR = 5;

/** Dashboard tiles, each drawn from a per-credential snapshot of Defender reads (docs/performance.md). */
@Injectable()
export class TilesService {
  private readonly logger = new Logger(TilesService.name);
  private readonly snapshots: TtlCache<Snapshot<unknown>>;
  private readonly fleetSnapshots: TtlCache<Snapshot<unknown>>;

  constructor(
    private readonly contexts: DefenderContextFactory,
    private readonly alerts: AlertsRepository,
    private readonly machines: MachinesRepository,
    private readonly machineActions: MachineActionsRepository,
    private readonly indicators: IndicatorsRepository,
    private readonly alertLists: AlertListsCache,
    @Inject(defenderConfig.KEY) private readonly config: ConfigType<typeof defenderConfig>,
    @Inject(CLOCK) private readonly now: Clock,
  ) {
    this.snapshots = new TtlCache(config.tilesCacheTtlMs, MAX_SNAPSHOTS, now);
    this.fleetSnapshots = new TtlCache(config.tilesCacheTtlMs * FLEET_TTL_FACTOR, MAX_SNAPSHOTS, now);
  }

  tileData(credentials: Credentials, tile: TileId, period: TilePeriod): Promise<TileDataResult> {
    const links = portalLinks(this.config.portalUrl, credentials.tenantId);
    return this.contexts.run(credentials, async (ctx) => {
      switch (tile) {
        case 'alerts-summary':
          return this.draw(await this.alertStats(ctx, period), period, (s) => alertsSummary(s, links));
        case 'alerts-over-time':
          return this.draw(await this.alertStats(ctx, period), period, (s) => alertsOverTime(s, links));
        case 'top-alerted-devices':
          return this.draw(await this.alertStats(ctx, period), period, (s) => topAlertedDevices(s, links));
        case 'alerts-by-detection-source':
          return this.draw(await this.alertStats(ctx, period), period, (s) => alertsByDetectionSource(s, links));
        case 'device-posture':
          return this.draw(await this.posture(ctx), period, (s) => devicePosture(s, links), FLEET_TTL_FACTOR);
        case 'response-activity':
          return this.draw(await this.activity(ctx), period, (s) => responseActivity(s[period], links), FLEET_TTL_FACTOR);
      }
    });
  }

  private draw<T>(snapshot: Snapshot<T>, period: TilePeriod, body: (value: T) => TileBody, ttlFactor = 1): TileDataResult {
    const frame = tileFrame(periodWindow(period, snapshot.at), snapshot.at, this.config.tilesCacheTtlMs * ttlFactor);
    return { data: { ...frame, ...body(snapshot.value) }, errors: snapshot.errors };
  }

  private alertStats(ctx: DefenderContext, period: TilePeriod): Promise<Snapshot<AlertStats>> {
    // A triage through the relay moves the generation on, so its counts show on the next read.
    return this.snapshot(ctx, `alerts:${this.alertLists.generation(ctx)}:${period}`, this.snapshots, async (at, errors) => {
      const tally = new AlertTally(periodWindow(period, at), bucketUnit(period));
      await this.read(this.alerts.createdSince(ctx, tally.window.start, (page) => tally.add(page)), errors);
      return tally.stats();
    });
  }

  private posture(ctx: DefenderContext): Promise<Snapshot<PostureStats>> {
    return this.snapshot(ctx, 'posture', this.fleetSnapshots, async (_at, errors) => {
      const tally = new PostureTally();
      await Promise.all([
        this.read(this.machines.all(ctx, (page) => tally.addMachines(page)), errors),
        this.read(this.machineActions.isolationHistory(ctx, (page) => tally.addIsolationActions(page)), errors),
      ]);
      return tally.stats();
    });
  }

  private activity(ctx: DefenderContext): Promise<Snapshot<Record<TilePeriod, ActivityStats>>> {
    return this.snapshot(ctx, 'activity', this.fleetSnapshots, async (at, errors) => {
      const tally = new ActivityTally(at);
      const since = periodWindow(WIDEST_PERIOD, at).start;
      await Promise.all([
        this.read(this.machineActions.createdSince(ctx, since, (page) => tally.addActions(page)), errors),
        this.read(this.indicators.createdSince(ctx, since, (page) => tally.addIndicators(page)), errors),
      ]);
      return tally.stats();
    });
  }

  // A read that stopped part-way is answered (with its error) to whoever waited for it, never kept.
  private snapshot<T>(
    ctx: DefenderContext,
    name: string,
    cache: TtlCache<Snapshot<unknown>>,
    read: (at: number, errors: ErrorList) => Promise<T>,
  ): Promise<Snapshot<T>> {
    const fetch = async (): Promise<Snapshot<T>> => {
      const at = this.now();
      const errors = new ErrorList(this.logger);
      const value = await read(at, errors);
      return { at, value, errors: errors.all };
    };
    return cache.getOrFetch(`${ctx.identity}:${name}`, fetch, (s) => s.errors.length === 0) as Promise<Snapshot<T>>;
  }

  private async read(pages: Promise<PagesRead>, errors: ErrorList): Promise<void> {
    const { error } = await pages;
    if (error !== undefined) errors.add(error);
  }
}
