import { serverConfig } from '@app/common';
import type { ConfigType } from '@nestjs/config';
import { LoggerService } from '@nestjs/common';
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

/** Nest's own start-up lines: one per module and per route, ~35 in all. */
const FRAMEWORK_CONTEXTS = new Set(['NestFactory', 'NestApplication', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/**
 * The app's logger with Nest's start-up chatter moved to debug, so that at info an operator sees
 * the relay's start-up summary and request lines; the framework's warnings and errors stay.
 */
export class QuietFrameworkLogger implements LoggerService {
  constructor(private readonly inner: LoggerService) {}

  log(message: unknown, ...params: unknown[]): void {
    const context = params.at(-1);
    if (typeof context === 'string' && FRAMEWORK_CONTEXTS.has(context)) this.inner.debug?.(message, ...params);
    else this.inner.log(message, ...params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.inner.error(message, ...params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.inner.warn(message, ...params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.inner.debug?.(message, ...params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.inner.verbose?.(message, ...params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.inner.fatal?.(message, ...params);
  }
}

/** Keeps a caller's X-Request-Id when it is sane, so logs can be correlated across hops. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
}
