/**
 * `npm run bench:cost`: what the relay itself costs, in CPU and memory, per request.
 *
 * The production relay runs as a child process at its default LOG_LEVEL (info: one JSON line per
 * request, as operators run it), wired to an in-process Defender sandbox. Measured from /proc:
 * - idle RSS a few seconds after start;
 * - /refer/observables, 4 observables, 32 clients (no Defender call): CPU ms per request;
 * - /observe/observables, 4 observables, 16 clients, 5 ms per Defender call: CPU ms per request;
 * - peak RSS (VmHWM) over the whole run.
 * Fixed request counts (COST_REFER_REQUESTS, COST_OBSERVE_REQUESTS), so every loop is bounded.
 * A table, then one JSON line.
 */
import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { sign } from 'jsonwebtoken';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_OBSERVABLES, DEMO_TENANT_ID, startSandbox } from '../apps/defender-sandbox/src';
import { RelayProcess, sandboxEnv, startRelayProcess } from '../scripts/relay-process';
import { cpuMsOf, memoryOf, percentile, post, runBench } from './process-usage';

const REFER_REQUESTS = Number(process.env.COST_REFER_REQUESTS ?? 6000);
const OBSERVE_REQUESTS = Number(process.env.COST_OBSERVE_REQUESTS ?? 2000);
const IDLE_SETTLE_MS = 3000;

interface Phase {
  route: string;
  clients: number;
  requests: number;
  failed: number;
  cpuMsPerRequest: number;
  p50Ms: number;
  reqPerSec: number;
}

async function phase(relay: RelayProcess, route: string, body: string, authorization: string, clients: number, requests: number): Promise<Phase> {
  const pid = relay.child.pid!;
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const send = async () => {
    const res = await post(agent, relay.port, route, body, authorization);
    const parsed = JSON.parse(res.text) as { errors?: Array<{ type: string }> };
    return res.status === 200 && !(parsed.errors ?? []).some((e) => e.type !== 'warning');
  };
  for (let i = 0; i < Math.min(200, requests); i++) await send(); // warm-up: JIT, sockets, token
  let issued = 0;
  let failed = 0;
  const times: number[] = [];
  const cpuBefore = cpuMsOf(pid);
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
  const cpuMs = cpuMsOf(pid) - cpuBefore;
  agent.destroy();
  times.sort((a, b) => a - b);
  return { route, clients, requests: times.length, failed, cpuMsPerRequest: round(cpuMs / times.length, 3), p50Ms: round(percentile(times, 50), 1), reqPerSec: round(times.length / seconds, 0) };
}

function round(n: number, digits: number): number {
  return Number(n.toFixed(digits));
}

async function main(): Promise<void> {
  const sandbox = await startSandbox({ rateLimits: false });
  const secretKey = randomBytes(32).toString('hex');
  const relay = await startRelayProcess({ ...sandboxEnv(sandbox.url, secretKey), DEFENDER_RATE_LIMIT: 'off' });
  const watchdog = setTimeout(() => {
    process.stderr.write('cost bench: still running after 10 minutes; giving up\n');
    relay.child.kill('SIGKILL');
    process.exit(2);
  }, 600_000);
  watchdog.unref();
  try {
    const pid = relay.child.pid!;
    await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
    const idleRssMb = round((memoryOf(pid)?.rssKb ?? Number.NaN) / 1024, 1);
    const authorization = `Bearer ${sign({ client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID }, secretKey, { algorithm: 'HS256' })}`;
    const four = JSON.stringify(DEMO_OBSERVABLES);
    const refer = await phase(relay, '/refer/observables', four, authorization, 32, REFER_REQUESTS);
    sandbox.latency.set('*', 5);
    const observe = await phase(relay, '/observe/observables', four, authorization, 16, OBSERVE_REQUESTS);
    const peakRssMb = round((memoryOf(pid)?.hwmKb ?? Number.NaN) / 1024, 1);
    const lines = [
      `relay at LOG_LEVEL=info, DEFENDER_RATE_LIMIT=off; idle RSS ${idleRssMb} MB (${IDLE_SETTLE_MS / 1000} s after start), peak RSS (VmHWM) ${peakRssMb} MB`,
      '',
      'route                 clients  requests  failed  CPU ms/request  p50 ms  req/s',
      ...[refer, observe].map((p) =>
        [p.route.padEnd(21), String(p.clients).padStart(7), String(p.requests).padStart(9), String(p.failed).padStart(7), String(p.cpuMsPerRequest).padStart(15), String(p.p50Ms).padStart(7), String(p.reqPerSec).padStart(6)].join(' '),
      ),
      '',
    ];
    process.stdout.write(lines.join('\n'));
    process.stdout.write(`${JSON.stringify({ bench: 'cost', idleRssMb, peakRssMb, refer, observe })}\n`);
  } finally {
    await relay.stop();
    await sandbox.close();
    clearTimeout(watchdog);
  }
}

runBench('cost', main);
