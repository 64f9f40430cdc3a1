import { validateSync } from 'class-validator';
import { RelayError } from '../errors';

/** Build the DTO from only the fields the relay reads, so nothing else in a body is walked. */
export function validateDto<T extends object>(dto: T, where?: string): T {
  const [error] = validateSync(dto, { stopAtFirstError: true });
  if (!error) return dto;
  const message = Object.values(error.constraints ?? {})[0] ?? `'${error.property}' is invalid`;
  throw new RelayError('invalid payload', `Invalid JSON payload received: ${where === undefined ? '' : `${where}: `}${message}`);
}
