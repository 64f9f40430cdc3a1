import { BoundedMap } from './bounded-map';

export interface Window {
  limit: number;
  windowMs: number;
}

// Sliding logs, not fixed windows: a fixed window lets 2× the limit through across a boundary, which Defender answers with 429.
export interface WindowStore {
  tryAcquire(key: string, windows: readonly Window[], count?: number): Promise<number>;
  available(key: string, windows: readonly Window[]): Promise<number>;
}

export const MAX_WINDOW_LOGS = 20_000;
const SWEEP_INTERVAL_MS = 60_000;

interface Log {
  times: number[];
  windowMs: number;
}

// Dropping a busy log only forgets calls: its tenant may briefly meet Defender's own limit (retried) instead of memory growing.
export class MemoryWindowStore implements WindowStore {
  private readonly logs: BoundedMap<string, Log>;
  private nextSweep = 0;

  constructor(
    private readonly now: () => number = Date.now,
    maxLogs = MAX_WINDOW_LOGS,
  ) {
    this.logs = new BoundedMap(maxLogs);
  }

  get size(): number {
    return this.logs.size;
  }

  async tryAcquire(key: string, windows: readonly Window[], count = 1): Promise<number> {
    const now = this.now();
    this.sweep(now);
    let wait = 0;
    const logs = windows.map((w) => {
      const id = `${key}:${w.windowMs}`;
      const times = (this.logs.get(id)?.times ?? []).filter((t) => t > now - w.windowMs);
      const excess = times.length + count - w.limit;
      // More than a window ever holds waits a whole window (the caller's deadline refuses it).
      if (excess > 0) wait = Math.max(wait, count > w.limit ? w.windowMs : times[excess - 1] + w.windowMs - now);
      return { id, times, windowMs: w.windowMs };
    });
    if (wait === 0) for (const log of logs) log.times.push(...Array<number>(count).fill(now));
    // Set again at the end, refused or not: at the bound, the least recently used log is dropped.
    for (const { id, times, windowMs } of logs) {
      this.logs.delete(id);
      if (times.length > 0) this.logs.set(id, { times, windowMs });
    }
    return wait;
  }

  async available(key: string, windows: readonly Window[]): Promise<number> {
    const now = this.now();
    return Math.min(
      ...windows.map((w) => {
        const held = (this.logs.get(`${key}:${w.windowMs}`)?.times ?? []).filter((t) => t > now - w.windowMs).length;
        return Math.max(0, w.limit - held);
      }),
    );
  }

  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + SWEEP_INTERVAL_MS;
    for (const [id, log] of this.logs) {
      if (log.times[log.times.length - 1] <= now - log.windowMs) this.logs.delete(id);
    }
  }
}
