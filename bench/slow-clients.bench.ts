/**
 * `npm run bench:slow`: clients that send most of a 1 MiB body and then go silent, against the
 * production relay (a child process started as `npm run start:prod` does), in three rounds:
 * without any Authorization, with a well-formed JWT signed with the wrong key, and with a valid
 * JWT. The first are refused before their body is read; the others are read (the signature is
 * only checked once the body is in) and held until REQUEST_TIMEOUT_MS, at most MAX_CONNECTIONS
 * of them (by default BODY_MEMORY_BUDGET / BODY_LIMIT).
 *
 * Reported per round: the relay's RSS before, at its peak and after, the peak's rise, the peak
 * against the shipped pod memory limit (512 MiB); how many sockets the relay closed, and when
 * (first and last, seconds after they connected); whether it still answers.
 *
 * Env: SLOW_CLIENTS (400), SLOW_BYTES (1000000 per client), REQUEST_TIMEOUT_MS and the other
 * relay variables pass through. Loopback only; a round gives up 30 s after the request timeout.
 */
import { sign } from 'jsonwebtoken';
import { readFileSync } from 'node:fs';
import { connect, Socket } from 'node:net';
import { startRelayProcess } from '../scripts/relay-process';
import { positiveInt, runBench } from './process-usage';

const CLIENTS = positiveInt('SLOW_CLIENTS', 400, 5000);
const BYTES = positiveInt('SLOW_BYTES', 1_000_000, 1024 * 1024 - 1);
const TIMEOUT_MS = positiveInt('REQUEST_TIMEOUT_MS', 30_000, 600_000);
const POD_LIMIT_MB = 512;
const SECRET_KEY = 'bench-'.padEnd(64, 'x');
const CLAIMS = { client_id: '0dd8c708-a1e7-432b-b1fb-1e3b1a530582', client_secret: 'bench-secret', tenant_id: 'dad06cfa-6552-4c43-af40-7cc2de5fd068' };

const ROUNDS: Array<{ name: string; authorization?: string }> = [
  { name: 'no Authorization' },
  { name: 'well-formed JWT, wrong key', authorization: `Bearer ${sign(CLAIMS, 'not-the-relay-key'.padEnd(64, 'y'), { algorithm: 'HS256' })}` },
  { name: 'valid JWT', authorization: `Bearer ${sign(CLAIMS, SECRET_KEY, { algorithm: 'HS256' })}` },
];

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(1));

async function round(name: string, authorization: string | undefined): Promise<Record<string, unknown>> {
  const relay = await startRelayProcess({ LOG_LEVEL: 'warn', SECRET_KEY });
  const pid = relay.child.pid as number;
  try {
    await sleep(1000);
    const before = rssMb(pid);
    const body = Buffer.alloc(BYTES, 0x20);
    const auth = authorization ? `Authorization: ${authorization}\r\n` : '';
    const started = Date.now();
    const closedAt: number[] = [];
    const sockets: Socket[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const socket = connect(relay.port, '127.0.0.1', () => {
        socket.write(`POST /observe/observables HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n${auth}Content-Length: ${1024 * 1024}\r\n\r\n`);
        socket.write(body);
      });
      // Reading is what lets the client see the relay close the connection.
      socket.resume();
      socket.on('error', () => undefined);
      socket.on('close', () => closedAt.push(Date.now() - started));
      sockets.push(socket);
    }
    let peak = before;
    for (let waited = 0; waited < TIMEOUT_MS + 30_000 && closedAt.length < CLIENTS; waited += 500) {
      await sleep(500);
      peak = Math.max(peak, rssMb(pid));
    }
    const after = rssMb(pid);
    const answers = (await fetch(`${relay.url}/version`)).status;
    for (const socket of sockets) socket.destroy();
    closedAt.sort((a, b) => a - b);
    const rise = peak - before;
    console.log(`\n${name}: ${CLIENTS} clients x ${BYTES} bytes of a 1 MiB body, REQUEST_TIMEOUT_MS ${TIMEOUT_MS}`);
    console.log(`  relay RSS: ${before.toFixed(0)} MB before, ${peak.toFixed(0)} MB peak (+${rise.toFixed(0)} MB), ${after.toFixed(0)} MB after; peak is ${((peak / POD_LIMIT_MB) * 100).toFixed(0)} % of the ${POD_LIMIT_MB} MiB pod limit`);
    console.log(`  closed by the relay: ${closedAt.length}/${CLIENTS}, from ${seconds(closedAt[0])} s to ${seconds(closedAt[closedAt.length - 1])} s`);
    console.log(`  GET /version afterwards: ${answers}`);
    return { round: name, clients: CLIENTS, bytes: BYTES, requestTimeoutMs: TIMEOUT_MS, rssMb: { before, peak, after, rise }, podLimitMb: POD_LIMIT_MB, closed: closedAt.length, firstCloseS: closedAt[0] / 1000, lastCloseS: closedAt[closedAt.length - 1] / 1000, versionStatus: answers };
  } finally {
    await relay.stop();
  }
}

runBench('slow-clients', async () => {
  const results = [];
  for (const { name, authorization } of ROUNDS) results.push(await round(name, authorization));
  console.log(`\n${JSON.stringify(results)}`);
});
