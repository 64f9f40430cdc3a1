import type { Credentials } from '@app/common';
import { createHash } from 'node:crypto';
import { Deadline } from './deadline';

/**
 * Everything one relay request needs to talk to Defender: whose credentials, until when, and a
 * memo so a lookup shared by several sightings (machine, network info, file profile) is made
 * once per request.
 */
export class DefenderContext {
  private readonly memo = new Map<string, Promise<unknown>>();
  /** Rate-limit slots this request reserved ahead (see DefenderHttpClient.reserve). */
  private readonly reserved = new Map<string, number>();

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

  credit(bucket: string, slots: number): void {
    this.reserved.set(bucket, (this.reserved.get(bucket) ?? 0) + slots);
  }

  /** Uses one reserved slot of `bucket`, if any is left. */
  takeReserved(bucket: string): boolean {
    const left = this.reserved.get(bucket) ?? 0;
    if (left === 0) return false;
    this.reserved.set(bucket, left - 1);
    return true;
  }

  dispose(): void {
    this.deadline.dispose();
  }
}

/** A stable, non-reversible key for one credential (the secret is only hashed). */
export function credentialIdentity(c: Credentials): string {
  return createHash('sha256').update([c.tenantId, c.clientId, c.clientSecret].join('\u0000')).digest('base64url');
}
