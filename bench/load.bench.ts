/**
 * `npm run bench:load`: a sustained mixed load on the production relay.
 *
 * The Defender sandbox runs in this process with 20 ms latency on every route; the relay runs as a
 * child process exactly as `npm run start:prod` starts it (LOG_LEVEL=warn, DEFENDER_RATE_LIMIT=off,
 * a free loopback port). 16 clients send back-to-back requests for LOAD_SECONDS (default 60):
 * /observe with observables.json, /refer with observables.json, and /respond/observables for a
 * machine id and for a domain. Reported: errors (non-200, no answer, or an envelope with a
 * non-warning error), p50/p95/p99 latency per route and overall, req/s, and the relay's peak RSS
 * (VmHWM / VmRSS from /proc/<pid>/status, polled every second). A table, then one JSON line.
 *
 * Env: LOAD_SECONDS (60), LOAD_CLIENTS (16), LOAD_LATENCY_MS (20). Loopback only; bounded.
 */
import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { sign } from 'jsonwebtoken';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_MACHINE_IDS, DEMO_OBSERVABLES, DEMO_TENANT_ID, startSandbox } from '../apps/defender-sandbox/src';
import { sandboxEnv, startRelayProcess } from '../scripts/relay-process';
import { cpuMsOf, memoryOf, percentile, positiveInt, post, runBench } from './process-usage';



const SECONDS = positiveInt('LOAD_SECONDS', 60, 3600);
const CLIENTS = positiveInt('LOAD_CLIENTS', 16, 1024);
const LATENCY_MS = process.env.LOAD_LATENCY_MS === '0' ? 0 : positiveInt('LOAD_LATENCY_MS', 20, 10_000);

interface Workload {
  name: string;
  path: string;
  body: string;
}

interface Sample {
  ms: number;
  ok: boolean;
}

interface ErrorExample {
  count: number;
  example: string;
}

/** Why an answer counts as an error, or undefined when it is a success. */
function failureOf(status: number, text: string): string | undefined {
  if (status !== 200) return `HTTP ${status}: ${text.slice(0, 120)}`;
  let body: { data?: unknown; errors?: Array<{ type?: string; code?: string; message?: string }> };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return `not JSON: ${text.slice(0, 120)}`;
  }
  const serious = (body.errors ?? []).filter((e) => e.type !== 'warning');
  if (serious.length > 0) return `${serious[0].code}: ${String(serious[0].message).slice(0, 120)}`;
  if (body.data === undefined) return `no data: ${text.slice(0, 120)}`;
  return undefined;
}

const round = (n: number, digits = 1) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : null);

