/**
 * `npm run bench`: latency, Defender calls per request and throughput of POST /observe/observables.
 *
 * The Defender sandbox runs in-process with injected latency; the production relay runs as a child
 * process (`npm run start:prod`'s entry), exactly as `npm run demo` wires them. Loopback only, every
 * loop bounded. Prints a table and one JSON line (`{"bench":"observe",...}`).
 *
 * Rows `4p` are the device, user and URL pivots (hostname + user + url + ms_machine_id); rows `10n`
 * the new types (file_name, file_path, process_name, registry_key, mac_address, email).
 *
 * Profile caching is switched off (PROFILE_CACHE_TTL_MS=0) for the main figures, so every request
 * pays for its machine and file profiles: the honest cost of observables nobody looked at recently.
 * Further passes show the warm case (default cache) and how much of the 20-observable figure is
 * the per-tenant concurrency cap (DEFENDER_CONCURRENCY, default 16) rather than the critical path.
 * The throughput runs count hunting calls per request (shared by concurrent requests of one
 * credential), and one 500-observable request runs against an idle tenant with the relay's rate
 * limiter on and the sandbox enforcing Defender's limits, at 50 ms and at 5 ms per call.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sign } from 'jsonwebtoken';
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_OBSERVABLES,
  DEMO_TENANT_ID,
  RouteKey,
  Sandbox,
  startSandbox,
  TWENTY_OBSERVABLES,
} from '../apps/defender-sandbox/src';
import { EXAMPLE_MORE_OBSERVABLES, EXAMPLE_PIVOT_OBSERVABLES } from '../libs/common/src/observables/openapi-examples';
import { RelayProcess, sandboxEnv, startRelayProcess } from '../scripts/relay-process';
import { investigation, Observable } from './observables';

const LATENCY_MS = 50;
const LOAD_LATENCY_MS = 5;
const WARMUP = 3;
const SAMPLES = 30;
const CLIENTS = 16;
const LOAD_SECONDS = 5;
const LARGE = 500;
const ROUTES = ['hunting', 'alerts', 'files', 'stats', 'machines', 'token'] as const;
type RouteGroup = (typeof ROUTES)[number];
const GROUP_OF: Partial<Record<RouteKey, RouteGroup>> = {
  hunting: 'hunting',
  'graph.hunting': 'hunting',
  'alerts.byFile': 'alerts',
  'alerts.byDomain': 'alerts',
  'alerts.byIp': 'alerts',
  'alerts.byMachine': 'alerts',
  'alerts.byUser': 'alerts',
  'machines.list': 'machines',
  'machines.findByIp': 'machines',
  'alerts.list': 'alerts',
  'files.get': 'files',
  'files.stats': 'stats',
  'ips.stats': 'stats',
  'domains.stats': 'stats',
  'machines.get': 'machines',
  token: 'token',
};

/** The demo's four observables (observables.json) and twenty: every seeded value plus unknown ones. */
const FOUR: Observable[] = DEMO_OBSERVABLES.map((o) => ({ ...o }));
const TWENTY: Observable[] = TWENTY_OBSERVABLES.map((o) => ({ ...o }));
/** What analysts click besides hashes: a host name, a user, a URL and a machine id of the demo tenant. */
const PIVOTS: Observable[] = EXAMPLE_PIVOT_OBSERVABLES.map((o) => ({ ...o }));

/**
 * Ten of the types answered through the search table alone (file and process names, paths, a
 * registry key, MACs, emails), known and unknown: all in the one hunting query.
 */
const NEW_TYPES: Observable[] = [
  ...EXAMPLE_MORE_OBSERVABLES.filter((o) => o.type !== 'md5' && o.type !== 'ipv6'),
  { type: 'file_name', value: 'OneDriveSync.exe' },
  { type: 'process_name', value: 'invoice_2026_11.pdf.exe' },
  { type: 'mac_address', value: '00:15:5d:0a:1b:2c' },
  { type: 'email', value: 'nobody@contosodemo.onmicrosoft.com' },
];

/** A relay configuration the latency is measured under; `target` marks the reference setup. */
interface Setup {
  label: string;
  env: Record<string, string>;
  /** Which goal the median is held to, if any. */
  target?: 'cold' | 'warm';
  bodies: Observable[][];
}

interface LatencyResult {
  observables: number;
  /** `pivots` for the hostname + user + url + ms_machine_id body, `new types` for NEW_TYPES. */
  kind?: string;
  setup: string;
  sightings: number;
  errors: number;
  medianMs: number;
  p95Ms: number;
  /** The target for the median (reference setup only). */
  target?: number;
  callsPerRequest: Record<RouteGroup, number>;
}

interface LoadResult {
  observables: number;
  clients: number;
  seconds: number;
  requests: number;
  failed: number;
  reqPerSec: number;
  /** Below 1 when concurrent requests shared hunting queries. */
  huntingPerRequest: number;
}

