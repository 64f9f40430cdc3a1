/**
 * The container image, checked without a Docker engine (neither this machine nor CI has one).
 *
 * The Dockerfile is parsed and its build replayed in a temporary folder: the build context is
 * filtered by .dockerignore exactly as `docker build` sends it, each COPY copies from that context
 * or from the earlier stage's folder, and each RUN step is executed — except the build stage's
 * `npm ci`, which is stood in for by this checkout's node_modules (same package-lock.json), and
 * `npm cache clean`, which only saves image space. The runtime stage's `npm ci --omit=dev` really
 * runs. The replay does not need `npm run build` to have run: it compiles the relay itself with the
 * Dockerfile's own build step. Like Docker, it reuses a RUN step's result when the step and its
 * stage's files are unchanged (see LAYER_CACHE). Then the runtime stage's exact CMD is started as a child process
 * with the image's ENV plus contract variables only, and the image's HEALTHCHECK command is run
 * with node against it. What it cannot check: the base image itself (no registry access here).
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative } from 'node:path';
import { TEST_SECRET_KEY } from './support/tokens';

const ROOT = join(__dirname, '..');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; main: string; scripts: Record<string, string>; engines: { node: string }; devDependencies: Record<string, string> };
/** The image runs the relay exactly as `npm run start:prod` does. */
const CMD = PKG.scripts['start:prod'].split(' ');

// ---------------------------------------------------------------------------------------------
// A Dockerfile reader for the instructions this project uses.

interface Instruction {
  keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  rest: string;
}

interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

function parseDockerfile(text: string): { args: Record<string, string>; stages: Stage[] } {
  const logical: string[] = [];
  let pending = '';
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue; // comments, also between continuation lines
    if (/\\\s*$/.test(line)) {
      pending += line.replace(/\\\s*$/, ' ');
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full) logical.push(full);
  }
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword, rest] = /^(\S+)\s*(.*)$/.exec(line) as RegExpExecArray;
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [image, as, name] = rest.split(/\s+/);
      const resolved = image.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a: string, b: string) => args[a ?? b] ?? '');
      stages.push({ image: resolved, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (upper === 'ARG' && stages.length === 0) {
      const [key, ...value] = rest.split('=');
      args[key.trim()] = value.join('=').trim();
    } else {
      if (stages.length === 0) throw new Error(`${upper} before the first FROM`);
      stages[stages.length - 1].instructions.push({ keyword: upper, rest });
    }
  }
  return { args, stages };
}

const all = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);
const one = (stage: Stage, keyword: string) => {
  const found = all(stage, keyword);
  expect(found.length).toBeGreaterThan(0);
  return found[found.length - 1];
};

interface Copy {
  from?: string;
  sources: string[];
  dest: string;
}

function parseCopy(rest: string): Copy {
  const words = rest.split(/\s+/);
  const flags = words.filter((w) => w.startsWith('--'));
  const paths = words.filter((w) => !w.startsWith('--'));
  const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
  return { from, sources: paths.slice(0, -1), dest: paths[paths.length - 1] };
}

function parseEnv(rest: string): Record<string, string> {
  return Object.fromEntries(rest.split(/\s+/).map((pair) => pair.split('=') as [string, string]));
}

/** HEALTHCHECK [--options] CMD ["exec", "form"] → the exec array. */
function healthcheckCommand(rest: string): string[] {
  const m = /^(?:--\S+\s+)*CMD\s+(\[.*\])$/s.exec(rest);
  if (!m) throw new Error(`HEALTHCHECK is not in exec form: ${rest}`);
  return JSON.parse(m[1]) as string[];
}

// ---------------------------------------------------------------------------------------------
// .dockerignore: Docker's rules — patterns relative to the context root, `*`/`?` within one path
// segment, `**` across segments, a match on a directory covers everything below it, `!` lets
// a path back in, and the last matching line wins.

