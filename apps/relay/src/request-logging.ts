import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Params, PARAMS_PROVIDER_TOKEN } from 'nestjs-pino';
import { storage, Store } from 'nestjs-pino/storage';
import type { Bindings, Level, Logger } from 'pino';
import { REDACT_PATHS } from './logging';

// Probes would drown the request lines.
const UNLOGGED_ROUTES = new Set(['/watchdog']);

// A request line's assigned fields sit at the top; the wildcard set would search every nested object, costing more than the write.
const REQUEST_LINE_REDACT_PATHS = [...new Set(REDACT_PATHS.map((path) => path.replace(/^\*\./, '')).filter((path) => !path.includes('.')))];

// Two Fastify hooks instead of pino-http's middleware: see docs/performance.md.
@Injectable()
export class RequestLogging implements OnModuleInit {
  private readonly root: Logger;
  private readonly lines: Logger;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(PARAMS_PROVIDER_TOKEN) params: Params,
  ) {
    this.root = (params.pinoHttp as { logger: Logger }).logger;
    this.lines = this.root.child({}, { redact: { paths: REQUEST_LINE_REDACT_PATHS, censor: '[redacted]' } });
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', (request, reply, done) => {
      if (UNLOGGED_ROUTES.has(request.routeOptions.url ?? '')) return done();
      const scope = new RequestScope(this.root, { req: { id: request.id, method: request.method, url: request.url } });
      reply.raw.once('close', () => writeRequestLine(this.lines, scope, request, reply));
      // nestjs-pino reads the context through its own Store type; RequestScope offers what it uses.
      storage.run(scope as unknown as Store, done);
    });
  }
}

function writeRequestLine(lines: Logger, scope: RequestScope, request: FastifyRequest, reply: FastifyReply): void {
  const res = reply.raw;
  const statusCode = res.headersSent ? res.statusCode : null;
  const line = { ...scope.bindings, res: { statusCode }, responseTime: Date.now() - scope.startedAt };
  if (statusCode !== null && statusCode >= 500) {
    lines.error({ ...line, err: new Error(`failed with status code ${statusCode}`) }, 'request errored');
  } else {
    lines.info(line, !request.raw.readableAborted && res.writableEnded ? 'request completed' : 'request aborted');
  }
}

/** nestjs-pino's Store shape; `assign` only adds bindings, and a pino child is made only when a line is written. */
export class RequestScope {
  readonly startedAt = Date.now();
  private pino?: Logger;

  constructor(
    private readonly root: Logger,
    readonly bindings: Bindings,
  ) {}

  get logger(): this {
    return this;
  }

  set logger(_same: this) {}

  readonly responseLogger = { setBindings: (fields: Bindings) => this.child(fields) };

  child(fields: Bindings): this {
    Object.assign(this.bindings, fields);
    this.pino = undefined;
    return this;
  }

  trace(...args: unknown[]): void {
    this.write('trace', args);
  }
  debug(...args: unknown[]): void {
    this.write('debug', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }

  private write(level: Level, args: unknown[]): void {
    if (!this.root.isLevelEnabled(level)) return;
    const logger = (this.pino ??= this.root.child(this.bindings));
    (logger[level] as (...line: unknown[]) => void).apply(logger, args);
  }
}
