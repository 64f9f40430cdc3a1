/**
 * `npm run bench:tiles`: Defender calls the dashboard tiles cost a tenant per minute.
 *
 * The built relay (dist, the same code `npm run start:prod` runs) is created in this process with
 * a simulated clock, so minutes pass at once and exactly; it listens on loopback and is called
 * over HTTP with the demo tenant's JWT. The Defender sandbox (seed moved to now, Defender's rate
 * limits on, counted on the same simulated clock) counts every call it receives. Each scenario starts a fresh relay (empty cache) and
 * refreshes the tiles at the start of every simulated minute; "cold" is the first minute, "warm"
 * the minutes after it. Counted: calls to the Defender API (alerts, machines, machine actions,
 * indicators lists); Azure AD token calls are shown apart. Prints a table and one JSON line.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { sign } from 'jsonwebtoken';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID, RouteKey, Sandbox, startSandbox } from '../apps/defender-sandbox/src';
import { sandboxEnv } from '../scripts/relay-process';

const MINUTES = Number(process.env.TILES_BENCH_MINUTES ?? 10);
const MINUTE = 60_000;
const TILES = ['alerts-summary', 'alerts-over-time', 'top-alerted-devices', 'alerts-by-detection-source', 'device-posture', 'response-activity'];
const PERIODS = ['last_hour', 'last_24_hours', 'last_7_days', 'last_30_days'];
const ROUTES: RouteKey[] = ['alerts.list', 'machines.list', 'machineactions.list', 'indicators.list'];

interface RelayApp {
  listen(port: number, host: string): Promise<unknown>;
  getUrl(): Promise<string>;
  close(): Promise<void>;
}
type CreateRelayApp = (env: Record<string, string | undefined>, options?: { clock?: () => number }) => Promise<RelayApp>;

/**
 * The relay's app factory from this benchmark's own compiled tree (dist/tools), with the `@app/*`
 * library aliases resolved at run time: the production build is one bundle that exports nothing,
 * and the benchmark needs the factory itself to hand the relay a simulated clock.
 */
