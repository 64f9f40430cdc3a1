/**
 * `npm run bench:state`: what a flood of made-up tenants costs the relay's in-memory state.
 *
 * Tenant ids that pass the guard (random GUIDs) are charged to the in-memory rate-limit store with
 * the keys and windows the Defender client uses (three general APIs and hunting per tenant), and
 * each gets a token-cache entry in the in-memory key-value store, as a request that reached Azure
 * AD would. The heap is measured after a full GC: before, right after the flood (every window still
 * open, so only the bounds hold memory down), and once the stores' clock has passed the longest
 * window and token lifetime (simulated: the sweeps run on the next call). Prints a table and one
 * JSON line.
 *
 * Env: FLOOD_TENANTS (30000). Runs in this process with --expose-gc (re-executes itself with it).
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { MemoryKeyValueStore } from '../libs/common/src/state/key-value';
import { MemoryWindowStore } from '../libs/common/src/state/sliding-window';
import { DEFENDER_LIMITS } from '../libs/defender/src/limits/defender-limits';
import { positiveInt } from './process-usage';

const APIS = ['alerts', 'machines', 'files/alerts'];
const SEALED = JSON.stringify({ sealed: randomBytes(1200).toString('base64'), refreshAt: Date.now() + 3_000_000 });
const HOUR_MS = 3_600_000;


function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** A GUID as the guard hands it on: a flat string parsed from the token's JSON payload. */
const tenantId = (): string => JSON.parse(JSON.stringify({ tenant_id: randomUUID() })).tenant_id as string;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  const tenants = positiveInt('FLOOD_TENANTS', 30_000, 1_000_000);
  let now = Date.now();
  const windows = new MemoryWindowStore(() => now);
  const kv = new MemoryKeyValueStore(undefined, () => now);
  await windows.tryAcquire('warm-up', DEFENDER_LIMITS.general);
  const before = heapAfterGc();

  const started = performance.now();
  for (let i = 0; i < tenants; i++) {
    const tenant = tenantId();
    for (const api of APIS) await windows.tryAcquire(`general:${api}:${tenant}`, DEFENDER_LIMITS.general);
    await windows.tryAcquire(`hunting:${tenant}`, DEFENDER_LIMITS.hunting);
    // As TokenService names a sealed token: tenant, client, a hash prefix; the value is about this size.
    await kv.set(`token:${tenant}:${tenantId()}:${createHash('sha256').update(tenant).digest('hex').slice(0, 32)}`, SEALED, HOUR_MS);
    now += 1;
  }
  const floodMs = performance.now() - started;
  const afterFlood = heapAfterGc();
  const logsAfterFlood = windows.size;
  const kvAfterFlood = kv.size;

  now += HOUR_MS + 60_000;
  await windows.tryAcquire('after-an-hour', DEFENDER_LIMITS.general);
  await kv.set('after-an-hour', '1', 60_000);
  const afterSweep = heapAfterGc();

  const rows: Array<[string, string, string]> = [
    ['before the flood', mb(before), '-'],
    [`after ${tenants} tenants (windows open)`, mb(afterFlood), `${logsAfterFlood} window logs, ${kvAfterFlood} kv entries`],
    ['an hour later (swept)', mb(afterSweep), `${windows.size} window logs, ${kv.size} kv entries`],
  ];
  console.log(`In-memory state under a flood of ${tenants} made-up tenants (${(4 * tenants).toLocaleString('en')} limiter charges in ${(floodMs / 1000).toFixed(1)} s)`);
  for (const [what, heap, held] of rows) console.log(`  ${what.padEnd(38)} heapUsed ${heap.padStart(9)}   ${held}`);
  console.log(
    JSON.stringify({
      bench: 'state',
      tenants,
      heapBeforeMb: +(before / 2 ** 20).toFixed(1),
      heapAfterFloodMb: +(afterFlood / 2 ** 20).toFixed(1),
      heapAfterSweepMb: +(afterSweep / 2 ** 20).toFixed(1),
      windowLogsAfterFlood: logsAfterFlood,
      kvEntriesAfterFlood: kvAfterFlood,
      windowLogsAfterSweep: windows.size,
      kvEntriesAfterSweep: kv.size,
    }),
  );
}

if (typeof (globalThis as { gc?: unknown }).gc !== 'function') {
  const run = spawnSync(process.execPath, ['--expose-gc', __filename], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
