import { FastifyInstance, FastifyReply } from 'fastify';
import { validateFault } from '../controls/faults.control';
import { SandboxConfig, SandboxServices } from '../http/sandbox.services';
import { isRouteKey } from '../model/route-key';
import { asRecord, stringRecord } from '../util/guards.util';

/** Sandbox-level operations the control API exposes besides the services. */
export interface SandboxOperations {
  reset(): void;
  setRateLimits(on: boolean): void;
  configure(patch: Partial<SandboxConfig>): SandboxConfig;
}

const badRequest = (reply: FastifyReply, message: string): FastifyReply =>
  reply.code(400).send({ error: { code: 'BadRequest', message } });

/** Validates a config patch from HTTP; unknown keys and wrong types are rejected. */
export function validateConfigPatch(input: unknown): Partial<SandboxConfig> {
  const body = asRecord(input);
  if (!body) throw new TypeError('config must be an object');
  const patch: Partial<SandboxConfig> = {};
  for (const [key, value] of Object.entries(body)) {
    switch (key) {
      case 'machineActionDelayMs':
      case 'tokenLifetimeSeconds':
      case 'alertBatchMaxIds':
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new TypeError(`${key} must be a non-negative number`);
        patch[key] = value;
        break;
      case 'availableMachineActions':
        if (typeof value !== 'boolean') throw new TypeError(`${key} must be a boolean`);
        patch[key] = value;
        break;
      case 'unknownLookups':
        if (value !== 'empty' && value !== 'notFound') throw new TypeError(`${key} must be empty or notFound`);
        patch[key] = value;
        break;
      case 'machineActionOutcome':
        if (value !== 'Succeeded' && value !== 'Failed') throw new TypeError(`${key} must be Succeeded or Failed`);
        patch[key] = value;
        break;
      default:
        throw new TypeError(`unknown config key '${key.slice(0, 40)}'`);
    }
  }
  return patch;
}

/** `/_sandbox/*`: the same controls as the in-process API, for scripts in other processes. */
export function registerControlRoutes(app: FastifyInstance, services: SandboxServices, ops: SandboxOperations): void {
  const guarded =
    (fn: (body: unknown, reply: FastifyReply) => FastifyReply | object) =>
    async (request: { body: unknown }, reply: FastifyReply) => {
      try {
        return fn(request.body, reply);
      } catch (err) {
        return badRequest(reply, err instanceof Error ? err.message : 'invalid request');
      }
    };

  app.get('/_sandbox/stats', async (request) => {
    const q = stringRecord(request.query);
    const route = isRouteKey(q.route) ? q.route : undefined;
    const limit = q.limit && /^\d+$/.test(q.limit) ? Number(q.limit) : undefined;
    const entries = q.entries === 'true' || q.entries === '1' ? services.stats.entries(route) : undefined;
    return {
      total: services.stats.count(),
      count: services.stats.count(route, q.tenant || undefined),
      byRoute: services.stats.byRoute(),
      ...(entries ? { entries: limit === undefined ? entries : entries.slice(-limit) } : {}),
    };
  });
  app.delete('/_sandbox/stats', async (_request, reply) => {
    services.stats.reset();
    return reply.code(204).send();
  });

  app.get('/_sandbox/faults', async () => ({ faults: services.faults.list() }));
  app.post(
    '/_sandbox/faults',
    guarded((body, reply) => {
      const specs = Array.isArray(body) ? body : [body];
      const validated = specs.map(validateFault);
      return reply.code(201).send({ ids: validated.map((spec) => services.faults.add(spec)) });
    }),
  );
  app.delete('/_sandbox/faults', async (_request, reply) => {
    services.faults.clear();
    return reply.code(204).send();
  });
  app.delete('/_sandbox/faults/:id', async (request, reply) => {
    const removed = services.faults.remove(stringRecord(request.params).id ?? '');
    return removed ? reply.code(204).send() : reply.code(404).send({ error: { code: 'NotFound', message: 'No such fault' } });
  });

  app.get('/_sandbox/latency', async () => ({ latency: services.latency.snapshot() }));
  app.post(
    '/_sandbox/latency',
    guarded((body) => {
      const b = asRecord(body);
      const route = b?.route ?? '*';
      if (route !== '*' && !isRouteKey(route)) throw new TypeError(`unknown route key '${String(route).slice(0, 40)}'`);
      if (typeof b?.ms !== 'number') throw new TypeError('ms must be a number');
      services.latency.set(route, b.ms);
      return { latency: services.latency.snapshot() };
    }),
  );
  app.delete('/_sandbox/latency', async (_request, reply) => {
    services.latency.clear();
    return reply.code(204).send();
  });

  app.post(
    '/_sandbox/rate-limits',
    guarded((body) => {
      const enabled = asRecord(body)?.enabled;
      if (typeof enabled !== 'boolean') throw new TypeError('enabled must be a boolean');
      ops.setRateLimits(enabled);
      return { enabled };
    }),
  );

  app.get('/_sandbox/config', async () => ({ ...services.config }));
  app.post(
    '/_sandbox/config',
    guarded((body) => ops.configure(validateConfigPatch(body))),
  );

  app.post('/_sandbox/tokens/expire', async (_request, reply) => {
    services.tokens.expireAll();
    return reply.code(204).send();
  });

  app.post(
    '/_sandbox/jwks/sign',
    guarded((body) => {
      const b = asRecord(body);
      const payload = asRecord(b?.payload);
      if (!payload) throw new TypeError('payload must be an object');
      const kid = typeof b?.kid === 'string' ? b.kid : undefined;
      const expiresIn = typeof b?.expiresIn === 'number' ? b.expiresIn : undefined;
      return { token: services.jwks.sign(payload, { kid, expiresIn }), kids: services.jwks.kids };
    }),
  );

  app.post('/_sandbox/reset', async (_request, reply) => {
    ops.reset();
    return reply.code(204).send();
  });
}
