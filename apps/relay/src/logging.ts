import { serverConfig } from '@app/common';
import type { ConfigType } from '@nestjs/config';
import type { Params } from 'nestjs-pino';
import { pino } from 'pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Paths pino must never print: credentials and tokens, wherever they appear. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.authorization',
  '*.Authorization',
  '*.client_secret',
  '*.clientSecret',
  '*.access_token',
  '*.accessToken',
  '*.secretKey',
  'err.config',
  'err.request',
  'err.response',
];

/**
 * Structured JSON logs to stdout. nestjs-pino's middleware is not used (`forRoutes: []`): the
 * request lines and the request context come from `RequestLogging`'s Fastify hooks, which do the
 * same for a fraction of the CPU; this logger is the one they and every Nest logger write to.
 */
export function loggingOptions(server: ConfigType<typeof serverConfig>): Params {
  const logger = pino({ level: server.logLevel, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
  return { pinoHttp: { logger }, forRoutes: [] };
}

/** Keeps a caller's X-Request-Id when it is sane, so logs can be correlated across hops. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
}
