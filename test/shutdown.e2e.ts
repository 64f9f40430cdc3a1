import { Sandbox, startSandbox } from '../apps/defender-sandbox/src';
import { relayEnv, request } from './support/relay-harness';
import { RelayProcess, startRelayProcess } from '../scripts/relay-process';
import { sandboxAnswered, sandboxReceived } from './support/sandbox-wait';
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
    sandbox.latency.set('alerts.list', 3000);
    const inFlight = request(`${url}/health`, { method: 'POST', headers: bearer(hsToken()) });
    await sandboxReceived(sandbox, 'alerts.list');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    await refusedWhileInFlight(url, sandbox);
    expect((await inFlight).body).toEqual({ data: expect.objectContaining({ status: 'ok', hunting: 'graph' }) });
    expect(await exited).toBe(0);
  });
});

/** Waits until the relay refuses new connections, and checks that the health request's Defender call is still open then. */
async function refusedWhileInFlight(url: string, sandbox: Sandbox): Promise<void> {
  for (;;) {
    const refused = await fetch(`${url}/version`).then(
      () => false,
      () => true,
    );
    if (refused) break;
  }
  expect(sandboxAnswered(sandbox, 'alerts.list')).toBe(false);
}
