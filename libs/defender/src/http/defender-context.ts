import type { Credentials } from '@app/common';
import { Deadline } from './deadline';

/**
 * Everything one relay request needs to talk to Defender: whose credentials, until when, and a
 * memo so a lookup shared by several sightings (machine, network info, file profile) is made
 * once per request (C-36).
 */
export class DefenderContext {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    readonly credentials: Credentials,
    readonly deadline: Deadline,
  ) {}

  /** Runs `load` once per key for this request; concurrent callers share the same promise. */
  once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let value = this.memo.get(key) as Promise<T> | undefined;
    if (!value) {
      value = load();
      this.memo.set(key, value);
    }
    return value;
  }

  dispose(): void {
    this.deadline.dispose();
  }
}
