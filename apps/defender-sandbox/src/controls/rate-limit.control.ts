import { Clock } from '../util/time.util';

/**
 * Microsoft's published quotas, counted per application and tenant in sliding windows. Each
 * Defender API has its own general quota ("100 calls per minute and 1,500 per hour" on every API
 * page), so the general bucket is counted per route. Defender's hunting API and Graph's
 * runHuntingQuery are separate services, each with its own quota.
 */
export type RateBucket = 'general' | 'hunting' | 'graphHunting' | 'investigation' | 'alertUpdates' | 'graphAlerts';

interface Window {
  limit: number;
  ms: number;
  /** How the quota message names the window. */
  label: string;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

const LIMITS: Record<RateBucket, Window[]> = {
  general: [
    { limit: 100, ms: MINUTE, label: '00:01:00' },
    { limit: 1500, ms: HOUR, label: '01:00:00' },
  ],
  hunting: [
    { limit: 45, ms: MINUTE, label: '00:01:00' },
    { limit: 1500, ms: HOUR, label: '01:00:00' },
  ],
  // Graph documents a per-minute quota only for runHuntingQuery.
  graphHunting: [{ limit: 45, ms: MINUTE, label: '00:01:00' }],
  investigation: [{ limit: 50, ms: HOUR, label: '01:00:00' }],
  // alerts/batchUpdate has a quota of its own, far below the general one.
  alertUpdates: [
    { limit: 10, ms: MINUTE, label: '00:01:00' },
    { limit: 500, ms: HOUR, label: '01:00:00' },
  ],
  // Graph: any operation on security alerts, each request of a $batch counted on its own.
  graphAlerts: [{ limit: 150, ms: MINUTE, label: '00:01:00' }],
};

export interface RateLimitedCaller {
  tenantId: string;
  clientId: string;
}

export interface RateLimitVerdict {
  retryAfterSeconds: number;
  message: string;
}

export class RateLimiter {
  private readonly calls = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    public enabled: boolean,
  ) {}

  /**
   * Counts one call of the app `clientId` of `tenantId` against each bucket, or — when a quota is
   * used up — counts nothing and says how long to wait. Rejected calls do not extend the window.
   */
  check(caller: RateLimitedCaller, buckets: RateBucket[], route = ''): RateLimitVerdict | undefined {
    if (!this.enabled) return undefined;
    const now = this.clock();
    const app = `${caller.tenantId.toLowerCase()}|${caller.clientId.toLowerCase()}`;
    const key = (bucket: RateBucket) => (bucket === 'general' ? `${bucket}|${route}` : bucket);
    for (const bucket of buckets) {
      const history = this.history(app, key(bucket), now);
      for (const window of LIMITS[bucket]) {
        const inWindow = history.filter((t) => t > now - window.ms);
        if (inWindow.length >= window.limit) {
          // The call becomes possible once the oldest counted call leaves the window.
          const oldest = inWindow[inWindow.length - window.limit];
          return {
            retryAfterSeconds: Math.max(1, Math.ceil((oldest + window.ms - now) / 1000)),
            message: `API calls quota exceeded! maximum allowed ${window.limit} per ${window.label}`,
          };
        }
      }
    }
    for (const bucket of buckets) this.history(app, key(bucket), now).push(now);
    return undefined;
  }

  reset(): void {
    this.calls.clear();
  }

  private history(app: string, bucket: string, now: number): number[] {
    const key = `${app}|${bucket}`;
    const kept = (this.calls.get(key) ?? []).filter((t) => t > now - HOUR);
    this.calls.set(key, kept);
    return kept;
  }
}
