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
 * Where call times are kept. `tryAcquire` records `count` calls (all or none) in every window and
 * answers 0, or records nothing and answers how long until enough slots free. Sliding logs, not fixed windows:
 * a fixed window lets 2× the limit through across a boundary, which Defender answers with 429.
 */
export interface WindowStore {
  tryAcquire(key: string, windows: readonly Window[], count?: number): Promise<number>;
}

export class MemoryWindowStore implements WindowStore {
  private readonly logs = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  async tryAcquire(key: string, windows: readonly Window[], count = 1): Promise<number> {
    const now = this.now();
    let wait = 0;
    const logs = windows.map((w) => {
      const id = `${key}:${w.windowMs}`;
      const log = (this.logs.get(id) ?? []).filter((t) => t > now - w.windowMs);
      this.logs.set(id, log);
      const excess = log.length + count - w.limit;
      // More than a window ever holds waits a whole window (the caller's deadline refuses it).
      if (excess > 0) wait = Math.max(wait, count > w.limit ? w.windowMs : log[excess - 1] + w.windowMs - now);
      return log;
    });
    if (wait > 0) return wait;
    logs.forEach((log) => log.push(...Array<number>(count).fill(now)));
    return 0;
  }
}
