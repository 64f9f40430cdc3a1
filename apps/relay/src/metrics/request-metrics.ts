import { MetricsService } from '@app/common';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

type Outcome = 'ok' | 'partial' | 'error' | 'client_error';

// One Fastify hook sees every JSON answer once, errors included; a Nest interceptor cost more CPU than a /refer.
@Injectable()
export class RequestMetrics implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('preSerialization', (request, reply, payload, done) => {
      this.record(request, reply, payload);
      done(null, payload);
    });
  }

  private record(request: FastifyRequest, reply: FastifyReply, body: unknown): void {
    // Unknown paths (and wrong methods on known ones) share one label, so callers cannot grow the label set.
    const route = request.is404 ? undefined : request.routeOptions.url;
    this.metrics.requests.inc({ route: route ?? 'unmatched', outcome: outcomeOf(reply.statusCode, body) });
    if (route) this.metrics.requestDuration.observe({ route }, reply.elapsedTime / 1000);
  }
}

export function outcomeOf(status: number, body: unknown): Outcome {
  if (status >= 400) return 'client_error';
  const errors = (body as { errors?: Array<{ type?: string }> } | null)?.errors;
  if (!Array.isArray(errors) || errors.every((e) => e.type === 'warning')) return 'ok';
  return (body as { data?: unknown }).data === undefined ? 'error' : 'partial';
}
