/**
 * The production relay (`npm run start:prod`'s entry) as a child process wired to a Defender
 * sandbox: shared by the demo, the benchmarks and the tests that need a real process.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { dirname, join } from 'node:path';

/** The project folder, found from here whether this runs from source or from dist/tools. */
export const PROJECT_ROOT = (() => {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'defender-relay') return dir;
  }
  throw new Error('defender-relay package.json not found above ' + __dirname);
})();

/**
 * `npm run start:prod` (`node [flags] entry.js`), so that everything started from here runs the
 * relay with production's Node flags. package.json is the one place naming the command; the
 * Dockerfile's CMD is held equal to it by test/ops.
 */
const START_PROD = (() => {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const words = pkg.scripts['start:prod'].trim().split(/\s+/);
  if (words[0] !== 'node' || !words[words.length - 1].endsWith('.js')) throw new Error(`start:prod is not 'node [flags] entry.js': ${pkg.scripts['start:prod']}`);
  return { flags: words.slice(1, -1), main: words[words.length - 1] };
})();

/** Node flags production starts the relay with (heap sizing, see the Dockerfile). */
export const RELAY_NODE_FLAGS: readonly string[] = START_PROD.flags;
export const RELAY_MAIN = join(PROJECT_ROOT, START_PROD.main);

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
  options: { port?: number; inheritOutput?: boolean; startTimeoutMs?: number } = {},
): Promise<RelayProcess> {
  if (!existsSync(RELAY_MAIN)) throw new Error(`${RELAY_MAIN} is missing: run \`npm run build\` first`);
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, [...RELAY_NODE_FLAGS, RELAY_MAIN], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' } as NodeJS.ProcessEnv,
    stdio: options.inheritOutput ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
  });
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
