import { RelayError } from '@app/common';
import { RetryReason } from './error-mapping';

export class AttemptFailure extends Error {
  constructor(
    readonly error: RelayError,
    readonly reason?: RetryReason,
    /** From `Retry-After`, for throttled answers. */
    readonly retryAfterMs?: number,
  ) {
    super(error.message);
  }
}

export const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = 200;
const MAX_DELAY_MS = 5_000;

/** A mutating call is retried only when Defender provably never received it (connection refused). */
export function shouldRetry(failure: AttemptFailure, idempotent: boolean): boolean {
  if (!failure.reason) return false;
  return idempotent || failure.reason === 'refused';
}

export function retryDelay(failure: AttemptFailure, attempt: number, random: () => number = Math.random): number {
  if (failure.retryAfterMs !== undefined) return failure.retryAfterMs;
  const cap = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.floor(cap / 2 + (random() * cap) / 2);
}
