/** Milliseconds since the epoch; injectable so tests can move time. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

let tick = 0;

/**
 * ISO-8601 with 7 fractional digits, as Defender writes timestamps. The digits below the
 * millisecond come from a counter so timestamps made in the same millisecond still sort.
 */
export function isoTime(ms: number): string {
  tick = (tick + 1) % 10_000;
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_m, frac: string) => `.${frac}${String(tick).padStart(4, '0')}Z`);
}

/** Epoch seconds, as Azure AD puts them in `expires_on`/`not_before`. */
export const epochSeconds = (ms: number): number => Math.floor(ms / 1000);

