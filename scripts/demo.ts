/**
 * `npm run demo`: the Defender sandbox plus the production relay (`npm run start:prod`'s entry)
 * wired to it, then a ready-to-paste JWT and curl lines for every endpoint. Ctrl-C stops both.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sign } from 'jsonwebtoken';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID, startSandbox } from '../apps/defender-sandbox/src';

const ROOT = join(__dirname, '..', '..', '..');
const RELAY_PORT = Number(process.env.DEMO_RELAY_PORT ?? 9090);
const SANDBOX_PORT = Number(process.env.DEMO_SANDBOX_PORT ?? 9191);

async function waitFor(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`the relay exited with code ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within 10 s`);
}

async function main(): Promise<void> {
  const sandbox = await startSandbox({ port: SANDBOX_PORT, rateLimits: true });
  const secretKey = randomBytes(32).toString('hex');
  const relayUrl = `http://127.0.0.1:${RELAY_PORT}`;
  const relay = spawn(process.execPath, [join(ROOT, 'dist/apps/relay/apps/relay/src/main.js')], {
    env: {
      ...process.env,
      PORT: String(RELAY_PORT),
      HOST: '127.0.0.1',
      SECRET_KEY: secretKey,
      DEFENDER_LOGIN_URL: sandbox.url,
      DEFENDER_API_URL: sandbox.url,
      GRAPH_API_URL: sandbox.url,
      JWKS_HOSTS: `visibility.amp.cisco.com,${sandbox.url}`,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const stop = async () => {
    relay.kill('SIGTERM');
    await sandbox.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await waitFor(`${relayUrl}/version`, relay);

  const jwt = sign({ client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID }, secretKey, { algorithm: 'HS256' });
  const observables = readFileSync(join(ROOT, 'observables.json'), 'utf8').replace(/\s+/g, ' ').trim();
  const machine = JSON.stringify([{ type: 'ms_machine_id', value: sandbox.state.machines[0].id }]);
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
      post('/respond/observables', machine),
      post('/respond/trigger', JSON.stringify({ 'action-id': 'microsoft-defender-RunAntiVirusScanQuick', observable_type: 'ms_machine_id', observable_value: sandbox.state.machines[0].id })),
      '',
      'Ctrl-C stops both.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
