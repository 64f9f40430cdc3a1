import { BoundedMap, Clock, systemClock } from '@app/common';

/**
 * A small bounded cache for slow-changing Defender data.
 * Concurrent requests for a key that is being fetched share that fetch.
 */
export class TtlCache<V> {
  private readonly entries: BoundedMap<string, { value: V; expiresAt: number }>;
  private readonly inflight = new Map<string, Promise<V>>();

  /**
   * The cached value, else the one being fetched, else `fetch()`: its result is cached unless
   * `keep` refuses it (a partial answer is shared by the callers waiting for it, not kept).
   */
  async getOrFetch(key: string, fetch: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    const cached = this.get(key);
    if (cached !== undefined) return cached;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = fetch()
        .then((value) => {
          if (keep(value)) this.set(key, value);
          return value;
        })
        .finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  constructor(
    private readonly ttlMs: number,
    maxEntries = 10_000,
    private readonly now: Clock = systemClock,
  ) {
    this.entries = new BoundedMap(maxEntries);
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V): void {
    if (this.ttlMs <= 0) return;
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