function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = posix.normalize((negate ? l.slice(1) : l).trim()).replace(/^\/+|\/+$/g, '');
      let source = '';
      for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i];
        if (c === '*' && pattern[i + 1] === '*') {
          source += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
          i += pattern[i + 2] === '/' ? 2 : 1;
        } else if (c === '*') source += '[^/]*';
        else if (c === '?') source += '[^/]';
        else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
      }
      return { negate, regex: new RegExp(`^${source}$`) };
    });
  return (path: string) => {
    const parts = path.split('/');
    const prefixes = parts.map((_p, i) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of rules) if (prefixes.some((p) => rule.regex.test(p))) excluded = !rule.negate;
    return excluded;
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

// Docker's layer cache, kept in node_modules/.cache: a RUN step whose command, stage files (by
// content), lock file and Node version were all seen before gets the files it produced then.
// A fresh checkout or CI replays every step.
const LAYER_CACHE = join(ROOT, 'node_modules/.cache/defender-relay-image-layers');
const LAYERS_KEPT = 6;

function layerKey(step: string, stageDir: string): string {
  const hash = createHash('sha256').update(`${process.version}\n${step}\n`).update(readFileSync(join(ROOT, 'package-lock.json')));
  for (const file of filesUnder(stageDir).sort()) hash.update(`\n${relative(stageDir, file)}\n`).update(readFileSync(file));
  return hash.digest('hex');
}

/** A kept node_modules is linked rather than copied: tens of thousands of files the replay only reads. */
function restoreLayer(layer: string, stageDir: string): void {
  for (const entry of readdirSync(layer)) {
    const [from, to] = [join(layer, entry), join(stageDir, entry)];
    if (entry === 'node_modules' && !existsSync(to)) symlinkSync(from, to, 'dir');
    else cpSync(from, to, { recursive: true });
  }
}

function keepLayer(layer: string, stageDir: string): void {
  const partial = `${layer}.${process.pid}.partial`;
  cpSync(stageDir, partial, { recursive: true, filter: (path) => !lstatSync(path).isSymbolicLink() });
  if (existsSync(layer)) rmSync(partial, { recursive: true, force: true }); // another run kept the same layer meanwhile
  else renameSync(partial, layer);
  const layers = readdirSync(LAYER_CACHE).map((name) => join(LAYER_CACHE, name));
  layers.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const old of layers.slice(LAYERS_KEPT)) rmSync(old, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForWatchdog(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`the relay exited with code ${child.exitCode}:\n${output()}`);
    try {
      await fetch(`${url}/watchdog`);
      return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the relay did not listen within 15 s:\n${output()}`);
}

function runNode(args: string[], env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: 'ignore' });
    child.on('exit', (code) => resolve(code));
  });
}

// ---------------------------------------------------------------------------------------------

const dockerfileText = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const { stages } = parseDockerfile(dockerfileText);
const isIgnored = dockerignore(readFileSync(join(ROOT, '.dockerignore'), 'utf8'));
const runtime = stages[stages.length - 1];
const build = stages.find((s) => s.name === 'build') as Stage;

describe('Dockerfile (read)', () => {
  it('is multi-stage: a build stage with dev dependencies, then a runtime stage with production ones', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(build).toBeDefined();
    const buildRuns = all(build, 'RUN').map((r) => r.rest);
    expect(buildRuns.some((r) => /\bnpm ci\b/.test(r) && !/--omit=dev|--production/.test(r))).toBe(true);
    expect(buildRuns.some((r) => /\bnest build relay\b|\bnpm run build\b/.test(r))).toBe(true);
    expect(all(runtime, 'RUN').some((r) => /\bnpm ci\b.*--omit=dev/.test(r.rest))).toBe(true);
  });

  it('pins every base image to an exact Node 20 tag that satisfies package.json engines', () => {
    for (const stage of stages) {
      expect(stage.image).toMatch(/^node:20\.\d+\.\d+-(bookworm|bullseye|trixie)(-slim)?(@sha256:[0-9a-f]{64})?$/);
      const [major, minor] = /^node:(\d+)\.(\d+)/.exec(stage.image)!.slice(1).map(Number);
      const [wantMajor, wantMinor] = /(\d+)\.(\d+)/.exec(PKG.engines.node)!.slice(1).map(Number);
      expect(major === wantMajor ? minor >= wantMinor : major > wantMajor).toBe(true);
    }
  });

  it('runs as a non-root user with production env, port 9090 exposed, and the start:prod command', () => {
    const user = one(runtime, 'USER').rest.split(':')[0];
    expect(['0', 'root']).not.toContain(user);
    expect(user).toMatch(/^[1-9]\d*$/); // numeric, so Kubernetes' runAsNonRoot can verify it
    const env = Object.assign({}, ...all(runtime, 'ENV').map((e) => parseEnv(e.rest))) as Record<string, string>;
    expect(env).toMatchObject({ NODE_ENV: 'production', PORT: '9090' });
    expect(one(runtime, 'EXPOSE').rest).toBe('9090');
    expect(JSON.parse(one(runtime, 'CMD').rest)).toEqual(CMD);
  });

  it('has a HEALTHCHECK that asks /watchdog with the Health-Check header using node (no curl in slim)', () => {
    const hc = healthcheckCommand(one(runtime, 'HEALTHCHECK').rest);
    expect(hc[0]).toBe('node');
    expect(hc.join(' ')).toContain('/watchdog');
    expect(hc.join(' ')).toContain('Health-Check');
  });

  it('copies only existing, non-ignored context paths, or paths of the build stage', () => {
    for (const stage of stages) {
      for (const { from, sources } of all(stage, 'COPY').map((c) => parseCopy(c.rest))) {
        for (const source of sources) {
          if (from) {
            expect(stages.some((s) => s.name === from)).toBe(true);
            // A build-stage path: /app/dist/... is what the build stage's `nest build` writes.
            expect(source).toMatch(/^\/app\/dist\//);
          } else {
            expect(existsSync(join(ROOT, source))).toBe(true);
            const files = statSync(join(ROOT, source)).isDirectory() ? filesUnder(join(ROOT, source)) : [join(ROOT, source)];
            expect(files.filter((f) => !isIgnored(relative(ROOT, f))).length).toBeGreaterThan(0);
          }
        }
      }
    }
    // The runtime stage never copies sources or the whole context.
    for (const c of all(runtime, 'COPY').map((i) => parseCopy(i.rest))) {
      if (!c.from) expect(c.sources.every((s) => ['package.json', 'package-lock.json'].includes(s))).toBe(true);
    }
  });

  it('.dockerignore keeps secrets, dependencies, build output, tests and the sandbox out of the context', () => {
    for (const path of ['.env', '.git/config', 'node_modules/jest/package.json', PKG.main, 'test/ops.e2e.ts', 'artifacts/swagger-ui.png', 'apps/defender-sandbox/src/main.ts', 'libs/common/src/config/config.spec.ts', 'deploy/base/kustomization.yaml', 'id_rsa']) {
      expect([path, isIgnored(path)]).toEqual([path, true]);
    }
    for (const path of ['package.json', 'package-lock.json', 'apps/relay/src/main.ts', 'libs/common/src/version.ts']) {
      expect([path, isIgnored(path)]).toEqual([path, false]);
    }
  });
});

describe('Dockerfile (replayed build, then the image command run)', () => {
  let work: string;
  const stageDirs = new Map<string, string>();
  let relay: ChildProcess | undefined;
  let relayUrl: string;
  let port: number;
  let output = '';

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'defender-relay-image-'));
    stages.forEach((stage, index) => {
      const dir = join(work, stage.name ?? `stage-${index}`);
      mkdirSync(dir);
      if (stage.name) stageDirs.set(stage.name, dir);
      for (const { keyword, rest } of stage.instructions) {
        if (keyword === 'WORKDIR') expect(rest).toBe('/app'); // /app is `dir`
        if (keyword === 'COPY') replayCopy(parseCopy(rest), dir);
        if (keyword === 'RUN') replayRun(rest, dir);
      }
    });
    const runtimeDir = join(work, runtime.name ?? `stage-${stages.length - 1}`);
    port = await freePort();
    relayUrl = `http://127.0.0.1:${port}`;
    const imageEnv = Object.assign({}, ...all(runtime, 'ENV').map((e) => parseEnv(e.rest))) as Record<string, string>;
    // The image's CMD, with the image's ENV and contract variables only (no PATH, no NODE_OPTIONS);
    // in production it needs a way to authenticate callers, as a deployment gives it.
    relay = spawn(process.execPath, CMD.slice(1), { cwd: runtimeDir, env: { ...imageEnv, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SECRET_KEY: TEST_SECRET_KEY } });
    relay.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    relay.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await waitForWatchdog(relayUrl, relay, () => output);
  }, 240_000);

  afterAll(() => {
    if (relay && relay.exitCode === null) relay.kill('SIGKILL');
    if (work) rmSync(work, { recursive: true, force: true });
  });

  function replayCopy(copy: Copy, stageDir: string): void {
    for (const source of copy.sources) {
      const from = copy.from ? join(stageDirs.get(copy.from) as string, posix.relative('/app', source)) : join(ROOT, source);
      expect([source, existsSync(from)]).toEqual([source, true]);
      const to = join(stageDir, copy.dest.endsWith('/') && statSync(from).isFile() ? join(copy.dest, posix.basename(source)) : copy.dest);
      const files = statSync(from).isDirectory() ? filesUnder(from) : [from];
      for (const file of files) {
        if (!copy.from && isIgnored(relative(ROOT, file))) continue; // not in the build context
        const target = statSync(from).isDirectory() ? join(to, relative(from, file)) : to;
        mkdirSync(dirname(target), { recursive: true });
        cpSync(file, target);
      }
    }
  }

  function replayRun(command: string, stageDir: string): void {
    for (const step of command.split('&&').map((s) => s.trim())) {
      if (/^npm cache clean\b/.test(step)) continue;
      if (/^npm ci\b/.test(step) && !/--omit=dev/.test(step)) {
        symlinkSync(join(ROOT, 'node_modules'), join(stageDir, 'node_modules'), 'dir');
        continue;
      }
      const layer = join(LAYER_CACHE, layerKey(step, stageDir));
      if (existsSync(layer)) {
        restoreLayer(layer, stageDir);
        continue;
      }
      const args = /^npm ci\b/.test(step) ? ['-c', `${step} --prefer-offline`] : ['-c', step];
      const result = spawnSync('sh', args, { cwd: stageDir, encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 180_000 });
      if (result.status !== 0) throw new Error(`RUN ${step} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
      mkdirSync(LAYER_CACHE, { recursive: true });
      keepLayer(layer, stageDir);
    }
  }

  it('builds an image folder holding the compiled relay and production dependencies only', () => {
    const dir = join(work, runtime.name ?? `stage-${stages.length - 1}`);
    expect(existsSync(join(dir, PKG.main))).toBe(true);
    expect(existsSync(join(dir, 'node_modules/@nestjs/core/package.json'))).toBe(true);
    for (const dev of ['typescript', 'jest', '@nestjs/cli', 'ts-jest', 'playwright-core']) {
      expect(Object.keys(PKG.devDependencies)).toContain(dev);
      expect([dev, existsSync(join(dir, 'node_modules', dev))]).toEqual([dev, false]);
    }
    expect(readdirSync(dir).sort()).toEqual(['dist', 'node_modules', 'package-lock.json', 'package.json']);
    const compiled = readdirSync(join(dir, 'dist'), { recursive: true }).map(String);
    // One bundle (the relay, its libraries and most of its dependencies) and its source map, no sources, specs or sandbox.
    const main = posix.relative('dist', PKG.main);
    expect(compiled.filter((f) => statSync(join(dir, 'dist', f)).isFile()).sort()).toEqual([main, `${main}.map`]);
  });

  it('the CMD answers GET /watchdog with the Health-Check header, and /version from the copied package.json', async () => {
    const watchdog = await fetch(`${relayUrl}/watchdog`, { headers: { 'Health-Check': 'image-probe' } });
    expect(watchdog.status).toBe(200);
    expect(await watchdog.json()).toEqual({ data: 'image-probe' });
    const version = await fetch(`${relayUrl}/version`);
    expect(await version.json()).toEqual({ version: PKG.version });
  });

  it('the HEALTHCHECK command exits 0 against the running relay, and non-zero when nothing answers', async () => {
    const hc = healthcheckCommand(one(runtime, 'HEALTHCHECK').rest).slice(1);
    expect(await runNode(hc, { PORT: String(port) })).toBe(0); // HOST unset, as in the image
    expect(await runNode(hc, { PORT: String(port), HOST: '127.0.0.1' })).toBe(0);
    expect(await runNode(hc, { PORT: String(await freePort()) })).toBe(1);
  });

  it('stops promptly on SIGTERM (Kubernetes and `docker stop`)', async () => {
    const child = relay as ChildProcess;
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    child.kill('SIGTERM');
    const started = Date.now();
    await exited;
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 15_000);
});
