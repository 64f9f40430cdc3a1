/** A plain JSON object (not an array, not null), or undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.fromEntries(Object.entries(value));
}

export const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);

/** Flattens Fastify's params/querystring objects to string values (first value of repeated keys). */
export function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const record = asRecord(value);
  if (!record) return out;
  for (const [key, v] of Object.entries(record)) {
    if (typeof v === 'string') out[key] = v;
    else if (Array.isArray(v) && typeof v[0] === 'string') out[key] = v[0];
  }
  return out;
}