/** One large request against an idle tenant, both rate limiters on. */
interface LargeResult {
  observables: number;
  latencyMs: number;
  wallMs: number;
  sightings: number;
  /** Error entries of the answer, by code. */
  errors: Record<string, number>;
  /** Defender calls by API (sandbox route), and how many Defender answered 429. */
  calls: Record<string, number>;
  defender429: number;
}

function startRelay(sandbox: Sandbox, secretKey: string, env: Record<string, string>): Promise<RelayProcess> {
  return startRelayProcess({ ...sandboxEnv(sandbox.url, secretKey), LOG_LEVEL: 'warn', DEFENDER_RATE_LIMIT: 'off', ...env }, { inheritOutput: true });
}

async function observe(relay: RelayProcess, jwt: string, body: Observable[]): Promise<{ sightings: number; errors: number; codes: string[] }> {
  const response = await fetch(`${relay.url}/observe/observables`, {
    method: 'POST',
    headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`/observe answered HTTP ${response.status}`);
  const json = (await response.json()) as { data?: { sightings?: { count: number } }; errors?: Array<{ code?: string }> };
  const codes = (json.errors ?? []).map((e) => e.code ?? '?');
  return { sightings: json.data?.sightings?.count ?? 0, errors: codes.length, codes };
}

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

function callsByGroup(sandbox: Sandbox): Record<RouteGroup, number> {
  const out = Object.fromEntries(ROUTES.map((r) => [r, 0])) as Record<RouteGroup, number>;
  for (const [route, n] of Object.entries(sandbox.stats.byRoute()) as Array<[RouteKey, number]>) {
    const group = GROUP_OF[route];
    if (group) out[group] += n;
  }
  return out;
}

async function measureLatency(sandbox: Sandbox, relay: RelayProcess, jwt: string, body: Observable[], setup: Setup): Promise<LatencyResult> {
  sandbox.latency.set('*', LATENCY_MS);
  let last = { sightings: 0, errors: 0, codes: [] as string[] };
  for (let i = 0; i < WARMUP; i++) last = await observe(relay, jwt, body);
  sandbox.stats.reset();
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    last = await observe(relay, jwt, body);
    times.push(performance.now() - start);
  }
  const calls = callsByGroup(sandbox);
  times.sort((a, b) => a - b);
  const pivots = body === PIVOTS || body === NEW_TYPES;
  return {
    observables: body.length,
    kind: body === PIVOTS ? 'pivots' : body === NEW_TYPES ? 'new types' : undefined,
    setup: setup.label,
    // The latency targets are for the artefact bodies.
    target: setup.target === undefined || pivots ? undefined : target(body.length, setup.target === 'warm'),
    sightings: last.sightings,
    errors: last.errors,
    medianMs: round(percentile(times, 50)),
    p95Ms: round(percentile(times, 95)),
    callsPerRequest: Object.fromEntries(ROUTES.map((r) => [r, round(calls[r] / SAMPLES)])) as Record<RouteGroup, number>,
  };
}