async function main(): Promise<void> {
  const sandbox = await startSandbox({ latencyMs: LATENCY_MS, rateLimits: false });
  const secretKey = randomBytes(32).toString('hex');
  const relay = await startRelayProcess({ ...sandboxEnv(sandbox.url, secretKey), DEFENDER_RATE_LIMIT: 'off', LOG_LEVEL: 'warn' }).catch(async (error: unknown) => {
    await sandbox.close();
    throw error;
  });
  const { child, port } = relay;
  const relayUrl = relay.url;
  const pid = child.pid;
  // Bounded: whatever happens, the run ends.
  const watchdog = setTimeout(() => {
    process.stderr.write(`load bench: still running ${SECONDS + 90} s after start; giving up\n`);
    child.kill('SIGKILL');
    process.exit(2);
  }, (SECONDS + 90) * 1000);
  watchdog.unref();

  try {
    const jwt = sign({ client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID }, secretKey, { algorithm: 'HS256' });
    const authorization = `Bearer ${jwt}`;
    const observables = JSON.stringify(DEMO_OBSERVABLES);
    const workloads: Workload[] = [
      { name: '/observe/observables', path: '/observe/observables', body: observables },
      { name: '/refer/observables', path: '/refer/observables', body: observables },
      { name: '/respond/observables (machine)', path: '/respond/observables', body: JSON.stringify([{ type: 'ms_machine_id', value: DEMO_MACHINE_IDS.win10 }]) },
      { name: '/respond/observables (domain)', path: '/respond/observables', body: JSON.stringify([{ type: 'domain', value: 'badcdn-delivery.example' }]) },
    ];
    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });

    // Warm-up (not measured): one of each, so the token cache and connections exist.
    for (const w of workloads) {
      const res = await post(agent, port, w.path, w.body, authorization);
      const failure = failureOf(res.status, res.text);
      if (failure) throw new Error(`warm-up ${w.name} failed: ${failure}`);
    }

    const samples = new Map<string, Sample[]>(workloads.map((w) => [w.name, []]));
    const errors = new Map<string, ErrorExample>();
    const memory = { peakRssKb: 0, hwmKb: 0, polls: 0 };
    const poll = () => {
      if (pid === undefined) return;
      const m = memoryOf(pid);
      if (!m) return;
      memory.polls++;
      if (Number.isFinite(m.rssKb)) memory.peakRssKb = Math.max(memory.peakRssKb, m.rssKb);
      if (Number.isFinite(m.hwmKb)) memory.hwmKb = Math.max(memory.hwmKb, m.hwmKb);
    };
    poll();
    const poller = setInterval(poll, 1000);

    process.stdout.write(
      `load bench: relay pid ${pid} on ${relayUrl}, sandbox ${sandbox.url} (+${LATENCY_MS} ms on every route), ` +
        `${CLIENTS} clients for ${SECONDS} s, LOG_LEVEL=warn, DEFENDER_RATE_LIMIT=off\n`,
    );
    const cpuBefore = pid === undefined ? Number.NaN : cpuMsOf(pid);
    const started = performance.now();
    const deadline = started + SECONDS * 1000;
    let next = 0;
    const client = async (): Promise<void> => {
      while (performance.now() < deadline) {
        const w = workloads[next++ % workloads.length];
        const t0 = performance.now();
        let failure: string | undefined;
        try {
          const res = await post(agent, port, w.path, w.body, authorization);
          failure = failureOf(res.status, res.text);
        } catch (error) {
          failure = `no answer: ${error instanceof Error ? error.message : String(error)}`;
        }
        samples.get(w.name)?.push({ ms: performance.now() - t0, ok: failure === undefined });
        if (failure) {
          const key = `${w.name}: ${failure}`;
          const seen = errors.get(key);
          if (seen) seen.count++;
          else errors.set(key, { count: 1, example: key });
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    const elapsed = (performance.now() - started) / 1000;
    const cpuMs = pid === undefined ? Number.NaN : cpuMsOf(pid) - cpuBefore;
    clearInterval(poller);
    poll();
    agent.destroy();

    // --- report -------------------------------------------------------------------------------
    interface Row {
      route: string;
      requests: number;
      errors: number;
      rps: number | null;
      p50: number | null;
      p95: number | null;
      p99: number | null;
      max: number | null;
    }
    const rowOf = (route: string, list: readonly Sample[]): Row => {
      const sorted = list.map((s) => s.ms).sort((a, b) => a - b);
      return {
        route,
        requests: list.length,
        errors: list.filter((s) => !s.ok).length,
        rps: round(list.length / elapsed),
        p50: round(percentile(sorted, 50)),
        p95: round(percentile(sorted, 95)),
        p99: round(percentile(sorted, 99)),
        max: round(sorted[sorted.length - 1] ?? Number.NaN),
      };
    };
    const rows = workloads.map((w) => rowOf(w.name, samples.get(w.name) ?? []));
    const overall = rowOf('overall', [...samples.values()].flat());
    const header = ['route', 'requests', 'errors', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'];
    const cells = [...rows, overall].map((r) => [r.route, r.requests, r.errors, r.rps, r.p50, r.p95, r.p99, r.max].map((v) => String(v ?? '-')));
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
    const line = (c: string[]) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
    const mb = (kb: number) => round(kb / 1024);
    process.stdout.write(
      [
        '',
        line(header),
        line(widths.map((w) => '-'.repeat(w))),
        ...cells.slice(0, -1).map(line),
        line(widths.map((w) => '-'.repeat(w))),
        line(cells[cells.length - 1]),
        '',
        `elapsed ${elapsed.toFixed(1)} s; relay peak RSS ${mb(memory.peakRssKb)} MB (VmRSS max of ${memory.polls} polls), VmHWM ${mb(memory.hwmKb)} MB; ` +
          `sandbox calls ${sandbox.stats.count()}`,
        `relay CPU ${round(cpuMs / overall.requests, 2)} ms per request (${round(cpuMs / 1000)} s user+system over ${overall.requests} requests)`,
        ...(errors.size > 0 ? ['errors:', ...[...errors.values()].sort((a, b) => b.count - a.count).slice(0, 10).map((e) => `  ${e.count}× ${e.example}`)] : ['errors: none']),
        '',
      ].join('\n'),
    );
    const json = {
      bench: 'load',
      seconds: round(elapsed),
      clients: CLIENTS,
      sandboxLatencyMs: LATENCY_MS,
      requests: overall.requests,
      errors: overall.errors,
      rps: overall.rps,
      p50: overall.p50,
      p95: overall.p95,
      p99: overall.p99,
      max: overall.max,
      routes: Object.fromEntries(rows.map((r) => [r.route, { requests: r.requests, errors: r.errors, rps: r.rps, p50: r.p50, p95: r.p95, p99: r.p99, max: r.max }])),
      relayPeakRssMb: mb(memory.peakRssKb),
      relayVmHwmMb: mb(memory.hwmKb),
      relayCpuMsPerRequest: round(cpuMs / overall.requests, 2),
      sandboxCalls: sandbox.stats.count(),
    };
    process.stdout.write(`${JSON.stringify(json)}\n`);
    if (child.exitCode !== null) throw new Error(`the relay exited during the run (code ${child.exitCode}):\n${relay.output()}`);
  } finally {
    await relay.stop();
    await sandbox.close();
    clearTimeout(watchdog);
  }
}

runBench('load', main);
