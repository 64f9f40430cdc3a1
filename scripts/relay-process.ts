/**
 * The production relay (`npm run start:prod`'s entry) as a child process wired to a Defender
 * sandbox: shared by the demo, the benchmarks and the tests that need a real process.
 */
import { ChildProcess, spawn, StdioOptions } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { dirname, join } from 'node:path';

interface PackageJson {
  name?: string;
  main: string;
  scripts: Record<string, string>;
}

/** The project folder and its package.json, found from here whether this runs from source or from dist/tools. */
const PROJECT = (() => {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
    if (pkg.name === 'defender-relay') return { root: dir, pkg };
  }
  throw new Error('defender-relay package.json not found above ' + __dirname);
})();

export const PROJECT_ROOT = PROJECT.root;
const PACKAGE = PROJECT.pkg;

/** The built relay: package.json's `main`, the one place its path is written. */
export const RELAY_MAIN = join(PROJECT_ROOT, PACKAGE.main);

/**
 * `npm run start:prod`'s arguments to node (any flags, then the entry), run from the project
 * folder. The Dockerfile's CMD repeats start:prod (test/ops.e2e.ts checks that), and every
 * relay process of the tests, benchmarks and demo starts with these, so all start alike.
 */
export const RELAY_NODE_ARGS = (() => {
  const [program, ...args] = PACKAGE.scripts['start:prod'].trim().split(/\s+/);
  if (program !== 'node') throw new Error(`package.json's start:prod must run node, not ${program}`);
  return args;
})();

/**
 * Starts the built relay as `npm run start:prod` does, with exactly `env` as its environment;
 * `extraNodeFlags` (e.g. --cpu-prof, which NODE_OPTIONS refuses) go before start:prod's.
 */
export function spawnRelay(env: Record<string, string | undefined>, stdio: StdioOptions, extraNodeFlags: readonly string[] = []): ChildProcess {
  if (!existsSync(RELAY_MAIN)) throw new Error(`${RELAY_MAIN} is missing: run \`npm run build\` first`);
  return spawn(process.execPath, [...extraNodeFlags, ...RELAY_NODE_ARGS], { cwd: PROJECT_ROOT, env: env as NodeJS.ProcessEnv, stdio });
}

export interface RelayProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** What the relay printed so far (when not inherited), for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited 5 s later. */
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The contract variables that point a relay at a sandbox (every Microsoft host is the sandbox). */
export function sandboxEnv(sandboxUrl: string, secretKey: string): Record<string, string> {
  return {
    SECRET_KEY: secretKey,
    DEFENDER_LOGIN_URL: sandboxUrl,
    DEFENDER_API_URL: sandboxUrl,
    GRAPH_API_URL: sandboxUrl,
    JWKS_HOSTS: `visibility.amp.cisco.com,${sandboxUrl}`,
  };
}

/** Starts the built relay on a free loopback port (or `port`) and waits until /version answers. */
export async function startRelayProcess(
  env: Record<string, string | undefined>,
  options: { port?: number; inheritOutput?: boolean; startTimeoutMs?: number; extraNodeFlags?: readonly string[] } = {},
): Promise<RelayProcess> {
  const port = options.port ?? (await freePort());
  const child = spawnRelay({ ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, options.inheritOutput ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'], options.extraNodeFlags);
  let printed = '';
  const keep = (chunk: Buffer) => (printed = (printed + chunk.toString('utf8')).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const relay: RelayProcess = { url: `http://127.0.0.1:${port}`, port, child, output: () => printed, stop: () => stop(child) };
  const until = Date.now() + (options.startTimeoutMs ?? 15_000);
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the relay exited with code ${child.exitCode}:\n${printed}`);
    try {
      if ((await fetch(`${relay.url}/version`)).ok) return relay;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await relay.stop();
  throw new Error(`${relay.url}/version did not answer in time:\n${printed}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
