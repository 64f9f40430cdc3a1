import { setMaxListeners } from 'node:events';
import { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { TokenStore } from './auth/token.store';
import { FaultsApi, FaultsControl } from './controls/faults.control';
import { LatencyApi, LatencyControl } from './controls/latency.control';
import { RateLimiter } from './controls/rate-limit.control';
import { StatsApi, StatsControl } from './controls/stats.control';
import { installBodyParsers } from './http/body.parsers';
import { RoutePipeline } from './http/route.pipeline';
import { DEFAULT_CONFIG, SandboxConfig, SandboxServices } from './http/sandbox.services';
import { createJwksHelper, JwksHelper } from './jwks/jwks.keys';
import { SandboxSeed } from './model/sandbox-seed.types';
import { alertUpdateRoutes } from './routes/alert-updates.routes';
import { alertRoutes } from './routes/alerts.routes';
import { statsRoutes } from './routes/stats.routes';
import { registerControlRoutes } from './routes/control.routes';
import { exposureScoreRoutes, huntingRoutes } from './routes/hunting.routes';
import { indicatorRoutes } from './routes/indicators.routes';
import { jwksRoutes } from './routes/jwks.routes';
import { machineActionRoutes } from './routes/machine-actions.routes';
import { machineRoutes } from './routes/machines.routes';
import { tokenRoutes } from './routes/token.routes';
import { DEMO_SEED, SEED_BASE_TIME } from './seed';
import { SandboxState } from './state/sandbox.state';
import { Clock, systemClock } from './util/time.util';

export interface SandboxOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Enforce Defender's per-tenant quotas (default false). */
  rateLimits?: boolean;
  /** The data to serve; default the demo tenant (`DEMO_SEED`). */
  seed?: SandboxSeed;
  /** Latency added to every route (the `*` latency setting), in ms. */
  latencyMs?: number;
  /** Initial behaviour switches (see SandboxConfig). */
  config?: Partial<SandboxConfig>;
  /** Time source for token expiry, rate-limit windows and timestamps (tests may move time). */
  clock?: Clock;
  /**
   * The instant (epoch ms) the seed's SEED_BASE_TIME stands for: every seeded timestamp moves
   * with it, so `Date.now()` makes the seed read as recent (`npm run demo`). Default: the seed as
   * written, whose fixed times tests compute their expectations from.
   */
  seedTime?: number;
}

export interface Sandbox {
  /** Origin, e.g. `http://127.0.0.1:41234`: login, API, Graph and JWKS host at once. */
  readonly url: string;
  readonly port: number;
  /** Stops the server; hanging and delayed calls are dropped. */
  close(): Promise<void>;
  /** Data back to the seed; faults, latency, stats, rate-limit windows and config back to the start options. */
  reset(): void;
  readonly faults: FaultsApi;
  readonly latency: LatencyApi;
  readonly stats: StatsApi;
  setRateLimits(on: boolean): void;
  readonly rateLimitsEnabled: boolean;
  /** The mutable data (per tenant: machines, alerts, indicators, machine actions, hunting tables …). */
  readonly state: SandboxState;
  /** RS256 keys served at /.well-known/jwks, and a signer for configuration tokens. */
  readonly jwks: JwksHelper;
  /** How far the seed's timestamps were moved (`seedTime` − SEED_BASE_TIME, whole seconds; 0 by default). */
  readonly seedShiftMs: number;
  readonly config: Readonly<SandboxConfig>;
  configure(patch: Partial<SandboxConfig>): SandboxConfig;
  /** Makes every issued access token expired (the next API call answers 401). */
  expireTokens(): void;
}

/** Starts the fake Azure AD + Defender for Endpoint + Graph hunting + JWKS host on one origin. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = options.clock ?? systemClock;
  const initialConfig: SandboxConfig = { ...DEFAULT_CONFIG, ...options.config };
  const initialRateLimits = options.rateLimits ?? false;
  const seedShiftMs = options.seedTime === undefined ? 0 : Math.round((options.seedTime - Date.parse(SEED_BASE_TIME)) / 1000) * 1000;
  const shutdown = new AbortController();
  // Every delayed or hanging call listens on this signal; many may be open at once in a benchmark.
  setMaxListeners(0, shutdown.signal);

  const services: SandboxServices = {
    state: new SandboxState(options.seed ?? DEMO_SEED, clock, seedShiftMs),
    tokens: new TokenStore(clock),
    faults: new FaultsControl(),
    latency: new LatencyControl(),
    rateLimiter: new RateLimiter(clock, initialRateLimits),
    stats: new StatsControl(),
    jwks: await createJwksHelper(2),
    clock,
    config: { ...initialConfig },
    shutdown: shutdown.signal,
  };
  const applyStartLatency = (): void => {
    if (options.latencyMs) services.latency.set('*', options.latencyMs);
  };
  applyStartLatency();

  const operations = {
    reset(): void {
      services.state.reset();
      services.faults.clear();
      services.latency.clear();
      applyStartLatency();
      services.stats.reset();
      services.rateLimiter.reset();
      services.rateLimiter.enabled = initialRateLimits;
      Object.assign(services.config, initialConfig);
    },
    setRateLimits(on: boolean): void {
      services.rateLimiter.enabled = on;
      if (!on) services.rateLimiter.reset();
    },
    configure(patch: Partial<SandboxConfig>): SandboxConfig {
      Object.assign(services.config, patch);
      return { ...services.config };
    },
  };

  // maxParamLength: a domain path segment may be up to 253 characters (Fastify's default is 100).
  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 8 * 1024 * 1024, routerOptions: { maxParamLength: 2048 } });
  installBodyParsers(app);
  const pipeline = new RoutePipeline(app, services);
  for (const routes of [
    tokenRoutes,
    jwksRoutes,
    alertRoutes,
    statsRoutes,
    alertUpdateRoutes,
    machineRoutes,
    machineActionRoutes,
    indicatorRoutes,
    huntingRoutes,
    exposureScoreRoutes,
  ]) {
    for (const def of routes(services)) pipeline.register(def);
  }
  registerControlRoutes(app, services, operations);
  pipeline.installFallbacks();

  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address: AddressInfo | string | null = app.server.address();
  if (!address || typeof address === 'string') throw new Error('sandbox is not listening on a TCP port');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closed: Promise<void> | undefined;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close: () => {
      closed ??= (async () => {
        shutdown.abort();
        await app.close();
      })();
      return closed;
    },
    reset: operations.reset,
    faults: services.faults,
    latency: services.latency,
    stats: services.stats,
    setRateLimits: operations.setRateLimits,
    get rateLimitsEnabled() {
      return services.rateLimiter.enabled;
    },
    state: services.state,
    jwks: services.jwks,
    seedShiftMs,
    config: services.config,
    configure: operations.configure,
    expireTokens: () => services.tokens.expireAll(),
  };
}
