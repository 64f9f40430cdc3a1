/**
 * What an operator sees when the production entry point (`npm run start:prod`) starts: one summary
 * line at info instead of Nest's module and route lists, a warning when HS256 is off, and start-up
 * errors that name the variable to change.
 */
import { RELAY_VERSION } from '@app/common';
import { createServer, Server } from 'node:net';
import { DEMO_OBSERVABLES, Sandbox, startSandbox } from '../apps/defender-sandbox/src';
import { join } from 'node:path';
import { freePort, RelayProcess, sandboxEnv, spawnRelay, startRelayProcess } from '../scripts/relay-process';
import { bearer, hsToken, TEST_SECRET_KEY } from './support/tokens';

interface LogLine {
  level: number;
  msg: string;
  context?: string;
  [field: string]: unknown;
}

const INFO = 30;
const WARN = 40;

/** The JSON log lines a relay printed, leaving out request lines (the start-up check polls /version). */
function startupLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine)
    .filter((line) => line.req === undefined);
}

/** Starts the built relay with `env` (PORT and HOST included) and waits for it to give up. */
function runUntilExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnRelay({ PATH: process.env.PATH ?? '', HOST: '127.0.0.1', ...env }, ['ignore', 'pipe', 'pipe']);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the relay did not exit within 15 s:\n${output}`));
    }, 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The summary is logged just after the port opens, so it may trail the first answer a little. */
async function started(relay: RelayProcess): Promise<RelayProcess> {
  for (let i = 0; i < 50 && !relay.output().includes(' listening on '); i++) await new Promise((r) => setTimeout(r, 100));
  return relay;
}

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject).listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('start-up of the production entry point', () => {
  let sandbox: Sandbox;
  let relay: RelayProcess | undefined;
  beforeAll(async () => (sandbox = await startSandbox()));
  afterEach(async () => {
    await relay?.stop();
    relay = undefined;
  });
  afterAll(() => sandbox.close());

  it('prints one summary line at info (address, auth, hosts, hunting, state, metrics) and none of Nest’s start-up lines', async () => {
    const metricsPort = await freePort();
    relay = await started(await startRelayProcess({ ...sandboxEnv(sandbox.url, TEST_SECRET_KEY), LOG_LEVEL: 'info', METRICS_PORT: String(metricsPort), METRICS_HOST: '127.0.0.1' }));
    const lines = startupLines(relay.output());
    expect(lines.map((l) => [l.level, l.context])).toEqual([[INFO, 'DefenderRelay']]);
    const [summary] = lines;
    expect(summary.msg).toBe(
      `Defender Relay ${RELAY_VERSION} listening on http://127.0.0.1:${relay.port}; auth: HS256 on, RS256 off (RELAY_PUBLIC_URL unset); ` +
        `commercial cloud: login ${sandbox.url}, API ${sandbox.url}, portal https://security.microsoft.com; ` +
        `hunting: auto (Graph ${sandbox.url}; Defender's retiring API only for apps Graph refuses, until 2027-02-01); ` +
        `state: memory (one replica); metrics: http://127.0.0.1:${metricsPort}/metrics`,
    );
    expect(summary).toMatchObject({ version: RELAY_VERSION, address: `http://127.0.0.1:${relay.port}`, auth: { hs256: true, rs256: false }, hunting: 'auto', state: 'memory' });
  });

  // The build bundles and minifies the dependencies: Swagger's schema names come from class names, and Swagger UI's assets are files in node_modules.
  it('the built relay serves the API document with its schemas’ class names, and Swagger UI with its assets', async () => {
    relay = await started(await startRelayProcess({ ...sandboxEnv(sandbox.url, TEST_SECRET_KEY), LOG_LEVEL: 'warn' }));
    const doc = (await (await fetch(`${relay.url}/docs-json`)).json()) as { components: { schemas: Record<string, unknown> } };
    expect(Object.keys(doc.components.schemas).sort()).toEqual(['ObservableDto', 'TileDataRequestDto', 'TileRequestDto', 'TriggerDto']);
    const page = await fetch(`${relay.url}/docs/`);
    expect([page.status, await page.text()]).toEqual([200, expect.stringContaining('swagger-ui-bundle.js')]);
    const css = await fetch(`${relay.url}/docs/swagger-ui.css`);
    expect([css.status, css.headers.get('content-type'), (await css.text()).length > 10_000]).toEqual([200, expect.stringContaining('text/css'), true]);
  });

  // The relay's calls never use fetch; Node's fetch implementation would take ~2.7 MB (axios reads its globals as it loads).
  it('the built relay answers without loading Node’s fetch implementation', async () => {
    const probe = join(__dirname, 'support', 'report-undici.js');
    relay = await started(await startRelayProcess({ ...sandboxEnv(sandbox.url, TEST_SECRET_KEY), LOG_LEVEL: 'warn' }, { extraNodeFlags: ['--require', probe] }));
        const observe = await fetch(`${relay.url}/observe/observables`, { method: 'POST', headers: { ...bearer(hsToken()), 'content-type': 'application/json' }, body: JSON.stringify(DEMO_OBSERVABLES) });
    expect([observe.status, ((await observe.json()) as { data: { sightings?: { count: number } } }).data.sightings?.count]).toEqual([200, expect.any(Number)]);
    await relay.stop();
    expect(relay.output()).toContain('undici loaded: false');
  });

  it('keeps Nest’s start-up lines at debug for whoever asks for them', async () => {
    relay = await started(await startRelayProcess({ ...sandboxEnv(sandbox.url, TEST_SECRET_KEY), LOG_LEVEL: 'debug' }));
    const contexts = startupLines(relay.output()).map((l) => l.context);
    expect(contexts).toEqual(expect.arrayContaining(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'DefenderRelay']));
  });

  it('warns at start that every HS256 token will be refused without SECRET_KEY', async () => {
    relay = await started(await startRelayProcess({ ...sandboxEnv(sandbox.url, TEST_SECRET_KEY), SECRET_KEY: '', RELAY_PUBLIC_URL: 'https://relay.example.com', LOG_LEVEL: 'info' }));
    const lines = startupLines(relay.output());
    expect(lines[0].msg).toContain('auth: HS256 off (SECRET_KEY unset), RS256 on (aud https://relay.example.com');
    expect(lines.filter((l) => l.level === WARN).map((l) => l.msg)).toEqual([
      'SECRET_KEY is not set: every HS256 token will be refused (npm run jwt makes a key and a module JWT)',
    ]);
  });

  it('a busy PORT stops start-up with a message naming PORT', async () => {
    const port = await freePort();
    const squatter = await listenOn(port);
    try {
      const { code, output } = await runUntilExit({ ...sandboxEnv(sandbox.url, TEST_SECRET_KEY), PORT: String(port) });
      expect(code).toBe(1);
      expect(output).toContain(
        `Defender Relay failed to start: PORT=${port} is already in use on 127.0.0.1 (another relay or service listens on 127.0.0.1:${port}); stop it or set PORT to a free port`,
      );
    } finally {
      squatter.close();
    }
  });

  it('a busy METRICS_PORT stops start-up with a message naming METRICS_PORT', async () => {
    const port = await freePort();
    const squatter = await listenOn(port);
    try {
      const { code, output } = await runUntilExit({ ...sandboxEnv(sandbox.url, TEST_SECRET_KEY), PORT: '0', METRICS_PORT: String(port), METRICS_HOST: '127.0.0.1' });
      expect(code).toBe(1);
      expect(output).toContain(`METRICS_PORT=${port} is already in use on 127.0.0.1`);
      expect(output).toContain('set METRICS_PORT to a free port');
    } finally {
      squatter.close();
    }
  });

  it.each([
    ['METRICS_PORT equal to PORT', { PORT: '9999', METRICS_PORT: '9999' }, 'METRICS_PORT: must differ from PORT (both are 9999); metrics have a port of their own so they are never served publicly'],
    ['PORT=70000', { PORT: '70000' }, "PORT: must be a port number from 0 to 65535 (got '70000')"],
  ])('%s is refused before anything listens, with a message naming it', async (_name, env, message) => {
    const { code, output } = await runUntilExit({ ...sandboxEnv(sandbox.url, TEST_SECRET_KEY), ...env });
    expect(code).toBe(1);
    expect(output).toBe(`Invalid configuration:\n  - ${message}\n`);
  });

  it('five mistakes in one environment: one start-up failure listing all five', async () => {
    const mistakes = { BODY_LIMIT: 'lots', QUARANTINE_MAX_DEVICES: '0', HEADERS_TIMEOUT_MS: '90000', INDICATOR_SEVERITY: 'Urgent', METRICS_PORT: '9999', PORT: '9999' };
    const { code, output } = await runUntilExit({ ...sandboxEnv(sandbox.url, TEST_SECRET_KEY), ...mistakes });
    expect(code).toBe(1);
    expect(output.split('\n')).toEqual([
      'Invalid configuration:',
      expect.stringMatching(/^ {2}- BODY_LIMIT: .*\(got 'lots'\)$/),
      expect.stringMatching(/^ {2}- HEADERS_TIMEOUT_MS: 90000 ms is longer than REQUEST_TIMEOUT_MS/),
      expect.stringMatching(/^ {2}- METRICS_PORT: must differ from PORT/),
      "  - QUARANTINE_MAX_DEVICES: must be at least 1 (got '0')",
      expect.stringMatching(/^ {2}- INDICATOR_SEVERITY: must be one of .*\(got 'Urgent'\)$/),
      '',
    ]);
  });

  it('NODE_ENV=production with no way to authenticate callers stops start-up saying what to set', async () => {
    const env = { ...sandboxEnv(sandbox.url, TEST_SECRET_KEY), NODE_ENV: 'production' };
    delete (env as Record<string, string>).SECRET_KEY;
    const { code, output } = await runUntilExit(env);
    expect(code).toBe(1);
    expect(output).toMatch(/^Invalid configuration:\n {2}- SECRET_KEY \/ RELAY_PUBLIC_URL: with NODE_ENV=production one of them must be set/);
  });
});
