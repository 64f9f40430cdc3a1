import { RelayError } from '../errors';

/** Every guard failure is an `authorization error` with the relay family's prefix. */
export function authFailure(reason: string, cause?: unknown): RelayError {
  return new RelayError('authorization error', `Authorization failed: ${reason}`, { cause });
}
