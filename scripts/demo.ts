/**
 * `npm run demo`: the Defender sandbox plus the production relay (`npm run start:prod`'s entry)
 * wired to it, then a ready-to-paste JWT and curl lines for every endpoint. The relay's JSON log
 * (its start-up summary, one line per request) shows here; Ctrl-C stops both.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { sign } from 'jsonwebtoken';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID, REAL_PAYLOADS, startSandbox } from '../apps/defender-sandbox/src';
import { EXAMPLE_MACHINE_ID, EXAMPLE_TRIGGER } from '../libs/common/src/observables/openapi-examples';
import { PROJECT_ROOT, sandboxEnv, startRelayProcess } from './relay-process';

class DemoError extends Error {}

function portFrom(variable: string, fallback: number): number {
  const raw = (process.env[variable] ?? '').trim();
  if (raw === '') return fallback;
  const port = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(port >= 1 && port <= 65535)) throw new DemoError(`${variable} must be a port number from 1 to 65535 (got '${raw.slice(0, 20)}')`);
  return port;
}

function isBusy(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: { code?: string }) => (error.code === 'EADDRINUSE' ? resolve(true) : reject(error)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
}

/**
 * Every port is checked before anything starts (`npm run demo` also checks before building, in
 * scripts/demo-ports.js, with the same wording); each busy one is named by the variable that moves it.
 */
async function ensureFree(ports: readonly [string, number][]): Promise<void> {
  const busy: [string, number][] = [];
  for (const [variable, port] of ports) if (await isBusy(port)) busy.push([variable, port]);
  if (busy.length === 0) return;
  const moved = busy.map(([variable, port]) => `${variable}=${port <= 64535 ? port + 1000 : port - 1000}`).join(' ');
  if (busy.length === 1) throw new DemoError(`port ${busy[0][1]} is busy (a demo or relay still running?); stop it, or choose another port: ${moved} npm run demo`);
  throw new DemoError(`ports ${busy.map(([v, p]) => `${p} (${v})`).join(' and ')} are busy (a demo or relay still running?); stop them, or choose other ports: ${moved} npm run demo`);
}

/** New machine actions stay Pending this long, so the offer to cancel one can be seen. */
const PENDING_MS = 10 * 60_000;

async function main(): Promise<void> {
  const RELAY_PORT = portFrom('DEMO_RELAY_PORT', 9090);
  const SANDBOX_PORT = portFrom('DEMO_SANDBOX_PORT', 9191);
  await ensureFree([
    ['DEMO_RELAY_PORT', RELAY_PORT],
    ['DEMO_SANDBOX_PORT', SANDBOX_PORT],
  ]);
  // The seed moved to now, so the dashboard tiles' periods (last hour … last 30 days) hold its data.
  const sandbox = await startSandbox({ port: SANDBOX_PORT, rateLimits: true, seedTime: Date.now() });
  sandbox.configure({ machineActionDelayMs: PENDING_MS });
  const secretKey = randomBytes(32).toString('hex');
  const relay = await startRelayProcess(
    { ...sandboxEnv(sandbox.url, secretKey), LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
    { port: RELAY_PORT, inheritOutput: true },
  ).catch(async (error: unknown) => {
    await sandbox.close();
    throw error;
  });
  const relayUrl = relay.url;
  const stop = async () => {
    await relay.stop();
    await sandbox.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const jwt = sign({ client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID }, secretKey, { algorithm: 'HS256' });
  const observables = readFileSync(join(PROJECT_ROOT, 'observables.json'), 'utf8').replace(/\s+/g, ' ').trim();
  // The same values Swagger UI offers, so "Try it out" and these lines give the same answers.
  const machine = JSON.stringify([{ type: 'ms_machine_id', value: EXAMPLE_MACHINE_ID }]);
  const pua = JSON.stringify([{ type: 'sha1', value: REAL_PAYLOADS.puaFile.sha1 }]);
  const post = (path: string, body?: string) =>
    `curl -s -X POST ${relayUrl}${path} -H "Authorization: Bearer $JWT" -H 'Content-Type: application/json'${body ? ` -d '${body}'` : ''}`;

  process.stdout.write(
    [
      '',
      `Defender sandbox  ${sandbox.url}  (demo tenant ${DEMO_TENANT_ID}, Defender-like rate limits on)`,
      `Defender Relay    ${relayUrl}  Swagger UI: ${relayUrl}/docs  (Authorize with the JWT below)`,
      '',
      `export JWT=${jwt}`,
      '',
      `curl -s ${relayUrl}/version`,
      `curl -s ${relayUrl}/watchdog -H 'Health-Check: ok'`,
      post('/health'),
      post('/refer/observables', observables),
      post('/observe/observables', observables),
      post('/deliberate/observables', observables),
      `${post('/deliberate/observables', pua)}   # Microsoft's Pua example file: Suspicious`,
      post('/respond/observables', machine),
      post('/respond/trigger', JSON.stringify(EXAMPLE_TRIGGER)),
      `# The scan stays pending for ${PENDING_MS / 60_000} minutes: listing the device's actions again offers "Cancel pending antivirus scan (Quick)".`,
      post('/respond/observables', machine),
      post('/tiles'),
      post('/tiles/tile-data', JSON.stringify({ tile_id: 'alerts-summary', period: 'last_24_hours' })),
      '',
      'Each request above adds one JSON log line here (LOG_LEVEL=warn npm run demo hides them).',
      'Ctrl-C stops both.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
