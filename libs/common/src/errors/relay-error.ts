export type ErrorCode =
  | 'authorization error'
  | 'permission denied'
  | 'invalid payload'
  | 'invalid request'
  | 'unsupported type'
  | 'too many requests'
  | 'internal error'
  | 'not found'
  | 'service unavailable'
  | 'timeout'
  | 'unknown'
  | 'health check failed';

export type ErrorType = 'fatal' | 'error' | 'warning';

export interface RelayErrorBody {
  type: ErrorType;
  code: ErrorCode;
  message: string;
}

export interface RelayErrorOptions {
  type?: ErrorType;
  cause?: unknown;
  retryAfterSeconds?: number;
  upstreamStatus?: number;
}

/** Messages are short, name the cause, and never carry secrets, tokens or stack traces. */
export class RelayError extends Error {
  readonly type: ErrorType;
  readonly retryAfterSeconds?: number;
  readonly upstreamStatus?: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: RelayErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'RelayError';
    this.type = options.type ?? 'fatal';
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.upstreamStatus = options.upstreamStatus;
  }

  toBody(): RelayErrorBody {
    return { type: this.type, code: this.code, message: this.message };
  }
}

/** Keeps user-supplied text short and printable before it goes into a message. */
export function preview(value: unknown, max = 64): string {
  const text = String(value).replace(/[\u0000-\u001f\u007f]/g, ' ');
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
