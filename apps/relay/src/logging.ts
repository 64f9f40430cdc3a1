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

// No nestjs-pino middleware (`forRoutes: []`): RequestLogging's Fastify hooks do the same for a fraction of the CPU.
export function loggingOptions(server: ConfigType<typeof serverConfig>): Params {
  const logger = pino({ level: server.logLevel, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
  return { pinoHttp: { logger }, forRoutes: [] };
}

const FRAMEWORK_CONTEXTS = new Set(['NestFactory', 'NestApplication', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** Nest's start-up chatter (~35 lines) at debug, so that info shows the relay's own summary; warnings stay. */
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
