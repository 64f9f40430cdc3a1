import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

// Its own registry, not prom-client's global one: several app instances in one process (tests) never share counters.
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'relay_requests_total',
    help: 'Relay requests by route and outcome (ok, partial, error, client_error)',
    labelNames: ['route', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly requestDuration = new Histogram({
    name: 'relay_request_duration_seconds',
    help: 'Relay request latency by route',
    labelNames: ['route'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25],
    registers: [this.registry],
  });

  readonly defenderCalls = new Counter({
    name: 'relay_defender_calls_total',
    help: 'Calls to Azure AD, Defender and Graph by API and HTTP status (0 = no answer)',
    labelNames: ['api', 'status'] as const,
    registers: [this.registry],
  });

  readonly defenderDuration = new Histogram({
    name: 'relay_defender_call_duration_seconds',
    help: 'Latency of calls to Defender and Graph by API',
    labelNames: ['api'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly tokenCache = new Counter({
    name: 'relay_token_cache_total',
    help: 'Azure AD token cache lookups by result (hit, miss)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly rateLimitWaits = new Histogram({
    name: 'relay_rate_limit_wait_seconds',
    help: 'Time calls waited for the client-side Defender rate limiter',
    labelNames: ['bucket'] as const,
    buckets: [0.01, 0.1, 0.5, 1, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly rateLimitRefusals = new Counter({
    name: 'relay_rate_limit_refusals_total',
    help: 'Calls refused because the wait for a rate-limit slot would pass the request deadline',
    labelNames: ['bucket'] as const,
    registers: [this.registry],
  });

  readonly retries = new Counter({
    name: 'relay_defender_retries_total',
    help: 'Retried Defender calls by reason (throttled, unavailable, timeout, reset, refused, token)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
