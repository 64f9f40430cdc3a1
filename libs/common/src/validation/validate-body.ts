import { validateSync } from 'class-validator';
import { ErrorCode, RelayError } from '../errors';

/**
 * Marks a constraint whose failure is a request for something that does not exist rather than a
 * malformed body: `@IsIn(IDS, { message, context: failsAs('invalid request') })`.
 */
export function failsAs(code: ErrorCode): { code: ErrorCode } {
  return { code };
}

/**
 * The one way request-body DTOs are checked: class-validator, first failure only. It becomes
 * `invalid payload` ("Invalid JSON payload received: …", `where` naming the item), or, when the
 * failed constraint says so with `failsAs`, that code with the constraint's message as written.
 */
export function validateBody<T extends object>(dto: T, where = ''): T {
  const [error] = validateSync(dto, { stopAtFirstError: true });
  if (!error) return dto;
  const [constraint, message] = Object.entries(error.constraints ?? {})[0] ?? ['', `'${error.property}' is invalid`];
  const code = (error.contexts?.[constraint] as { code?: ErrorCode } | undefined)?.code;
  if (code) throw new RelayError(code, message);
  throw new RelayError('invalid payload', `Invalid JSON payload received: ${where}${message}`);
}

/** The body as an object whose named fields a pipe reads, or `invalid payload` saying what was expected. */
export function bodyObject(body: unknown, expected: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RelayError('invalid payload', `Invalid JSON payload received: expected ${expected}`);
  }
  return body as Record<string, unknown>;
}
