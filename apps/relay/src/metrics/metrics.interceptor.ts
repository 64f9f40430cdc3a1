import { MetricsService } from '@app/common';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Observable, tap } from 'rxjs';

type Outcome = 'ok' | 'partial' | 'error';

/**
 * Counts answered relay requests by route and by what the caller got back (error envelopes);
 * thrown errors (guard included) are counted by the envelope filter.
 */
@Injectable()
export class MetricsInterceptor implements NestInterceptor {
  constructor(private readonly metrics: MetricsService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const route = request.routeOptions?.url ?? 'unknown';
    const stop = this.metrics.requestDuration.startTimer({ route });
    return next.handle().pipe(
      tap({
        next: (body) => {
          stop();
          this.metrics.requests.inc({ route, outcome: outcomeOf(body) });
        },
        error: () => stop(),
      }),
    );
  }
}

function outcomeOf(body: unknown): Outcome {
  const errors = (body as { errors?: Array<{ type?: string }> } | null)?.errors;
  if (!Array.isArray(errors) || errors.every((e) => e.type === 'warning')) return 'ok';
  return (body as { data?: unknown }).data === undefined ? 'error' : 'partial';
}
