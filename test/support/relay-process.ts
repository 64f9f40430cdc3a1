import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
export const RELAY_MAIN = join(ROOT, 'dist/apps/relay/apps/relay/src/main.js');

export interface RelayProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** CI builds before testing; a developer running one file alone gets a build here. */
export function ensureBuilt(): void {
  if (!existsSync(RELAY_MAIN)) execFileSync('npx', ['nest', 'build', 'relay'], { cwd: ROOT, stdio: 'ignore' });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The production entry point (`npm run start:prod`) as a child process, configured only by `env`. */
export async function startRelayProcess(env: Record<string, string | undefined>): Promise<RelayProcess> {
  ensureBuilt();
  const port = await freePort();
  const child = spawn(process.execPath, [RELAY_MAIN], { env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' } as NodeJS.ProcessEnv, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`relay exited early with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/version`)).ok) break;
    } catch {
      if (i > 150) throw new Error('relay did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
