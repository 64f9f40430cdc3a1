import { randomUUID } from 'node:crypto';

/** Where mappers draw the UUIDs of transient ids from: a provider, so tests can pin them. */
export abstract class IdGenerator {
  abstract uuid(): string;
}

export class RandomIdGenerator extends IdGenerator {
  uuid(): string {
    return randomUUID();
  }
}

/**
 * A CTIM transient id, `transient:<kind>-<uuid>` (matches CTIM's `transient:.*`; the original
 * relay's `transient-sighting:<uuid>` did not).
 */
export function transientId(kind: string, uuid: string): string {
  return `transient:${kind}-${uuid}`;
}
