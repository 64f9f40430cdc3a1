import { RouteKey } from '../model/route-key';

export interface LatencyApi {
  /** Delay every call of `route` (or of every route, `*`) by `ms`; 0 removes the setting. */
  set(route: RouteKey | '*', ms: number): void;
  /** The delay a call of `route` gets: its own setting, else the `*` setting, else 0. */
  get(route: RouteKey): number;
  clear(): void;
  snapshot(): Partial<Record<RouteKey | '*', number>>;
}

export class LatencyControl implements LatencyApi {
  private readonly delays = new Map<RouteKey | '*', number>();

  set(route: RouteKey | '*', ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new TypeError('latency must be a non-negative number of milliseconds');
    if (ms === 0) this.delays.delete(route);
    else this.delays.set(route, ms);
  }

  get(route: RouteKey): number {
    return this.delays.get(route) ?? this.delays.get('*') ?? 0;
  }

  clear(): void {
    this.delays.clear();
  }

  snapshot(): Partial<Record<RouteKey | '*', number>> {
    return Object.fromEntries(this.delays);
  }
}
