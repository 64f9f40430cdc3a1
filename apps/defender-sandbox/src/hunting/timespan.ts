/** The time window a Graph hunting query runs over: rows with `start <= Timestamp <= end`. */
export interface TimeWindow {
  start: number;
  end: number;
}

export class TimespanError extends Error {}

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const MAX_DAYS = 10 * 365;

/**
 * Graph's `Timespan` in the forms Microsoft documents: a duration back from now (`P30D`), a start
 * (`2024-02-01T08:00:00Z`, until now), `start/end`, `duration/end` and `start/duration`.
 * Years and months are refused: their length is not fixed.
 */
export function parseTimespan(value: string, now: number): TimeWindow {
  const parts = value.trim().split('/');
  if (parts.length === 1) {
    const [only] = parts;
    if (only.startsWith('P')) return { start: now - duration(only), end: now };
    return ordered(date(only), now);
  }
  if (parts.length !== 2) throw new TimespanError(`'${value}' is not a time span`);
  const [first, second] = parts;
  if (first.startsWith('P') && second.startsWith('P')) throw new TimespanError(`'${value}' gives no date`);
  if (first.startsWith('P')) {
    const end = date(second);
    return ordered(end - duration(first), end);
  }
  const start = date(first);
  return ordered(start, second.startsWith('P') ? start + duration(second) : date(second));
}

function date(text: string): number {
  const ms = DATE.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) throw new TimespanError(`'${text}' is not an ISO 8601 date`);
  return ms;
}

function duration(text: string): number {
  const m = DURATION.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) throw new TimespanError(`'${text}' is not an ISO 8601 duration in weeks, days, hours, minutes or seconds`);
  const [weeks, days, hours, minutes, seconds] = m.slice(1).map((v) => Number(v ?? 0));
  const ms = ((((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000;
  if (ms > MAX_DAYS * 86_400_000) throw new TimespanError(`'${text}' is longer than ${MAX_DAYS} days`);
  return ms;
}

function ordered(start: number, end: number): TimeWindow {
  if (start > end) throw new TimespanError('the time span ends before it starts');
  return { start, end };
}
