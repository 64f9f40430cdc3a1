import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Sandbox, startSandbox } from '../apps/defender-sandbox/src';
import { relayEnv, request } from './support/relay-harness';
import { bearer, hsToken } from './support/tokens';

const ROOT = join(__dirname, '..');
const MAIN = join(ROOT, 'dist/apps/relay/apps/relay/src/main.js');

async function waitForVersion(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`relay exited early with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/version`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('relay did not start');
}

describe('graceful shutdown on SIGTERM (production entry point)', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    // CI builds before testing; a developer running this file alone gets a build here.
    if (!existsSync(MAIN)) execFileSync('npx', ['nest', 'build', 'relay'], { cwd: ROOT, stdio: 'ignore' });
    sandbox = await startSandbox();
  }, 120_000);
  afterAll(() => sandbox.close());

  it('finishes the request in flight, refuses new ones, and exits 0', async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const env = { ...process.env, ...relayEnv(sandbox.url), PORT: String(port), HOST: '127.0.0.1' } as NodeJS.ProcessEnv;
    const child = spawn(process.execPath, [MAIN], { env, stdio: 'ignore' });
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitForVersion(url, child);
      sandbox.latency.set('alerts.list', 1500);
      const inFlight = request(`${url}/health`, { method: 'POST', headers: bearer(hsToken()) });
      await new Promise((r) => setTimeout(r, 400));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      await expect(fetch(`${url}/version`)).rejects.toThrow();
      expect((await inFlight).body).toEqual({ data: { status: 'ok' } });
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
