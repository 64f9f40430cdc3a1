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


const ISO_TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d{1,7})?Z$/;

/**
 * `iso` moved by `ms` (whole seconds), keeping its fractional digits as written: seed times have
 * seven, and moving them must not change how they sort or look.
 */
export function shiftIsoTime(iso: string, ms: number): string {
  const match = ISO_TIME.exec(iso);
  if (!match) return iso;
  const seconds = new Date(Date.parse(`${match[1]}Z`) + ms).toISOString().slice(0, 19);
  return `${seconds}${match[2] ?? ''}Z`;
}

/** Moves every ISO-8601 UTC timestamp string found in `value` (walked deeply, changed in place) by `ms`. */
export function shiftTimes<T>(value: T, ms: number): T {
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return shiftIsoTime(node, ms);
    if (Array.isArray(node)) node.forEach((item, i) => (node[i] = walk(item)));
    else if (node !== null && typeof node === 'object') for (const [key, item] of Object.entries(node)) (node as Record<string, unknown>)[key] = walk(item);
    return node;
  };
  return walk(value) as T;
}
