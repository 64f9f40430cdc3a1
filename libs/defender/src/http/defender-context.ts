import type { Credentials } from '@app/common';
import { createHash } from 'node:crypto';
import { Deadline } from '../limits/deadline';

/** One relay request's credentials, deadline, and a memo so that any lookup shared within the request is made once. */
export class DefenderContext {
  private readonly memo = new Map<string, Promise<unknown>>();

  /** Keys every cross-request cache and shared call, so one credential never sees data obtained with another. */
  readonly identity: string;

  constructor(
    readonly credentials: Credentials,
    readonly deadline: Deadline,
  ) {
    this.identity = credentialIdentity(credentials);
  }

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

/** A stable, non-reversible key for one credential (the secret is only hashed). */
export function credentialIdentity(c: Credentials): string {
  return createHash('sha256').update([c.tenantId, c.clientId, c.clientSecret].join('\u0000')).digest('base64url');
}
