/**
 * `npm run bench:slow`: unauthenticated clients that send most of a 1 MiB body and then go
 * silent, against the production relay (a child process started as `npm run start:prod` does).
 *
 * Reported: the relay's RSS before, at its peak and after; how many of the sockets the relay
 * closed, and when (first and last, seconds after they connected); whether it still answers.
 * With the defaults every socket should be closed shortly after REQUEST_TIMEOUT_MS (30 s).
 *
 * Env: SLOW_CLIENTS (400), SLOW_BYTES (1000000 per client), REQUEST_TIMEOUT_MS and the other
 * relay variables pass through. Loopback only; gives up 30 s after the request timeout.
 */
import { readFileSync } from 'node:fs';
import { connect, Socket } from 'node:net';
import { startRelayProcess } from '../scripts/relay-process';
import { positiveInt } from './process-usage';


const CLIENTS = positiveInt('SLOW_CLIENTS', 400, 5000);
const BYTES = positiveInt('SLOW_BYTES', 1_000_000, 1024 * 1024 - 1);
const TIMEOUT_MS = positiveInt('REQUEST_TIMEOUT_MS', 30_000, 600_000);

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const relay = await startRelayProcess({ LOG_LEVEL: 'warn', SECRET_KEY: 'bench-'.padEnd(64, 'x') });
  const pid = relay.child.pid as number;
  try {
    const before = rssMb(pid);
    const body = Buffer.alloc(BYTES, 0x20);
    const started = Date.now();
    const closedAt: number[] = [];
    const sockets: Socket[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const socket = connect(relay.port, '127.0.0.1', () => {
        socket.write(`POST /observe/observables HTTP/1.1\r\nHost: relay\r\nContent-Length: ${1024 * 1024}\r\n\r\n`);
        socket.write(body);
      });
      // Reading is what lets the client see the relay close the connection.
      socket.resume();
      socket.on('error', () => undefined);
      socket.on('close', () => closedAt.push(Date.now() - started));
      sockets.push(socket);
    }
    let peak = before;
    for (let waited = 0; waited < TIMEOUT_MS + 30_000 && closedAt.length < CLIENTS; waited += 1000) {
      await sleep(1000);
      peak = Math.max(peak, rssMb(pid));
    }
    const after = rssMb(pid);
    const answers = (await fetch(`${relay.url}/version`)).status;
    for (const socket of sockets) socket.destroy();
    closedAt.sort((a, b) => a - b);
    const seconds = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(1));
    console.log(`clients ${CLIENTS} x ${BYTES} bytes of a 1 MiB body, REQUEST_TIMEOUT_MS ${TIMEOUT_MS}`);
    console.log(`relay RSS: ${before.toFixed(0)} MB before, ${peak.toFixed(0)} MB peak, ${after.toFixed(0)} MB after`);
    console.log(`closed by the relay: ${closedAt.length}/${CLIENTS}, from ${seconds(closedAt[0])} s to ${seconds(closedAt[closedAt.length - 1])} s`);
    console.log(`GET /version afterwards: ${answers}`);
    console.log(JSON.stringify({ clients: CLIENTS, bytes: BYTES, requestTimeoutMs: TIMEOUT_MS, rssMb: { before, peak, after }, closed: closedAt.length, firstCloseS: closedAt[0] / 1000, lastCloseS: closedAt[closedAt.length - 1] / 1000, versionStatus: answers }));
  } finally {
    await relay.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
