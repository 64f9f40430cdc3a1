/**
 * `npm run bench:cost`: what the relay itself costs, in CPU and memory, per request, beside the
 * floor: a bare NestJS + Fastify app (bench/floor-app.ts, same versions and node flags) answering
 * the relay's own /refer JSON from a fixed body. relay/floor is the machine-independent figure.
 *
 * Both run as child processes, the relay at its default LOG_LEVEL (info: one JSON line per
 * request) wired to an in-process Defender sandbox (limiter off). Measured from /proc:
 * - idle RSS a few seconds after start, and again once V8's memory reducer has given back the
 *   start-up garbage (it runs after some seconds without load; the floor phase runs meanwhile);
 * - CPU ms per request of /refer (4 observables, 32 clients, no Defender call), of the warm
 *   /respond/observables, /health and /deliberate/observables (4 observables, 16 clients, sandbox
 *   without latency), of /observe/observables (4 observables, 16 clients, 5 ms per Defender call)
 *   and of sequential 500-observable observes (5 ms per call, fresh made-up values each time);
 * - peak RSS (VmHWM) over the whole run, and RSS split into the node binary's pages, other files
 *   and anonymous memory, with the V8 heap and the buffers outside it from the relay's /metrics.
 * "floor + calls" rows (respond and the 500-observable observe) separate the relay's own cost from
 * that of the Defender calls the contract requires: the floor app replays, per request, the calls
 * the relay made for that request (captured from the sandbox's call log; each 500-observable
 * variant its own list) against the same sandbox with the same latency, over node:http bounded to
 * the relay's per-app concurrency, then answers the relay's answer. relay/(floor+calls) is what
 * the relay adds on top of making those calls; a failed replayed call fails its request.
 * The sightings of one 4-observable observe and of the 500-observable observes are saved (transient
 * ids numbered in order) to artifacts/bench/cost-sightings.json and compared with the previous run's.
 *
 * COST_PHASES=refer,respond,... runs only those phases; COST_CPU_PROF=<dir> starts both processes
 * with --cpu-prof into that folder (see bench/profile-summary.ts). Fixed request counts, so every
 * loop is bounded. A table, then one JSON line.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sign } from 'jsonwebtoken';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_OBSERVABLES, DEMO_TENANT_ID, Sandbox, startSandbox } from '../apps/defender-sandbox/src';
import { loadDefenderConfig } from '../libs/common/src/config/defender.config';
import { freePort, PROJECT_ROOT, RELAY_NODE_ARGS, sandboxEnv, startRelayProcess } from '../scripts/relay-process';
import type { ReplayCall, ReplayFile } from './floor-app';
import { investigation } from './observables';
import { cpuMsOf, memoryOf, percentile, post, positiveInt, residentByKind, runBench } from './process-usage';

const REFER_REQUESTS = positiveInt('COST_REFER_REQUESTS', 6000, 1_000_000);
const SMALL_REQUESTS = positiveInt('COST_SMALL_REQUESTS', 3000, 1_000_000);
const OBSERVE_REQUESTS = positiveInt('COST_OBSERVE_REQUESTS', 2000, 1_000_000);
const LARGE_REQUESTS = positiveInt('COST_LARGE_REQUESTS', 3, 100);
const LARGE = 500;
const LARGE_WARMUP_VARIANT = 100;
const IDLE_SETTLE_MS = 3000;
const IDLE_SETTLED_MS = 25_000;
const PHASES = ['floor', 'refer', 'respond', 'health', 'deliberate', 'observe', 'large'] as const;
type PhaseName = (typeof PHASES)[number];
const SELECTED = new Set<string>(process.env.COST_PHASES ? process.env.COST_PHASES.split(',').map((p) => p.trim()) : PHASES);
const CPU_PROF_DIR = process.env.COST_CPU_PROF ? resolve(process.env.COST_CPU_PROF) : undefined;
const SIGHTINGS_FILE = join(PROJECT_ROOT, 'artifacts', 'bench', 'cost-sightings.json');

interface Server {
  pid: number;
  port: number;
}

interface Phase {
  name: PhaseName;
  process: 'relay' | 'floor' | 'floor+calls';
  route: string;
  clients: number;
  requests: number;
  failed: number;
  cpuMsPerRequest: number;
  p50Ms: number;
  reqPerSec: number;
  /** For the 500-observable phase: CPU ms per observable and Defender calls per request. */
  cpuMsPerObservable?: number;
  defenderCalls?: number;
  /** Defender calls per request by API (sandbox route), rounded. */
  callsByApi?: Record<string, number>;
  /** floor+calls: the replayed calls (warm-up included), how many failed, and whether the sandbox saw the relay's calls. */
  replay?: { calls: number; failed: number; sameCallsAsRelay: boolean };
}


