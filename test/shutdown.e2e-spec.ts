import { Sandbox, startSandbox } from '../apps/defender-sandbox/src';
import { relayEnv, request } from './support/relay-harness';
import { RelayProcess, startRelayProcess } from '../scripts/relay-process';
import { bearer, hsToken } from './support/tokens';

describe('graceful shutdown on SIGTERM (production entry point)', () => {
  let sandbox: Sandbox;
  let relay: RelayProcess | undefined;
  beforeAll(async () => (sandbox = await startSandbox()), 120_000);
  afterAll(async () => {
    await relay?.stop();
    await sandbox.close();
  });

  it('finishes the request in flight, refuses new ones, and exits 0', async () => {
    relay = await startRelayProcess(relayEnv(sandbox.url));
    const { url, child } = relay;
    sandbox.latency.set('alerts.list', 1500);
    const inFlight = request(`${url}/health`, { method: 'POST', headers: bearer(hsToken()) });
    await new Promise((r) => setTimeout(r, 400));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    await expect(fetch(`${url}/version`)).rejects.toThrow();
    expect((await inFlight).body).toEqual({ data: expect.objectContaining({ status: 'ok', hunting: 'graph' }) });
    expect(await exited).toBe(0);
  });
});
