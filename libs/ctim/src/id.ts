import { randomUUID } from 'node:crypto';

/**
 * A CTIM transient id, `transient:<kind>-<uuid v4>` (matches CTIM's `transient:.*`;
 * the original relay's `transient-sighting:<uuid>` did not).
 */
export function transientId(kind: string): string {
  return `transient:${kind}-${randomUUID()}`;
}