async function measureLoad(sandbox: Sandbox, relay: RelayProcess, jwt: string, body: Observable[]): Promise<LoadResult> {
  sandbox.latency.set('*', LOAD_LATENCY_MS);
  await observe(relay, jwt, body);
  sandbox.stats.reset();
  const end = performance.now() + LOAD_SECONDS * 1000;
  let requests = 0;
  let failed = 0;
  const client = async (): Promise<void> => {
    while (performance.now() < end) {
      try {
        const result = await observe(relay, jwt, body);
        if (result.errors > 0 || result.sightings === 0) failed++;
      } catch {
        failed++;
      }
      requests++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const seconds = (performance.now() - start) / 1000;
  const huntingPerRequest = Math.round((callsByGroup(sandbox).hunting / requests) * 100) / 100;
  return { observables: body.length, clients: CLIENTS, seconds: round(seconds), requests, failed, reqPerSec: round(requests / seconds), huntingPerRequest };
}

/** A fresh relay (empty limiter) and fresh sandbox windows, so the tenant starts idle. */
async function measureLarge(sandbox: Sandbox, secretKey: string, jwt: string, latencyMs: number): Promise<LargeResult> {
  const body = investigation(LARGE);
  sandbox.reset();
  sandbox.setRateLimits(true);
  const relay = await startRelay(sandbox, secretKey, { DEFENDER_RATE_LIMIT: 'on' });
  try {
    // The token first, so the figure is the request's own.
    await observe(relay, jwt, [{ type: 'ip', value: '192.0.2.1' }]);
    sandbox.reset();
    sandbox.setRateLimits(true);
    sandbox.latency.set('*', latencyMs);
    const start = performance.now();
    const result = await observe(relay, jwt, body);
    const wallMs = round(performance.now() - start);
    const errors: Record<string, number> = {};
    for (const code of result.codes) errors[code] = (errors[code] ?? 0) + 1;
    const calls = Object.fromEntries(Object.entries(sandbox.stats.byRoute()).filter(([, n]) => n > 0));
    const defender429 = sandbox.stats.entries().filter((e) => e.status === 429).length;
    return { observables: body.length, latencyMs, wallMs, sightings: result.sightings, errors, calls, defender429 };
  } finally {
    await relay.stop();
    sandbox.reset();
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/**
 * The goals for the median: cold (profiles fetched), two round trips + 25 ms; warm (profiles
 * cached), one round trip + 25 ms for 4 observables and + 50 ms for 20.
 */
function target(observables: number, warm: boolean): number {
  if (!warm) return 2 * LATENCY_MS + 25;
  return observables <= 4 ? LATENCY_MS + 25 : LATENCY_MS + 50;
}

function table(latency: LatencyResult[], load: LoadResult[], large: LargeResult[]): string {
  const widths = [8, 7, 6, 9, 6];
  const lines = [
    `POST /observe/observables, sandbox latency ${LATENCY_MS} ms per Defender call, ${SAMPLES} sequential requests after ${WARMUP} warm-up`,
    '',
    'obs  relay setup                 sightings  median ms  p95 ms     target  hunting  alerts  files  machines  token',
    ...latency.map((r) =>
      [
        (r.kind ? `${r.observables}${r.kind[0]}` : String(r.observables)).padStart(3),
        ` ${r.setup}`.padEnd(27),
        String(r.sightings).padStart(10),
        String(r.medianMs).padStart(10),
        String(r.p95Ms).padStart(7),
        (r.target === undefined ? '-' : `${r.target} ${r.medianMs <= r.target ? 'ok' : 'MISS'}`).padStart(10),
        ...ROUTES.map((route, i) => String(r.callsPerRequest[route]).padStart(widths[i])),
      ].join(' '),
    ),
    '',
    `Throughput: ${CLIENTS} concurrent clients, sandbox latency ${LOAD_LATENCY_MS} ms, ${SETUPS[0].label}, ${LOAD_SECONDS} s each`,
    '',
    'obs  requests  failed  req/s  hunting calls/request',
    ...load.map((r) =>
      [String(r.observables).padStart(3), String(r.requests).padStart(9), String(r.failed).padStart(7), String(r.reqPerSec).padStart(6), String(r.huntingPerRequest).padStart(22)].join(' '),
    ),
    '',
    `One ${LARGE}-observable request (mixed types, known and unknown), idle tenant, relay rate limiter on, sandbox enforcing Defender's limits`,
    '',
    ...large.flatMap((r) => [
      `  ${r.latencyMs} ms per call: ${r.wallMs} ms wall, ${r.sightings} sightings, errors ${JSON.stringify(r.errors)}, Defender 429s ${r.defender429}`,
      `    calls by API: ${JSON.stringify(r.calls)}`,
    ]),
  ];
  return lines.join('\n');
}

const SETUPS: Setup[] = [
  { label: 'profile cache off', env: { PROFILE_CACHE_TTL_MS: '0' }, target: 'cold', bodies: [FOUR, TWENTY, PIVOTS, NEW_TYPES] },
  { label: 'default profile cache', env: {}, target: 'warm', bodies: [FOUR, TWENTY, PIVOTS, NEW_TYPES] },
  { label: 'cache off, concurrency 32', env: { PROFILE_CACHE_TTL_MS: '0', DEFENDER_CONCURRENCY: '32' }, bodies: [TWENTY] },
];

async function main(): Promise<void> {
  const sandbox = await startSandbox();
  const secretKey = randomBytes(32).toString('hex');
  const jwt = sign({ client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID }, secretKey, { algorithm: 'HS256' });
  const latency: LatencyResult[] = [];
  const load: LoadResult[] = [];
  const large: LargeResult[] = [];
  try {
    for (const setup of SETUPS) {
      const relay = await startRelay(sandbox, secretKey, setup.env);
      try {
        for (const body of setup.bodies) latency.push(await measureLatency(sandbox, relay, jwt, body, setup));
        if (setup === SETUPS[0]) for (const body of [FOUR, TWENTY]) load.push(await measureLoad(sandbox, relay, jwt, body));
      } finally {
        await relay.stop();
      }
    }
    for (const latencyMs of [LATENCY_MS, LOAD_LATENCY_MS]) large.push(await measureLarge(sandbox, secretKey, jwt, latencyMs));
  } finally {
    await sandbox.close();
  }
  process.stdout.write(`${table(latency, load, large)}\n\n`);
  process.stdout.write(`${JSON.stringify({ bench: 'observe', latencyMs: LATENCY_MS, loadLatencyMs: LOAD_LATENCY_MS, latency, load, large })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`observe bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
