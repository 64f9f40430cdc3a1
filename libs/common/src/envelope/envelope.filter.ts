import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Inject, Logger, NotFoundException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpAdapterHost } from '@nestjs/core';
import { serverConfig } from '../config';
import { internalError, RelayError } from '../errors';
import { envelope } from './envelope';

export interface FilteredResponse {
  status: number;
  body: unknown;
}

/** Contract errors are HTTP 200 envelopes; transport errors keep their status; the rest is an `internal error` with a logged id. */
export function errorResponse(exception: unknown, logger: Logger, bodyLimit?: number): FilteredResponse {
  if (exception instanceof RelayError) return { status: HttpStatus.OK, body: envelope(undefined, [exception.toBody()]) };
  const status = statusOf(exception);
  if (status === HttpStatus.PAYLOAD_TOO_LARGE) {
    const limit = bodyLimit ? ` of ${bodyLimit} bytes` : '';
    return { status: HttpStatus.OK, body: envelope(undefined, [{ type: 'fatal', code: 'invalid payload', message: `Invalid JSON payload received: the body is larger than the limit${limit}` }]) };
  }
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    // Fastify's own errors arrive as a bare string: answer JSON all the same.
    const body = typeof response === 'string' ? { statusCode: exception.getStatus(), message: response } : response;
    return { status: exception.getStatus(), body };
  }
  if (status !== undefined && status >= 400 && status < 500) {
    // Fastify's own client errors (bad framing, unsupported encoding): keep the status, no details.
    return { status, body: { statusCode: status, error: 'Bad Request', message: 'The request could not be read' } };
  }
  return { status: HttpStatus.OK, body: envelope(undefined, [internalError(exception, logger)]) };
}

function statusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  const status = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

@Catch()
export class EnvelopeFilter implements ExceptionFilter {
  private readonly logger = new Logger(EnvelopeFilter.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(serverConfig.KEY) private readonly server: ConfigType<typeof serverConfig>,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const allowed = exception instanceof NotFoundException ? this.otherMethods(request) : [];
    if (allowed.length > 0) {
      // The route exists, the method does not: the real status is 405.
      const reply = host.switchToHttp().getResponse<FastifyReply>();
      reply.header('allow', allowed.join(', '));
      this.adapterHost.httpAdapter.reply(reply, { statusCode: 405, error: 'Method Not Allowed', message: `Use ${allowed.join(' or ')} for this route` }, 405);
      return;
    }
    const { status, body } = errorResponse(exception, this.logger, this.server.bodyLimit);
    this.adapterHost.httpAdapter.reply(host.switchToHttp().getResponse(), body, status);
  }

  private otherMethods(request: FastifyRequest): string[] {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const url = request.url.split('?')[0];
    return METHODS.filter((method) => method !== request.method && fastify.hasRoute({ method, url }));
  }
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