async function phase(name: PhaseName, server: Server, route: string, bodies: () => string, authorization: string, clients: number, requests: number, sandbox?: Sandbox): Promise<Phase> {
  const warmup = 200;
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const send = async () => {
    const res = await post(agent, server.port, route, bodies(), authorization);
    const parsed = JSON.parse(res.text) as { errors?: Array<{ type: string }> };
    return res.status === 200 && !(parsed.errors ?? []).some((e) => e.type !== 'warning');
  };
  for (let i = 0; i < Math.min(warmup, requests); i++) await send(); // JIT, sockets, token, profiles
  let issued = 0;
  let failed = 0;
  const times: number[] = [];
  sandbox?.stats.reset();
  const cpuBefore = cpuMsOf(server.pid);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (issued < requests) {
        issued++;
        const t0 = performance.now();
        if (!(await send())) failed++;
        times.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuMs = cpuMsOf(server.pid) - cpuBefore;
  agent.destroy();
  times.sort((a, b) => a - b);
  const callsByApi = sandbox ? perRequest(sandbox.stats.byRoute(), times.length) : undefined;
  return { name, process: name === 'floor' ? 'floor' : 'relay', route, clients, requests: times.length, failed, cpuMsPerRequest: round(cpuMs / times.length, 3), p50Ms: round(percentile(times, 50), 1), reqPerSec: round(times.length / seconds, 0), callsByApi };
}

function perRequest(byRoute: Record<string, number>, requests: number): Record<string, number> {
  return Object.fromEntries(Object.entries(byRoute).filter(([, n]) => n > 0).map(([api, n]) => [api, round(n / requests, 2)]));
}

interface MemorySplit {
  rssMb: number;
  binaryMb: number;
  filesMb: number;
  anonMb: number;
  heapTotalMb?: number;
  heapUsedMb?: number;
  externalMb?: number;
}

/** RSS split by /proc (the node binary's pages, other files, anonymous) and, from /metrics, the V8 heap and the buffers outside it. */
async function memorySplit(pid: number, metricsPort?: number): Promise<MemorySplit | undefined> {
  const rss = memoryOf(pid);
  const kinds = residentByKind(pid);
  if (!rss || !kinds) return undefined;
  const mb = (kb: number) => round(kb / 1024, 1);
  const split: MemorySplit = { rssMb: mb(rss.rssKb), binaryMb: mb(kinds.binaryKb), filesMb: mb(kinds.filesKb), anonMb: mb(kinds.anonKb) };
  if (metricsPort === undefined) return split;
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const gauge = (name: string) => {
    const value = new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1];
    return value === undefined ? undefined : round(Number(value) / 1048576, 1);
  };
  return { ...split, heapTotalMb: gauge('nodejs_heap_size_total_bytes'), heapUsedMb: gauge('nodejs_heap_size_used_bytes'), externalMb: gauge('nodejs_external_memory_bytes') };
}

