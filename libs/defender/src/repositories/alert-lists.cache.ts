import { BoundedMap, Clock, CLOCK, TtlCache } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import { DefenderContext } from '../http/defender-context';
import { Alert } from '../models';

/** Long enough to cover "observe, then list actions". */
export const ALERT_LIST_TTL_MS = 60_000;
const MAX_LISTS = 10_000;

// Keyed by credential and a generation that every alert update moves on, which also tells the tiles their counts are stale.
@Injectable()
export class AlertListsCache {
  private readonly lists: TtlCache<Alert[]>;
  private readonly generations = new BoundedMap<string, number>(MAX_LISTS);

  constructor(@Inject(CLOCK) now: Clock) {
    this.lists = new TtlCache(ALERT_LIST_TTL_MS, MAX_LISTS, now);
  }

  getOrLoad(ctx: DefenderContext, key: string, load: () => Promise<Alert[]>): Promise<Alert[]> {
    return this.lists.getOrFetch(this.key(ctx, key), load);
  }

  remember(ctx: DefenderContext, key: string, alerts: Alert[]): void {
    this.lists.set(this.key(ctx, key), alerts);
  }

  changed(ctx: DefenderContext): void {
    this.generations.set(ctx.identity, this.generation(ctx) + 1);
  }

  generation(ctx: DefenderContext): number {
    return this.generations.get(ctx.identity) ?? 0;
  }

  private key(ctx: DefenderContext, key: string): string {
    return `${ctx.identity}:${this.generation(ctx)}:${key}`;
  }
}
