import type { LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RelayErrorBody } from './relay-error';

/** The id a user reports finds the logged stack, while the message gives nothing away. */
export function internalError(error: unknown, logger: Pick<LoggerService, 'error'>): RelayErrorBody {
  const errorId = randomUUID();
  logger.error({ errorId, err: error }, `Unhandled error ${errorId}`);
  return { type: 'fatal', code: 'internal error', message: `Internal error in the relay (error id ${errorId})` };
}
