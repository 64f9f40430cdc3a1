import { setTimeout as sleep } from 'node:timers/promises';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AccessRequirement, authorize } from '../auth/bearer.guard';
import { IssuedToken } from '../auth/token.store';
import { ActiveFault } from '../controls/faults.control';
import { RateBucket } from '../controls/rate-limit.control';
import { StatsEntry } from '../controls/stats.control';
import { RouteKey } from '../model/route-key';
import { asRecord, stringRecord } from '../util/guards.util';
import { isoTime } from '../util/time.util';
import {
  AadError,
  aadErrorBody,
  ApiError,
  codeForStatus,
  defenderErrorBody,
  ErrorFamily,
  graphErrorBody,
  messageForStatus,
} from './api-error';
import { answersOn } from './hosts';
import { SandboxServices } from './sandbox.services';

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface CallContext {
  request: FastifyRequest;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  /** The caller's token (routes with `access`). */
  token: IssuedToken | undefined;
  entry: StatsEntry;
  /** `http://host:port` as the client addressed the sandbox. */
  origin: string;
  /** The mount prefix the call came through, e.g. `/api` or `/api/v1.0`. */
  prefix: string;
}

export interface RouteDefinition {
  key: RouteKey;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path below each prefix, Fastify syntax (`/machines/:id`). */
  path: string;
  prefixes: string[];
  family: ErrorFamily;
  access?: AccessRequirement;
  rateBuckets?: RateBucket[];
  handler(call: CallContext): RouteResult | Promise<RouteResult>;
}

/** Result of a call that must never be answered (hang fault, or the sandbox closed meanwhile). */
const NO_ANSWER = Symbol('no-answer');

/**
 * Mounts routes behind the common pipeline:
 * stats → latency → fault → bearer auth → rate limit → handler → envelope.
 */
export class RoutePipeline {
  private readonly entries = new WeakMap<FastifyRequest, StatsEntry>();
  private readonly unanswered = new WeakSet<FastifyRequest>();
  private readonly routes = new Map<string, RouteDefinition>();

  constructor(
    private readonly app: FastifyInstance,
    private readonly services: SandboxServices,
  ) {
    app.addHook('onResponse', async (request, reply) => this.finish(request, reply));
  }

  register(def: RouteDefinition): void {
    for (const prefix of def.prefixes) {
      const url = `${prefix}${def.path}`;
      this.routes.set(`${def.method} ${url}`, def);
      this.app.route({ method: def.method, url, handler: (request, reply) => this.handle(def, prefix, request, reply) });
    }
  }

