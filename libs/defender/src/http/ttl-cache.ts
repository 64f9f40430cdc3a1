import { BoundedMap, Clock, systemClock } from '@app/common';

export class TtlCache<V> {
  private readonly entries: BoundedMap<string, { value: V; expiresAt: number }>;
  private readonly inflight = new Map<string, Promise<V>>();

  /** Concurrent callers share a fetch; a result `keep` refuses (a partial answer) is shared but not kept. */
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
