export const TILE_PERIODS = ['last_hour', 'last_24_hours', 'last_7_days', 'last_30_days'] as const;
export type TilePeriod = (typeof TILE_PERIODS)[number];

export const WIDEST_PERIOD: TilePeriod = 'last_30_days';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

const LENGTH_MS: Record<TilePeriod, number> = {
  last_hour: HOUR_MS,
  last_24_hours: DAY_MS,
  last_7_days: 7 * DAY_MS,
  last_30_days: 30 * DAY_MS,
};

export interface TimeWindow {
  start: number;
  end: number;
}

export type BucketUnit = 'hour' | 'day';

export function periodWindow(period: TilePeriod, now: number): TimeWindow {
  return { start: now - LENGTH_MS[period], end: now };
}

export function inWindow(time: number, window: TimeWindow): boolean {
  return time >= window.start && time <= window.end;
}

export function bucketUnit(period: TilePeriod): BucketUnit {
  return period === 'last_hour' || period === 'last_24_hours' ? 'hour' : 'day';
}

// Epoch ms count whole UTC days (no leap seconds).
export function bucketStart(time: number, unit: BucketUnit): number {
  const size = unit === 'hour' ? HOUR_MS : DAY_MS;
  return Math.floor(time / size) * size;
}

export function bucketStarts(window: TimeWindow, unit: BucketUnit): number[] {
  const size = unit === 'hour' ? HOUR_MS : DAY_MS;
  const starts: number[] = [];
  for (let start = bucketStart(window.start, unit); start <= window.end; start += size) starts.push(start);
  return starts;
}