  /** JSON 404 for unknown routes and route envelopes for errors raised before a handler ran. */
  installFallbacks(): void {
    this.app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0].slice(0, 200);
      return send(reply, {
        status: 404,
        body: defenderErrorBody('NotFound', `No HTTP resource was found that matches the request URI '${path}'.`),
      });
    });
    this.app.setErrorHandler((err, request, reply) => {
      const def = this.routeOf(request);
      // Defender answers an unreadable hunting body with "Missing query.".
      const error =
        def?.key === 'hunting' && err instanceof ApiError && err.status === 400
          ? new ApiError(400, 'InvalidRequestBody', 'Missing query.')
          : err;
      return send(reply, this.errorResult(error, def?.family ?? 'defender', request));
    });
  }

  /** The route a request matched (also for requests that failed before their handler). */
  routeOf(request: FastifyRequest): RouteDefinition | undefined {
    return this.routes.get(`${request.method} ${request.routeOptions.url ?? ''}`);
  }

  private async handle(def: RouteDefinition, prefix: string, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const entry = this.begin(def.key, request);
    let result: RouteResult | typeof NO_ANSWER;
    try {
      result = await this.run(def, prefix, request, entry);
    } catch (err) {
      result = this.errorResult(err, def.family, request);
    }
    if (result === NO_ANSWER) {
      this.unanswered.add(request);
      reply.raw.destroy();
      return reply;
    }
    return send(reply, result);
  }

  private async run(
    def: RouteDefinition,
    prefix: string,
    request: FastifyRequest,
    entry: StatsEntry,
  ): Promise<RouteResult | typeof NO_ANSWER> {
    const { services } = this;
    if (!answersOn(def.family, request.host)) {
      throw new ApiError(404, 'NotFound', `No HTTP resource was found that matches the request URI '${request.host.slice(0, 100)}${request.url.split('?')[0].slice(0, 200)}'.`);
    }
    // Attribute the call to the token's tenant up front, so faulted calls are counted per tenant too.
    const bearer = bearerToken(request);
    const known = bearer ? services.tokens.lookup(bearer) : undefined;
    if (known) services.stats.attribute(entry, known.tenantId, known.clientId);

    const latency = services.latency.get(def.key);
    if (latency > 0 && !(await this.wait(latency))) return NO_ANSWER;

    const fault = services.faults.take(def.key);
    if (fault) {
      if (fault.delayMs && !(await this.wait(fault.delayMs))) return NO_ANSWER;
      if (fault.hang) {
        await this.wait(Number.POSITIVE_INFINITY);
        return NO_ANSWER;
      }
      if (fault.status !== undefined) return this.faultResult(fault, def.family, request);
    }

    let token: IssuedToken | undefined;
    if (def.access) {
      token = authorize(request.headers.authorization, services.tokens, def.access);
      if (def.rateBuckets) {
        const verdict = services.rateLimiter.check(token, def.rateBuckets, def.key);
        if (verdict) {
          throw new ApiError(429, 'TooManyRequests', verdict.message, { 'Retry-After': String(verdict.retryAfterSeconds) });
        }
      }
    }
    services.state.settle();
    return def.handler({
      request,
      params: stringRecord(request.params),
      query: stringRecord(request.query),
      body: request.body,
      token,
      entry,
      origin: originOf(request),
      prefix,
    });
  }

  /** Sleeps `ms`; false when the sandbox closed meanwhile. */
  private async wait(ms: number): Promise<boolean> {
    const { shutdown } = this.services;
    if (shutdown.aborted) return false;
    if (!Number.isFinite(ms)) {
      await new Promise<void>((resolve) => shutdown.addEventListener('abort', () => resolve(), { once: true }));
      return false;
    }
    try {
      await sleep(ms, undefined, { signal: shutdown });
      return true;
    } catch {
      return false;
    }
  }

  private faultResult(fault: ActiveFault, family: ErrorFamily, request: FastifyRequest): RouteResult {
    const status = fault.status ?? 500;
    const headers: Record<string, string> = {};
    if (fault.retryAfter !== undefined) headers['Retry-After'] = String(Math.ceil(fault.retryAfter));
    if (fault.body !== undefined) return { status, body: fault.body, headers };
    const error =
      family === 'aad'
        ? new AadError(status, status >= 500 ? 'temporarily_unavailable' : 'invalid_request', status >= 500 ? 90033 : 90000, messageForStatus(status))
        : new ApiError(status, codeForStatus(status), messageForStatus(status, fault.route === 'hunting' || fault.route === 'graph.hunting'));
    const result = this.errorResult(error, family, request);
    return { ...result, headers: { ...result.headers, ...headers } };
  }

  /** Converts anything thrown by a route into the envelope of the service it imitates. */
  errorResult(err: unknown, family: ErrorFamily, request: FastifyRequest): RouteResult {
    const now = this.services.clock();
    if (err instanceof AadError) return { status: err.status, body: aadErrorBody(err, now, originOf(request)) };
    const api =
      err instanceof ApiError
        ? err
        : new ApiError(statusOf(err), codeForStatus(statusOf(err)), statusOf(err) >= 500 ? messageForStatus(500) : errorMessage(err));
    const headers = api.headers;
    switch (family) {
      case 'graph':
        return { status: api.status, body: graphErrorBody(api.code, api.message, now), headers };
      case 'aad': {
        const aad = new AadError(api.status, api.status >= 500 ? 'temporarily_unavailable' : 'invalid_request', 90000, api.message);
        return { status: api.status, body: aadErrorBody(aad, now, originOf(request)), headers };
      }
      default:
        return { status: api.status, body: defenderErrorBody(api.code, api.message), headers };
    }
  }

  private begin(route: RouteKey, request: FastifyRequest): StatsEntry {
    const existing = this.entries.get(request);
    if (existing) return existing;
    const entry = this.services.stats.begin({
      route,
      method: request.method,
      path: request.url.split('?')[0],
      query: stringRecord(request.query),
      body: redactSecrets(request.body),
      at: isoTime(this.services.clock()),
    });
    this.entries.set(request, entry);
    return entry;
  }

  private finish(request: FastifyRequest, reply: FastifyReply): void {
    if (this.unanswered.has(request)) return;
    const def = this.routeOf(request);
    if (!def) return;
    // Calls rejected before their handler (e.g. malformed JSON) are logged here.
    this.begin(def.key, request).status = reply.statusCode;
  }
}

function send(reply: FastifyReply, result: RouteResult): FastifyReply {
  reply.code(result.status);
  for (const [name, value] of Object.entries(result.headers ?? {})) reply.header(name, value);
  if (result.body === undefined) return reply.send();
  if (typeof result.body === 'string') {
    reply.type(result.body.trimStart().startsWith('<') ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8');
    return reply.send(result.body);
  }
  reply.type('application/json; charset=utf-8');
  return reply.send(JSON.stringify(result.body));
}

export function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

function bearerToken(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

function statusOf(err: unknown): number {
  const record = asRecord(err);
  const status = record?.statusCode;
  return typeof status === 'number' && status >= 400 && status <= 599 ? status : 500;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : 'Request failed';
}

function redactSecrets(body: unknown): unknown {
  const record = asRecord(body);
  if (!record) return body;
  const copy = { ...record };
  for (const key of ['client_secret', 'client_assertion']) if (key in copy) copy[key] = '[redacted]';
  return copy;
}
