import { randomUUID } from 'node:crypto';

/** Which service a route imitates; it decides the shape of error bodies. */
export type ErrorFamily = 'aad' | 'defender' | 'graph' | 'plain';

/** An error answer of a Defender/Graph route: HTTP status + envelope code + message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** An Azure AD token-endpoint error (`{"error":"invalid_client","error_description":…}`). */
export class AadError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly aadCode: number,
    readonly description: string,
  ) {
    super(`AADSTS${aadCode}: ${description}`);
    this.name = 'AadError';
  }
}

export interface DefenderErrorBody {
  error: { code: string; message: string; target: string };
}

export function defenderErrorBody(code: string, message: string): DefenderErrorBody {
  return { error: { code, message, target: randomUUID() } };
}

export interface GraphErrorBody {
  error: { code: string; message: string; innerError: { date: string; 'request-id': string; 'client-request-id': string } };
}

export function graphErrorBody(code: string, message: string, nowMs: number): GraphErrorBody {
  const id = randomUUID();
  return {
    error: {
      code,
      message,
      innerError: { date: new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, ''), 'request-id': id, 'client-request-id': id },
    },
  };
}

/** Default envelope code for a status (used by faults without a body). */
export function codeForStatus(status: number): string {
  const codes: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    408: 'RequestTimeout',
    409: 'Conflict',
    429: 'TooManyRequests',
    500: 'InternalServerError',
    502: 'BadGateway',
    503: 'ServiceUnavailable',
    504: 'GatewayTimeout',
  };
  return codes[status] ?? (status >= 500 ? 'InternalServerError' : 'BadRequest');
}

export function messageForStatus(status: number, hunting = false): string {
  if (status === 429) return `API calls quota exceeded! maximum allowed ${hunting ? 45 : 100} per 00:01:00`;
  if (status === 500) return 'No error message, retry the operation';
  if (status === 503) return 'The service is temporarily unavailable. Please retry later.';
  if (status >= 500) return 'An upstream error occurred. Please retry later.';
  return `Injected fault (HTTP ${status})`;
}

export interface AadErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
}

/** Azure AD's error envelope; `error_uri` follows the host that was called. */
export function aadErrorBody(err: AadError, nowMs: number, origin: string): AadErrorBody {
  const timestamp = new Date(nowMs).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
  const traceId = randomUUID();
  const correlationId = randomUUID();
  return {
    error: err.error,
    error_description: `AADSTS${err.aadCode}: ${err.description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [err.aadCode],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `${origin}/error?code=${err.aadCode}`,
  };
}
