import { randomUUID } from 'node:crypto';

/** A provider, so tests can pin the ids. */
export abstract class IdGenerator {
  abstract uuid(): string;
}

export class RandomIdGenerator extends IdGenerator {
  uuid(): string {
    return randomUUID();
  }
}

// Matches CTIM's `transient:.*`; the original relay's `transient-sighting:<uuid>` did not.
export function transientId(kind: string, uuid: string): string {
  return `transient:${kind}-${uuid}`;
}
