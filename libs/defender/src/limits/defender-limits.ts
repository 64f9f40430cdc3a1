import type { Window } from '@app/common';

export type Bucket = 'general' | 'hunting' | 'alertUpdates';

/** Defender's published per-tenant limits; both advanced-hunting APIs share the hunting one. */
export const DEFENDER_LIMITS: Record<Bucket, readonly Window[]> = {
  general: [
    { limit: 100, windowMs: 60_000 },
    { limit: 1_500, windowMs: 3_600_000 },
  ],
  hunting: [
    { limit: 45, windowMs: 60_000 },
    { limit: 1_500, windowMs: 3_600_000 },
  ],
  // alerts/batchUpdate has its own, much smaller quota.
  alertUpdates: [
    { limit: 10, windowMs: 60_000 },
    { limit: 500, windowMs: 3_600_000 },
  ],
};
