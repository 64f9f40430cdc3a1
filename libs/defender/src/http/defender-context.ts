import type { Credentials } from '@app/common';
import { createHash } from 'node:crypto';
import { Deadline } from './deadline';

/**
 * Everything one relay request needs to talk to Defender: whose credentials, until when, and a
 * memo so a lookup shared by several sightings (machine or file profile) is made
 * once per request.
 */
export class DefenderContext {
  private readonly memo = new Map<string, Promise<unknown>>();

  /**
   * Who the caller is to Defender: tenant, client id and a hash of the secret. Every cross-request
   * cache and shared in-flight call is keyed by it, so one credential never sees data (or joins a
   * fetch) obtained with another.
   */
  readonly identity: string;

  constructor(
    readonly credentials: Credentials,
    readonly deadline: Deadline,
  ) {
    this.identity = credentialIdentity(credentials);
  }

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

/** A stable, non-reversible key for one credential (the secret is only hashed). */
export function credentialIdentity(c: Credentials): string {
  return createHash('sha256').update([c.tenantId, c.clientId, c.clientSecret].join('\u0000')).digest('base64url');
}
