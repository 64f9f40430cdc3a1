import { startSandbox } from './sandbox';
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  DEFENDER_ONLY_CLIENT_ID,
  DEFENDER_ONLY_CLIENT_SECRET,
  OPAQUE_CLIENT_ID,
  OPAQUE_CLIENT_SECRET,
  READ_ONLY_CLIENT_ID,
  READ_ONLY_CLIENT_SECRET,
  NOPERM_CLIENT_ID,
  NOPERM_CLIENT_SECRET,
  OTHER_CLIENT_ID,
  OTHER_CLIENT_SECRET,
  OTHER_TENANT_ID,
} from './seed';

// CLI: `npm run sandbox`. Env: SANDBOX_PORT (9191), SANDBOX_HOST (127.0.0.1),
// SANDBOX_RATE_LIMITS (on|off, default on), SANDBOX_LATENCY_MS (0).

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
  return Number(raw);
}

function onOffEnv(name: string, fallback: boolean): boolean {
  const raw = (process.env[name] ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  if (['on', 'true', '1', 'yes'].includes(raw)) return true;
  if (['off', 'false', '0', 'no'].includes(raw)) return false;
  throw new Error(`${name} must be on or off, got '${raw}'`);
}

async function main(): Promise<void> {
  const sandbox = await startSandbox({
    port: intEnv('SANDBOX_PORT', 9191),
    host: process.env.SANDBOX_HOST || '127.0.0.1',
    rateLimits: onOffEnv('SANDBOX_RATE_LIMITS', true),
    latencyMs: intEnv('SANDBOX_LATENCY_MS', 0),
  });
  const { url } = sandbox;
  console.log(`Defender sandbox listening on ${url}`);
  console.log(`  rate limits: ${sandbox.rateLimitsEnabled ? 'on' : 'off'}, latency: ${intEnv('SANDBOX_LATENCY_MS', 0)} ms`);
  console.log('');
  console.log('Demo credentials (tenant with all relay permissions):');
  console.log(`  tenant_id     ${DEMO_TENANT_ID}`);
  console.log(`  client_id     ${DEMO_CLIENT_ID}`);
  console.log(`  client_secret ${DEMO_CLIENT_SECRET}`);
  console.log(`No-permission app (same tenant): ${NOPERM_CLIENT_ID} / ${NOPERM_CLIENT_SECRET}`);
  console.log(`Defender-only app: ${DEFENDER_ONLY_CLIENT_ID} / ${DEFENDER_ONLY_CLIENT_SECRET}`);
  console.log(`Read-only app: ${READ_ONLY_CLIENT_ID} / ${READ_ONLY_CLIENT_SECRET}`);
  console.log(`Opaque-token app: ${OPAQUE_CLIENT_ID} / ${OPAQUE_CLIENT_SECRET}`);
  console.log(`Other tenant: ${OTHER_TENANT_ID} app ${OTHER_CLIENT_ID} / ${OTHER_CLIENT_SECRET}`);
  console.log('');
  console.log('Point the relay at it:');
  console.log(`  DEFENDER_LOGIN_URL=${url} DEFENDER_API_URL=${url} GRAPH_API_URL=${url} JWKS_HOSTS=${url}`);
  console.log(`Controls: ${url}/_sandbox/{stats,faults,latency,rate-limits,config,reset,tokens/expire,jwks/sign}`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal} received, stopping the sandbox`);
    sandbox.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