function describeMemory(label: string, m: MemorySplit | undefined): string {
  if (!m) return `${label}: /proc not readable`;
  const heap = m.heapTotalMb === undefined ? '' : ` (V8 heap ${m.heapTotalMb} MB committed, ${m.heapUsedMb} MB used; buffers outside the heap ${m.externalMb} MB)`;
  return `${label}: RSS ${m.rssMb} MB = node binary ${m.binaryMb} + other files ${m.filesMb} + anonymous ${m.anonMb}${heap}`;
}

function round(n: number, digits: number): number {
  return Number(n.toFixed(digits));
}

/** --cpu-prof when asked (NODE_OPTIONS does not take it). */
const PROFILE_FLAGS = CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : [];

async function startFloor(floorEnv: Record<string, string>): Promise<{ server: Server; stop: () => Promise<void> }> {
  const port = await freePort();
  const flags = RELAY_NODE_ARGS.filter((a) => a.startsWith('-'));
  const child: ChildProcess = spawn(process.execPath, [...PROFILE_FLAGS, ...flags, join(__dirname, 'floor-app.js')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...floorEnv },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => (clearTimeout(kill), done()));
      child.kill('SIGTERM');
    });
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/version`)).ok) return { server: { pid: child.pid!, port }, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error('the floor app did not start');
}

/** The sightings of an observe answer, transient ids numbered in order (they are random UUIDs). */
function sightingsOf(text: string): unknown[] {
  const docs = (JSON.parse(text) as { data?: { sightings?: { docs: unknown[] } } }).data?.sightings?.docs ?? [];
  let n = 0;
  const ids = new Map<string, string>();
  return JSON.parse(JSON.stringify(docs).replace(/transient:([a-z-]+)-[0-9a-f-]{36}/g, (id, kind: string) => ids.get(id) ?? (ids.set(id, `transient:${kind}-#${++n}`), ids.get(id)!))) as unknown[];
}

/** Saves this run's sightings and compares them with the previous run's file. */
function compareSightings(saved: Record<string, unknown[]>): string {
  mkdirSync(join(PROJECT_ROOT, 'artifacts', 'bench'), { recursive: true });
  const text = `${JSON.stringify(saved, null, 1)}\n`;
  let verdict = 'no previous run to compare with';
  if (existsSync(SIGHTINGS_FILE)) {
    const previous = JSON.parse(readFileSync(SIGHTINGS_FILE, 'utf8')) as Record<string, unknown[]>;
    const keys = Object.keys(saved).filter((k) => k in previous);
    const different = keys.filter((k) => JSON.stringify(previous[k]) !== JSON.stringify(saved[k]));
    verdict = keys.length === 0 ? 'no request in common with the previous run' : different.length === 0 ? `identical to the previous run (${keys.join(', ')})` : `DIFFERENT from the previous run: ${different.join(', ')}`;
    renameSync(SIGHTINGS_FILE, `${SIGHTINGS_FILE}.previous`);
  }
  writeFileSync(SIGHTINGS_FILE, text);
  return verdict;
}

async function large(sandbox: Sandbox, server: Server, authorization: string, saved: Record<string, unknown[]>, captures: Map<string, Capture>): Promise<Phase> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const observe = (variant: number) => post(agent, server.port, '/observe/observables', JSON.stringify(investigation(LARGE, variant)), authorization);
  sandbox.stats.reset();
  captures.set(String(LARGE_WARMUP_VARIANT), captured(sandbox, await observe(LARGE_WARMUP_VARIANT))); // values never used again
  let cpuMs = 0;
  let failed = 0;
  const byApi: Record<string, number> = {};
  const times: number[] = [];
  for (let variant = 1; variant <= LARGE_REQUESTS; variant++) {
    sandbox.stats.reset();
    const cpuBefore = cpuMsOf(server.pid);
    const t0 = performance.now();
    const res = await observe(variant);
    times.push(performance.now() - t0);
    cpuMs += cpuMsOf(server.pid) - cpuBefore;
    tally(byApi, sandbox);
    const parsed = JSON.parse(res.text) as { errors?: Array<{ type: string }> };
    if (res.status !== 200 || (parsed.errors ?? []).some((e) => e.type !== 'warning')) failed++;
    saved[`observe-${LARGE}-${variant}`] = sightingsOf(res.text);
    captures.set(String(variant), captured(sandbox, res));
  }
  agent.destroy();
  return largePhase('relay', { cpuMs, times, failed, byApi });
}

