import { defenderConfig } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DefenderContext } from '../http/defender-context';
import { DefenderHttpClient } from '../http/defender-http.client';
import { assignEvents, EventFilter, eventsQuery, EventTable, latestPerAdapter, networkInfoQuery } from '../kql/hunting-queries';
import { DeviceFileEvent, DeviceNetworkEvent, DeviceNetworkInfoRow } from '../models';

interface DefenderHuntingResult {
  Results?: unknown[];
}

interface GraphHuntingResult {
  results?: unknown[];
}

export type EventRow<T extends EventTable> = T extends 'DeviceFileEvents' ? DeviceFileEvent : DeviceNetworkEvent;

/**
 * Advanced hunting, through Defender's `/api/advancedqueries/run` or, with `HUNTING_API=graph`,
 * Microsoft Graph `security/runHuntingQuery` (C-94). Queries come only from the builders in
 * `kql/hunting-queries.ts`, so every user value is an escaped literal.
 */
@Injectable()
export class HuntingRepository {
  constructor(
    private readonly client: DefenderHttpClient,
    @Inject(defenderConfig.KEY) private readonly config: ConfigType<typeof defenderConfig>,
  ) {}

  /**
   * Reserves at once the hunting of a request that runs `events` for `tables` tables, then
   * `networkInfo`: under a busy quota it gets every query or none.
   */
  reserveEventsAndNetworkInfo(ctx: DefenderContext, tables: number): Promise<void> {
    return this.client.reserveHunting(ctx, tables + 1);
  }

  /** One call for all observables of a table; each row comes back tagged (`RelayKey`) with the filter it answers. */
  async events<T extends EventTable>(ctx: DefenderContext, table: T, filters: readonly EventFilter[]): Promise<EventRow<T>[]> {
    return assignEvents(await this.run<EventRow<T>>(ctx, eventsQuery(table, filters)), filters);
  }

  /** Latest adapters of the given devices, once per request whatever asks for them. */
  networkInfo(ctx: DefenderContext, deviceIds: readonly string[]): Promise<DeviceNetworkInfoRow[]> {
    const ids = [...new Set(deviceIds.map((id) => id.toLowerCase()))].sort();
    return ctx.once(`networkInfo:${ids.join(',')}`, async () => latestPerAdapter(await this.run<DeviceNetworkInfoRow>(ctx, networkInfoQuery(ids))));
  }

  private async run<T>(ctx: DefenderContext, query: string): Promise<T[]> {
    if (this.config.huntingApi === 'graph') {
      const { data } = await this.client.request<GraphHuntingResult>(ctx, {
        api: 'graph',
        method: 'POST',
        path: 'security/runHuntingQuery',
        body: { Query: query },
        hunting: true,
        idempotent: true,
      });
      return (Array.isArray(data?.results) ? data.results : []) as T[];
    }
    const { data } = await this.client.request<DefenderHuntingResult>(ctx, {
      method: 'POST',
      path: 'advancedqueries/run',
      body: { Query: query },
      hunting: true,
      idempotent: true,
    });
    return (Array.isArray(data?.Results) ? data.Results : []) as T[];
  }
}
