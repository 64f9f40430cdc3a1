/** One published Defender limit: at most `limit` calls in any `windowMs`. */
export interface Window {
  limit: number;
  windowMs: number;
}

export type Bucket = 'general' | 'hunting';

/**
 * Defender's published per-tenant limits (defender-api.md §7): every API has its own general
 * quota; both advanced-hunting APIs share the hunting one.
 */
export const DEFENDER_LIMITS: Record<Bucket, readonly Window[]> = {
  general: [
    { limit: 100, windowMs: 60_000 },
    { limit: 1_500, windowMs: 3_600_000 },
  ],
  hunting: [
    { limit: 45, windowMs: 60_000 },
    { limit: 1_500, windowMs: 3_600_000 },
  ],
};

/**
 * Where call times are kept. `tryAcquire` records a call in every window and answers 0, or
 * records nothing and answers how long until a slot frees. Sliding logs, not fixed windows:
 * a fixed window lets 2× the limit through across a boundary, which Defender answers with 429.
 */
export interface WindowStore {
  tryAcquire(key: string, windows: readonly Window[]): Promise<number>;
}

export class MemoryWindowStore implements WindowStore {
  private readonly logs = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  async tryAcquire(key: string, windows: readonly Window[]): Promise<number> {
    const now = this.now();
    let wait = 0;
    const logs = windows.map((w) => {
      const id = `${key}:${w.windowMs}`;
      const log = (this.logs.get(id) ?? []).filter((t) => t > now - w.windowMs);
      this.logs.set(id, log);
      if (log.length >= w.limit) wait = Math.max(wait, log[log.length - w.limit] + w.windowMs - now);
      return log;
    });
    if (wait > 0) return wait;
    logs.forEach((log) => log.push(now));
    return 0;
  }
}
