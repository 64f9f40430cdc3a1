import { Clock, systemClock } from '../clock/clock';
import { TtlCache } from './ttl-cache';

export interface KeyValueStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** A lock: true when this caller set it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
}

// Keys name tenants and clients, so the store is bounded.
export class MemoryKeyValueStore implements KeyValueStore {
  private readonly entries: TtlCache<string>;

  constructor(maxEntries = 20_000, now: Clock = systemClock) {
    this.entries = new TtlCache(0, maxEntries, now);
  }

  get size(): number {
    return this.entries.size;
  }

  async get(key: string): Promise<string | undefined> {
    return this.entries.get(key);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.set(key, value, ttlMs);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if ((await this.get(key)) !== undefined) return false;
    await this.set(key, value, ttlMs);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }
}
