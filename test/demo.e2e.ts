/**
 * `npm run demo` as the README describes it: the compiled demo (the e2e global setup builds
 * dist/tools) on the ports DEMO_RELAY_PORT / DEMO_SANDBOX_PORT choose, its curl lines answered, the
 * relay's JSON request log shown, Ctrl-C (SIGINT) stopping both, and a busy port named by the
 * variable that moves it.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createServer, Server } from 'node:net';
import { join } from 'node:path';
import { REAL_PAYLOADS } from '../apps/defender-sandbox/src';
import { freePort } from '../scripts/relay-process';

const DEMO = join(__dirname, '..', 'dist/tools/scripts/demo.js');

interface Demo {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

function startDemo(env: Record<string, string>, script = DEMO): Demo {
  const child = spawn(process.execPath, [script], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(demo: Demo, text: string): Promise<void> {
  for (let i = 0; i < 300 && !demo.output().includes(text); i++) {
    if (demo.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(demo.output()).toContain(text);
}

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject).listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('npm run demo', () => {
  let demo: Demo | undefined;
  afterEach(async () => {
    if (demo && demo.child.exitCode === null && demo.child.signalCode === null) {
      demo.child.kill('SIGKILL');
      await demo.exited;
    }
    demo = undefined;
  });

  it('serves on DEMO_RELAY_PORT / DEMO_SANDBOX_PORT, prints a JWT, logs each request as JSON, shows every tile, and stops on Ctrl-C', async () => {
    const [relayPort, sandboxPort] = [await freePort(), await freePort()];
    demo = startDemo({ DEMO_RELAY_PORT: String(relayPort), DEMO_SANDBOX_PORT: String(sandboxPort) });
    await waitFor(demo, 'Ctrl-C stops both.');
    const printed = demo.output();
    expect(printed).toContain(`Defender sandbox  http://127.0.0.1:${sandboxPort}`);
    expect(printed).toContain(`Swagger UI: http://127.0.0.1:${relayPort}/docs`);
    expect(printed).toMatch(/"msg":"Defender Relay [^"]+ listening on http:\/\/127\.0\.0\.1:\d+; auth: HS256 on/);
    const jwt = /export JWT=(\S+)/.exec(printed)?.[1] ?? '';

    const observe = await fetch(`http://127.0.0.1:${relayPort}/observe/observables`, {
      method: 'POST',
      headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json', 'x-request-id': 'demo-e2e-1' },
      body: JSON.stringify([{ type: 'ip', value: '198.51.100.23' }]),
    });
    expect(((await observe.json()) as { data: { sightings: { count: number } } }).data.sightings.count).toBeGreaterThan(0);
    await waitFor(demo, '"id":"demo-e2e-1"');
    const line = demo.output().split('\n').find((l) => l.includes('"id":"demo-e2e-1"')) ?? '';
    expect(JSON.parse(line)).toMatchObject({ req: { id: 'demo-e2e-1', method: 'POST', url: '/observe/observables' }, res: { statusCode: 200 }, msg: 'request completed' });

    // Microsoft's Pua file example is judged Suspicious, as the printed deliberate line shows.
    const puaLine = printed.split('\n').find((l) => l.includes('/deliberate/observables') && l.includes(REAL_PAYLOADS.puaFile.sha1));
    expect(puaLine).toMatch(/# Microsoft's Pua example file: Suspicious$/);
    const deliberate = await fetch(`http://127.0.0.1:${relayPort}/deliberate/observables`, {
      method: 'POST',
      headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ type: 'sha1', value: REAL_PAYLOADS.puaFile.sha1 }]),
    });
    const judged = (await deliberate.json()) as { data: { verdicts: { docs: Array<{ disposition_name: string }> } } };
    expect(judged.data.verdicts.docs.map((v) => v.disposition_name)).toEqual(['Suspicious']);

    // The seed was moved to now: every dashboard tile shows something in every period.
    const post = async (path: string, body?: unknown) =>
      (await fetch(`http://127.0.0.1:${relayPort}${path}`, { method: 'POST', headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) })).json() as Promise<{
        data: { id: string; periods: string[] }[] & { data: unknown };
        errors?: unknown;
      }>;
    const tiles = (await post('/tiles')).data;
    expect(tiles).toHaveLength(6);
    for (const tile of tiles) {
      for (const period of tile.periods) {
        const answer = await post('/tiles/tile-data', { tile_id: tile.id, period });
        const counts = [...JSON.stringify(answer.data.data).matchAll(/"value":(\d+)/g)].map((m) => Number(m[1]));
        expect({ tile: tile.id, period, errors: answer.errors, shows: Math.max(0, ...counts) > 0 }).toEqual({ tile: tile.id, period, errors: undefined, shows: true });
      }
    }

    // Sandbox actions stay pending in the demo, so the offer to cancel one shows.
    const machine = [{ type: 'ms_machine_id', value: '985ecec0d21c0c98890573e3a094474a2b6dbf6a' }];
    expect(await post('/respond/trigger', { 'action-id': 'microsoft-defender-RunAntiVirusScanQuick', observable_type: 'ms_machine_id', observable_value: machine[0].value })).toEqual({ data: { status: 'success' } });
    const offered = (await post('/respond/observables', machine)).data as unknown as { id: string; title: string }[];
    expect(offered).toContainEqual(expect.objectContaining({ id: 'microsoft-defender-cancel-machine-action', title: 'Cancel pending antivirus scan (Quick)' }));
    expect(printed).toContain('offers "Cancel pending antivirus scan (Quick)"');

    demo.child.kill('SIGINT');
    expect(await demo.exited).toBe(0);
  }, 60_000);

  it.each([
    ['the demo', DEMO],
    ['npm run demo before it builds (scripts/demo-ports.js)', join(__dirname, '..', 'scripts/demo-ports.js')],
  ])('%s names every busy port at once', async (_name, script) => {
    const [relayPort, sandboxPort] = [await freePort(), await freePort()];
    const squatters = [await listenOn(relayPort), await listenOn(sandboxPort)];
    try {
      demo = startDemo({ DEMO_RELAY_PORT: String(relayPort), DEMO_SANDBOX_PORT: String(sandboxPort) }, script);
      expect(await demo.exited).toBe(1);
      expect(demo.output()).toBe(
        `demo failed: ports ${relayPort} (DEMO_RELAY_PORT) and ${sandboxPort} (DEMO_SANDBOX_PORT) are busy (a demo or relay still running?); ` +
          `stop them, or choose other ports: DEMO_RELAY_PORT=${relayPort + 1000} DEMO_SANDBOX_PORT=${sandboxPort + 1000} npm run demo\n`,
      );
    } finally {
      for (const squatter of squatters) squatter.close();
    }
  });

  it.each(['DEMO_RELAY_PORT', 'DEMO_SANDBOX_PORT'])('a busy port is named by %s, the variable that moves it', async (variable) => {
    const [relayPort, sandboxPort] = [await freePort(), await freePort()];
    const busy = variable === 'DEMO_RELAY_PORT' ? relayPort : sandboxPort;
    const squatter = await listenOn(busy);
    try {
      demo = startDemo({ DEMO_RELAY_PORT: String(relayPort), DEMO_SANDBOX_PORT: String(sandboxPort) });
      expect(await demo.exited).toBe(1);
      expect(demo.output()).toBe(`demo failed: port ${busy} is busy (a demo or relay still running?); stop it, or choose another port: ${variable}=${busy + 1000} npm run demo\n`);
    } finally {
      squatter.close();
    }
  });

  it('refuses a port variable that is not a port number', async () => {
    demo = startDemo({ DEMO_RELAY_PORT: 'http' });
    expect(await demo.exited).toBe(1);
    expect(demo.output()).toBe("demo failed: DEMO_RELAY_PORT must be a port number from 1 to 65535 (got 'http')\n");
  });
});
