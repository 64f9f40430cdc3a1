import { RelayError } from '@app/common';
import { RetryReason } from './error-mapping';

/** A failed attempt: the error to report, and whether and when another attempt may help. */
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

/**
 * Whether to try again. Reads are retried on throttling, gateway errors, timeouts and
 * resets. A mutating call only when Defender provably never received it (connection refused).
 */
export function shouldRetry(failure: AttemptFailure, idempotent: boolean): boolean {
  if (!failure.reason) return false;
  return idempotent || failure.reason === 'refused';
}

/** `Retry-After` when Defender gave one, else full-jitter exponential backoff. */
export function retryDelay(failure: AttemptFailure, attempt: number, random: () => number = Math.random): number {
  if (failure.retryAfterMs !== undefined) return failure.retryAfterMs;
  const cap = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.floor(cap / 2 + (random() * cap) / 2);
}
