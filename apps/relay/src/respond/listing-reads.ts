import { BoundedMap, Clock, CLOCK, respondConfig, TtlCache } from '@app/common';
import { DefenderContext } from '@app/defender';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';

const MAX_READS = 10_000;

/**
 * What a /respond/observables listing read, reused for the same app's next listings for RESPOND_LISTING_CACHE_MS
 * (off by default). A listing only offers; every trigger still reads afresh what it acts on. Keyed by credential
 * and a generation that each of this replica's triggers moves on, so its own changes show at once.
 */
@Injectable()
export class ListingReads {
  private readonly reads?: TtlCache<unknown>;
  private readonly generations = new BoundedMap<string, number>(MAX_READS);

  constructor(@Inject(respondConfig.KEY) config: ConfigType<typeof respondConfig>, @Inject(CLOCK) now: Clock) {
    if (config.listingCacheMs > 0) this.reads = new TtlCache(config.listingCacheMs, MAX_READS, now);
  }

  read<T>(ctx: DefenderContext, key: string, load: () => Promise<T>): Promise<T> {
    if (!this.reads) return load();
    return this.reads.getOrFetch(`${ctx.identity}:${this.generations.get(ctx.identity) ?? 0}:${key}`, load) as Promise<T>;
  }

  changed(ctx: DefenderContext): void {
    if (this.reads) this.generations.set(ctx.identity, (this.generations.get(ctx.identity) ?? 0) + 1);
  }
}
