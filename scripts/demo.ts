/**
 * `npm run demo`: the Defender sandbox plus the production relay (`npm run start:prod`'s entry)
 * wired to it, then a ready-to-paste JWT and curl lines for every endpoint. Ctrl-C stops both.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sign } from 'jsonwebtoken';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID, startSandbox } from '../apps/defender-sandbox/src';
import { EXAMPLE_MACHINE_ID, EXAMPLE_TRIGGER } from '../libs/common/src/observables/openapi-examples';
import { PROJECT_ROOT, sandboxEnv, startRelayProcess } from './relay-process';

const RELAY_PORT = Number(process.env.DEMO_RELAY_PORT ?? 9090);
const SANDBOX_PORT = Number(process.env.DEMO_SANDBOX_PORT ?? 9191);

async function main(): Promise<void> {
  const sandbox = await startSandbox({ port: SANDBOX_PORT, rateLimits: true });
  const secretKey = randomBytes(32).toString('hex');
  const relay = await startRelayProcess(
    { ...sandboxEnv(sandbox.url, secretKey), LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
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
      post('/respond/trigger', JSON.stringify(EXAMPLE_TRIGGER)),
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