function compiledFactory(): CreateRelayApp {
  const root = join(__dirname, '..');
  const libs = ['common', 'defender', 'ctim'];
  const paths = Object.fromEntries(libs.flatMap((lib) => [[`@app/${lib}`, [`libs/${lib}/src`]], [`@app/${lib}/*`, [`libs/${lib}/src/*`]]]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- registered before the relay's modules load
  (require('tsconfig-paths') as { register(options: { baseUrl: string; paths: Record<string, string[]> }): void }).register({ baseUrl: root, paths });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the aliases are registered
  return (require(join(root, 'apps/relay/src/app.factory')) as { createRelayApp: CreateRelayApp }).createRelayApp;
}

interface Scenario {
  label: string;
  /** Each minute's refreshes (spread evenly over it), each a list of [tile, period] asked for at once. */
  rounds: string[][][];
  ttlMs?: number;
}

const everyTile = (periods: string[]) => periods.map((period) => TILES.map((tile) => [tile, period]));

const SCENARIOS: Scenario[] = [
  { label: '6 tiles x 4 periods, once a minute', rounds: [everyTile(PERIODS).flat()] },
  { label: '6 tiles x 4 periods, 3 screens a minute', rounds: [everyTile(PERIODS).flat(), everyTile(PERIODS).flat(), everyTile(PERIODS).flat()] },
  { label: '6 tiles x 1 period (default), once a minute', rounds: [everyTile(['last_24_hours']).flat()] },
  { label: '6 tiles x 4 periods, TILES_CACHE_TTL_MS=0', rounds: [everyTile(PERIODS).flat()], ttlMs: 0 },
];

interface Row {
  scenario: string;
  tileRequestsPerMinute: number;
  cold: Record<string, number>;
  warmPerMinute: Record<string, number>;
  warmMaxPerMinute: number;
  tokenCalls: number;
  errors: number;
}

/** The simulated time of the relay and the sandbox alike. */
let now = Date.now();

async function run(scenario: Scenario, sandbox: Sandbox, secretKey: string, createRelayApp: CreateRelayApp): Promise<Row> {
  // Past the previous scenario's rate-limit minute.
  const start = (now += 2 * MINUTE);
  const env: Record<string, string> = { ...sandboxEnv(sandbox.url, secretKey), LOG_LEVEL: 'silent', TILES_CACHE_TTL_MS: String(scenario.ttlMs ?? 60_000) };
  const app = await createRelayApp(env, { clock: () => now });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const authorization = `Bearer ${sign({ client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID }, secretKey, { algorithm: 'HS256' })}`;
  sandbox.stats.reset();
  let errors = 0;
  const counts = () => Object.fromEntries(ROUTES.map((r) => [r, sandbox.stats.count(r, DEMO_TENANT_ID)]));
  const perMinute: Record<string, number>[] = [];
  try {
    for (let minute = 0; minute < MINUTES; minute++) {
      const before = counts();
      for (const [i, round] of scenario.rounds.entries()) {
        // The screens of a minute refresh evenly spread over it.
        now = start + minute * MINUTE + i * Math.floor(MINUTE / scenario.rounds.length);
        const answers = await Promise.all(
          round.map(async ([tile_id, period]) => {
            const res = await fetch(`${url}/tiles/tile-data`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify({ tile_id, period }) });
            return (await res.json()) as { errors?: unknown[] };
          }),
        );
        errors += answers.filter((a) => a.errors).length;
      }
      const after = counts();
      perMinute.push(Object.fromEntries(ROUTES.map((r) => [r, after[r] - before[r]])));
    }
  } finally {
    await app.close();
  }
  const total = (c: Record<string, number>) => ROUTES.reduce((t, r) => t + c[r], 0);
  const warm = perMinute.slice(1);
  const average = Object.fromEntries(ROUTES.map((r) => [r, round(warm.reduce((t, c) => t + c[r], 0) / Math.max(1, warm.length), 2)]));
  return {
    scenario: scenario.label,
    tileRequestsPerMinute: scenario.rounds.reduce((t, r) => t + r.length, 0),
    cold: { ...perMinute[0], total: total(perMinute[0]) },
    warmPerMinute: { ...average, total: round(total(average), 2) },
    warmMaxPerMinute: Math.max(0, ...warm.map(total)),
    tokenCalls: sandbox.stats.count('token', DEMO_TENANT_ID),
    errors,
  };
}

function round(n: number, digits: number): number {
  return Number(n.toFixed(digits));
}

async function main(): Promise<void> {
  const createRelayApp = compiledFactory();
  const sandbox = await startSandbox({ rateLimits: true, seedTime: now, clock: () => now });
  const secretKey = randomBytes(32).toString('hex');
  const watchdog = setTimeout(() => {
    process.stderr.write('tiles bench: still running after 5 minutes; giving up\n');
    process.exit(2);
  }, 300_000);
  watchdog.unref();
  try {
    const rows: Row[] = [];
    for (const scenario of SCENARIOS) rows.push(await run(scenario, sandbox, secretKey, createRelayApp));
    const short = (c: Record<string, number>) => `${c['alerts.list']}/${c['machines.list']}/${c['machineactions.list']}/${c['indicators.list']}`;
    const lines = [
      `Defender calls per tenant per simulated minute over ${MINUTES} minutes (fresh relay per row; TILES_CACHE_TTL_MS=60000 unless said)`,
      'calls shown as total (alerts/machines/machineactions/indicators); cold = first minute, warm = average of the others',
      '',
      'scenario                                       tile req/min  cold          warm/min       warm max  token  errors',
      ...rows.map((r) =>
        [
          r.scenario.padEnd(46),
          String(r.tileRequestsPerMinute).padStart(12),
          `${r.cold.total} (${short(r.cold)})`.padStart(13),
          `${r.warmPerMinute.total} (${short(r.warmPerMinute)})`.padStart(14),
          String(r.warmMaxPerMinute).padStart(9),
          String(r.tokenCalls).padStart(6),
          String(r.errors).padStart(7),
        ].join(' '),
      ),
      '',
    ];
    process.stdout.write(lines.join('\n'));
    process.stdout.write(`${JSON.stringify({ bench: 'tiles', minutes: MINUTES, rows })}\n`);
  } finally {
    await sandbox.close();
    clearTimeout(watchdog);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`tiles bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