/** The 500-observable phase's row from its sequential requests' totals. */
function largePhase(process: Phase['process'], run: { cpuMs: number; times: number[]; failed: number; byApi: Record<string, number> }): Phase {
  const times = [...run.times].sort((x, y) => x - y);
  const cpuMs = run.cpuMs / LARGE_REQUESTS;
  return {
    name: 'large',
    process,
    route: `/observe ${LARGE} obs`,
    clients: 1,
    requests: LARGE_REQUESTS,
    failed: run.failed,
    cpuMsPerRequest: round(cpuMs, 1),
    p50Ms: round(percentile(times, 50), 1),
    reqPerSec: round((LARGE_REQUESTS * 1000) / times.reduce((x, y) => x + y, 0), 1),
    cpuMsPerObservable: round(cpuMs / LARGE, 3),
    defenderCalls: Math.round(Object.values(run.byApi).reduce((x, y) => x + y, 0) / LARGE_REQUESTS),
    callsByApi: perRequest(run.byApi, LARGE_REQUESTS),
  };
}

/** Adds the calls the sandbox logged since its last reset, by API. */
function tally(byApi: Record<string, number>, sandbox: Sandbox): void {
  for (const [route, n] of Object.entries(sandbox.stats.byRoute())) if (n > 0) byApi[route] = (byApi[route] ?? 0) + n;
}

/** One relay request's Defender calls, as the floor replays them and as the sandbox logged them, with the relay's answer. */
interface Capture {
  calls: ReplayCall[];
  seen: string[];
  answer: unknown;
}

function seenCalls(sandbox: Sandbox): string[] {
  return sandbox.stats
    .entries()
    .filter((e) => e.route !== 'token')
    .map((e) => `${e.method} ${e.path} ${JSON.stringify(e.query)} ${JSON.stringify(e.body ?? null)}`)
    .sort();
}

/** The calls the sandbox logged since its last reset; token calls are not replayed (both hold a token). */
function captured(sandbox: Sandbox, answer: { status: number; text: string }): Capture {
  if (answer.status !== 200) throw new Error(`the relay answered ${answer.status} to the request to replay`);
  const entries = sandbox.stats.entries().filter((e) => e.route !== 'token');
  if (sandbox.stats.entries().length !== sandbox.stats.count()) throw new Error('the sandbox call log dropped calls of the request to replay');
  const calls = entries.map((e): ReplayCall => {
    if (e.method !== 'GET' && e.route !== 'hunting' && e.route !== 'graph.hunting') throw new Error(`the floor replays reads only, not ${e.method} ${e.route}`);
    const query = Object.entries(e.query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    return { method: e.method, path: query ? `${e.path}?${query}` : e.path, api: e.route.startsWith('graph.') ? 'graph' : 'defender', body: e.method === 'GET' ? undefined : JSON.stringify(e.body), status: e.status };
  });
  return { calls, seen: seenCalls(sandbox), answer: JSON.parse(answer.text) };
}

async function accessToken(sandbox: Sandbox, resource: string): Promise<string> {
  const res = await fetch(`${sandbox.url}/${DEMO_TENANT_ID}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, resource }),
  });
  const token = ((await res.json()) as { access_token?: unknown }).access_token;
  if (!res.ok || typeof token !== 'string') throw new Error(`the sandbox issued no token for ${resource} (${res.status})`);
  return token;
}

/** The floor app replaying `captures` (file read once at its start) with the relay's concurrency per app and demo tokens. */
async function startReplayFloor(sandbox: Sandbox, relayEnv: Record<string, string>, captures: Map<string, Capture>) {
  const config = loadDefenderConfig(relayEnv);
  const replay: ReplayFile = { upstream: sandbox.url, concurrency: config.concurrency, requests: Object.fromEntries([...captures].map(([id, c]) => [id, { calls: c.calls, answer: c.answer }])) };
  const dir = mkdtempSync(join(tmpdir(), 'cost-floor-'));
  try {
    writeFileSync(join(dir, 'replay.json'), JSON.stringify(replay), { mode: 0o600 });
    return await startFloor({
      FLOOR_REPLAY_FILE: join(dir, 'replay.json'),
      FLOOR_DEFENDER_TOKEN: await accessToken(sandbox, config.apiResource),
      FLOOR_GRAPH_TOKEN: await accessToken(sandbox, config.graphResource),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function replayStats(port: number): Promise<{ calls: number; failed: number }> {
  return (await (await fetch(`http://127.0.0.1:${port}/replay/stats`)).json()) as { calls: number; failed: number };
}

/** Whether the sandbox saw, for one floor request, the same calls (method, path, query, body) as for the relay's. */
async function sameCalls(sandbox: Sandbox, capture: Capture, send: () => Promise<{ status: number }>): Promise<boolean> {
  sandbox.stats.reset();
  const res = await send();
  return res.status === 200 && JSON.stringify(seenCalls(sandbox)) === JSON.stringify(capture.seen);
}

async function floorCallsRespond(sandbox: Sandbox, relayEnv: Record<string, string>, relay: Server, authorization: string, body: string): Promise<Phase> {
  sandbox.stats.reset();
  const capture = captured(sandbox, await post(new Agent(), relay.port, '/respond/observables', body, authorization));
  const floor = await startReplayFloor(sandbox, relayEnv, new Map([['respond', capture]]));
  try {
    const same = await sameCalls(sandbox, capture, () => post(new Agent(), floor.server.port, '/replay/respond', body, authorization));
    const measured = await phase('respond', floor.server, '/replay/respond', () => body, authorization, 16, SMALL_REQUESTS, sandbox);
    const stats = await replayStats(floor.server.port);
    return { ...measured, process: 'floor+calls', route: '/respond/observables', replay: { ...stats, sameCallsAsRelay: same } };
  } finally {
    await floor.stop();
  }
}

/** The 500-observable variants again, each replaying its own relay request's calls, sequentially like the relay's. */
async function floorCallsLarge(sandbox: Sandbox, relayEnv: Record<string, string>, authorization: string, captures: Map<string, Capture>): Promise<Phase> {
  const floor = await startReplayFloor(sandbox, relayEnv, captures);
  try {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (variant: number, body: string) => post(agent, floor.server.port, `/replay/${variant}`, body, authorization);
    await send(LARGE_WARMUP_VARIANT, JSON.stringify(investigation(LARGE, LARGE_WARMUP_VARIANT)));
    let cpuMs = 0;
    let failed = 0;
    let same = true;
    const byApi: Record<string, number> = {};
    const times: number[] = [];
    for (let variant = 1; variant <= LARGE_REQUESTS; variant++) {
      const body = JSON.stringify(investigation(LARGE, variant));
      sandbox.stats.reset();
      const cpuBefore = cpuMsOf(floor.server.pid);
      const t0 = performance.now();
      const res = await send(variant, body);
      times.push(performance.now() - t0);
      cpuMs += cpuMsOf(floor.server.pid) - cpuBefore;
      if (res.status !== 200) failed++;
      same &&= JSON.stringify(seenCalls(sandbox)) === JSON.stringify(captures.get(String(variant))?.seen);
      tally(byApi, sandbox);
    }
    agent.destroy();
    return { ...largePhase('floor+calls', { cpuMs, times, failed, byApi }), replay: { ...(await replayStats(floor.server.port)), sameCallsAsRelay: same } };
  } finally {
    await floor.stop();
  }
}

/** relay/(floor+calls) CPU per request for one phase, when both ran. */
function overCalls(phases: readonly Phase[], name: PhaseName) {
  const relay = phases.find((p) => p.name === name && p.process === 'relay');
  const floor = phases.find((p) => p.name === name && p.process === 'floor+calls');
  if (!relay || !floor) return undefined;
  return { route: relay.route, relayCpuMs: relay.cpuMsPerRequest, floorCallsCpuMs: floor.cpuMsPerRequest, ratio: round(relay.cpuMsPerRequest / floor.cpuMsPerRequest, 2), ...floor.replay };
}

async function main(): Promise<void> {
  if (CPU_PROF_DIR) mkdirSync(CPU_PROF_DIR, { recursive: true });
  const sandbox = await startSandbox({ rateLimits: false });
  const secretKey = randomBytes(32).toString('hex');
  const metricsPort = await freePort();
  const relayEnv = { ...sandboxEnv(sandbox.url, secretKey), DEFENDER_RATE_LIMIT: 'off', METRICS_PORT: String(metricsPort) };
  const relay = await startRelayProcess(relayEnv, { extraNodeFlags: PROFILE_FLAGS });
  const watchdog = setTimeout(() => {
    process.stderr.write('cost bench: still running after 15 minutes; giving up\n');
    relay.child.kill('SIGKILL');
    process.exit(2);
  }, 900_000);
  watchdog.unref();
  let floor: Awaited<ReturnType<typeof startFloor>> | undefined;
  const startedAt = performance.now();
  try {
    const server: Server = { pid: relay.child.pid!, port: relay.port };
    await new Promise((r) => setTimeout(r, IDLE_SETTLE_MS));
    const idleRssMb = round((memoryOf(server.pid)?.rssKb ?? Number.NaN) / 1024, 1);
    const idleMemory = await memorySplit(server.pid, metricsPort);
    const authorization = `Bearer ${sign({ client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID }, secretKey, { algorithm: 'HS256' })}`;
    const four = JSON.stringify(DEMO_OBSERVABLES);
    const fixed = () => four;
    const phases: Phase[] = [];
    const saved: Record<string, unknown[]> = {};
    const selected = (name: PhaseName) => SELECTED.has(name);

    let floorIdleRssMb: number | undefined;
    let floorMemory: MemorySplit | undefined;
    if (selected('floor')) {
      const referJson = (await post(new Agent(), server.port, '/refer/observables', four, authorization)).text;
      floor = await startFloor({ FLOOR_BODY: referJson });
      await new Promise((r) => setTimeout(r, IDLE_SETTLE_MS));
      floorIdleRssMb = round((memoryOf(floor.server.pid)?.rssKb ?? Number.NaN) / 1024, 1);
      floorMemory = await memorySplit(floor.server.pid);
      phases.push(await phase('floor', floor.server, '/refer/observables', fixed, authorization, 32, REFER_REQUESTS));
      await floor.stop();
    }
    await new Promise((r) => setTimeout(r, Math.max(0, IDLE_SETTLED_MS - (performance.now() - startedAt))));
    const settledMemory = await memorySplit(server.pid, metricsPort);
    if (selected('refer')) phases.push(await phase('refer', server, '/refer/observables', fixed, authorization, 32, REFER_REQUESTS, sandbox));
    if (selected('respond')) {
      phases.push(await phase('respond', server, '/respond/observables', fixed, authorization, 16, SMALL_REQUESTS, sandbox));
      phases.push(await floorCallsRespond(sandbox, relayEnv, server, authorization, four));
    }
    if (selected('health')) phases.push(await phase('health', server, '/health', () => '', authorization, 16, SMALL_REQUESTS, sandbox));
    if (selected('deliberate')) phases.push(await phase('deliberate', server, '/deliberate/observables', fixed, authorization, 16, SMALL_REQUESTS, sandbox));
    sandbox.latency.set('*', 5);
    if (selected('observe')) {
      phases.push(await phase('observe', server, '/observe/observables', fixed, authorization, 16, OBSERVE_REQUESTS, sandbox));
      saved['observe-4'] = sightingsOf((await post(new Agent(), server.port, '/observe/observables', four, authorization)).text);
    }
    const afterObserve = selected('observe') ? await memorySplit(server.pid, metricsPort) : undefined;
    if (selected('large')) {
      const captures = new Map<string, Capture>();
      phases.push(await large(sandbox, server, authorization, saved, captures));
      phases.push(await floorCallsLarge(sandbox, relayEnv, authorization, captures));
    }
    const peakRssMb = round((memoryOf(server.pid)?.hwmKb ?? Number.NaN) / 1024, 1);
    const floorCpu = phases.find((p) => p.name === 'floor')?.cpuMsPerRequest;
    const ratio = (p: Phase) => (floorCpu && p.process === 'relay' && p.name !== 'large' ? `${(p.cpuMsPerRequest / floorCpu).toFixed(2)}×` : '');
    const floorCalls = { respond: overCalls(phases, 'respond'), large: overCalls(phases, 'large') };
    const sightings = Object.keys(saved).length > 0 ? compareSightings(saved) : 'none saved';
    const lines = [
      `relay at LOG_LEVEL=info, DEFENDER_RATE_LIMIT=off; idle RSS ${idleRssMb} MB (${IDLE_SETTLE_MS / 1000} s after start), peak RSS (VmHWM) ${peakRssMb} MB` +
        (floorIdleRssMb !== undefined ? `; floor idle RSS ${floorIdleRssMb} MB` : ''),
      '',
      'process      route                    clients  requests  failed  CPU ms/request  ×floor  p50 ms   req/s',
      ...phases.map((p) =>
        [
          p.process.padEnd(12),
          p.route.padEnd(24),
          String(p.clients).padStart(7),
          String(p.requests).padStart(9),
          String(p.failed).padStart(7),
          String(p.cpuMsPerRequest).padStart(15),
          ratio(p).padStart(7),
          String(p.p50Ms).padStart(7),
          String(p.reqPerSec).padStart(7),
          p.cpuMsPerObservable !== undefined ? `  (${p.cpuMsPerObservable} ms per observable, ${p.defenderCalls} Defender calls per request)` : '',
        ].join(' '),
      ),
      ...phases.filter((p) => p.callsByApi && Object.keys(p.callsByApi).length > 0).map((p) => `Defender calls per ${p.process === 'relay' ? '' : `${p.process} `}${p.route} request by API: ${Object.entries(p.callsByApi!).map(([api, n]) => `${api} ${n}`).join(', ')}`),
      ...Object.values(floorCalls)
        .filter((c) => c !== undefined)
        .map(
          (c) =>
            `relay/(floor+calls) ${c.route}: ${c.relayCpuMs} / ${c.floorCallsCpuMs} CPU ms per request = ${c.ratio.toFixed(2)}× ` +
            `(floor replayed ${c.calls} calls, ${c.failed} failed; sandbox saw the relay's calls: ${c.sameCallsAsRelay ? 'yes' : 'NO'})`,
        ),
      '',
      describeMemory(`relay idle (${IDLE_SETTLE_MS / 1000} s after start)`, idleMemory),
      describeMemory(`relay idle (${IDLE_SETTLED_MS / 1000} s after start)`, settledMemory),
      ...(afterObserve ? [describeMemory('relay after the 16-client observe', afterObserve)] : []),
      ...(floorMemory ? [describeMemory('floor idle', floorMemory)] : []),
      `sightings: ${sightings} (${SIGHTINGS_FILE})`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
    process.stdout.write(`${JSON.stringify({ bench: 'cost', idleRssMb, peakRssMb, floorIdleRssMb, idleMemory, settledMemory, afterObserve, floorMemory, phases, floorCalls, sightings })}\n`);
  } finally {
    await floor?.stop();
    await relay.stop();
    await sandbox.close();
    clearTimeout(watchdog);
  }
}

runBench('cost', main);
