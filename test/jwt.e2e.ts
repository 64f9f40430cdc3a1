/**
 * `npm run jwt` (scripts/jwt.ts), run as users run it: the compiled CLI in a child process (the
 * e2e global setup compiles dist/tools when it is missing or older than the source).
 */
import { spawn, spawnSync, SpawnSyncReturns } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode, verify } from 'jsonwebtoken';
import { parse } from 'yaml';
import { loadAuthConfig } from '@app/common';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID } from '../apps/defender-sandbox/src';
import { itWith, PSEUDO_TERMINAL } from './support/prerequisites';
import { RelayHarness, startRelay } from './support/relay-harness';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'dist/tools/scripts/jwt.js');
const DEMO_ARGS = ['--client-id', DEMO_CLIENT_ID, '--tenant-id', DEMO_TENANT_ID];
/** The client secret is never an option: it comes from the prompt or from CLIENT_SECRET. */
const DEMO_SECRET = { CLIENT_SECRET: DEMO_CLIENT_SECRET };

/** The CLI with no terminal and a clean environment (no SECRET_KEY or credentials inherited). */
function runCli(args: string[], env: Record<string, string> = DEMO_SECRET): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 });
}

function printed(run: SpawnSyncReturns<string>): { secretKey: string; jwt: string; all: string } {
  const all = `${run.stdout}${run.stderr}`;
  const secretKey = /export SECRET_KEY=(\S+)/.exec(run.stdout)?.[1] ?? '';
  const jwt = /^(eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+)$/m.exec(run.stdout)?.[1] ?? '';
  return { secretKey, jwt, all };
}

const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

describe('npm run jwt (scripts/jwt.ts)', () => {
  let relay: RelayHarness | undefined;

  afterEach(async () => {
    await relay?.close();
    relay = undefined;
  });

  it('prints a fresh 64-hex SECRET_KEY exactly once and a JWT that the relay configured with it accepts', async () => {
    const run = runCli(DEMO_ARGS);
    expect(run.status).toBe(0);
    const { secretKey, jwt, all } = printed(run);
    expect(secretKey).toMatch(/^[0-9a-f]{64}$/);
    expect(occurrences(all, secretKey)).toBe(1);
    expect(all).not.toContain(DEMO_CLIENT_SECRET);

    expect(decode(jwt, { complete: true })).toMatchObject({
      header: { alg: 'HS256', typ: 'JWT' },
      payload: { client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID },
    });
    relay = await startRelay({ SECRET_KEY: secretKey });
    const health = await relay.post('/health', undefined, { token: jwt });
    expect(health.body).toEqual({ data: expect.objectContaining({ status: 'ok', hunting: 'graph' }) });

    // Another run makes another key, so its JWT is refused by this relay.
    const other = printed(runCli(DEMO_ARGS));
    expect(other.secretKey).not.toBe(secretKey);
    const refused = await relay.post('/health', undefined, { token: other.jwt });
    expect(refused.body.errors[0]).toMatchObject({ code: 'authorization error' });
  });

  it('prints the kubectl command for the Secret that deploy/ wires, and the XDR module steps', () => {
    const run = runCli([...DEMO_ARGS, '--relay-url', 'https://relay.example.com/', '--namespace', 'secops']);
    const deployment = parse(readFileSync(join(ROOT, 'deploy/base/deployment.yaml'), 'utf8'));
    const secretRef = deployment.spec.template.spec.containers[0].envFrom.find((e: { secretRef?: unknown }) => e.secretRef).secretRef.name;
    expect(run.stdout).toContain(`kubectl -n secops create secret generic ${secretRef} --from-literal=SECRET_KEY="$SECRET_KEY"`);
    expect(run.stdout).toContain('Administration → Integrations → Add custom integration');
    expect(run.stdout).toContain('URL: https://relay.example.com ');
    expect(run.stdout).toMatch(/paste the JWT/);
    expect(run.stdout).toMatch(/contains the Azure client secret, base64url-encoded and NOT encrypted/);
  });

  it('signs with a SECRET_KEY from the environment without printing it, and adds CTR_ENTITIES_LIMIT when asked', async () => {
    const key = 'an-operator-chosen-key-0123456789';
    const run = runCli([...DEMO_ARGS, '--entities-limit', '7'], { ...DEMO_SECRET, SECRET_KEY: key });
    expect(run.status).toBe(0);
    const { jwt, all } = printed(run);
    expect(all).not.toContain(key);
    expect(all).not.toContain(DEMO_CLIENT_SECRET);
    expect(verify(jwt, key, { algorithms: ['HS256'] })).toEqual({ client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID, CTR_ENTITIES_LIMIT: 7 });
    relay = await startRelay({ SECRET_KEY: key });
    expect((await relay.post('/health', undefined, { token: jwt })).body).toEqual({ data: expect.objectContaining({ status: 'ok', hunting: 'graph' }) });
  });

  it('takes the credentials (and SECRET_KEY) from the environment', () => {
    const run = runCli([], { CLIENT_ID: DEMO_CLIENT_ID, CLIENT_SECRET: DEMO_CLIENT_SECRET, TENANT_ID: DEMO_TENANT_ID, SECRET_KEY: 'k'.repeat(32) });
    expect(run.status).toBe(0);
    const { jwt, all } = printed(run);
    expect(verify(jwt, 'k'.repeat(32))).toMatchObject({ client_id: DEMO_CLIENT_ID, tenant_id: DEMO_TENANT_ID });
    expect(all).not.toContain(DEMO_CLIENT_SECRET);
    expect(all).not.toContain('k'.repeat(32));
  });

  it.each<[string, string[], RegExp, Record<string, string>]>([
    ['missing credentials without a terminal', ['--client-id', DEMO_CLIENT_ID], /missing --tenant-id, the client secret \(CLIENT_SECRET\) \(no terminal/, {}],
    ['a client id that is not a GUID', ['--client-id', 'not-a-guid', '--tenant-id', DEMO_TENANT_ID], /client id must be a GUID/, DEMO_SECRET],
    ['a tenant the relay would refuse', ['--client-id', DEMO_CLIENT_ID, '--tenant-id', 'contoso.123'], /tenant id must be a GUID or a domain/, DEMO_SECRET],
    ['an entities limit out of range', [...DEMO_ARGS, '--entities-limit', '1001'], /--entities-limit must be an integer from 1 to 1000/, DEMO_SECRET],
    ['an unknown option', [...DEMO_ARGS, '--client-secrte', 'typo-secret-value'], /unknown option/, DEMO_SECRET],
  ])('refuses %s with exit code 2, printing no key, no JWT and no secret', (_name, args, message, env) => {
    const run = runCli(args, env);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toContain(DEMO_CLIENT_SECRET);
    expect(run.stderr).not.toContain('typo-secret-value');
  });

  it.each([
    ['--client-secret', ['--client-secret', 'typed-on-the-command-line'], 'leave it out to be asked without echo, or set CLIENT_SECRET'],
    ['--client-secret=value', ['--client-secret=typed-on-the-command-line'], 'leave it out to be asked without echo, or set CLIENT_SECRET'],
    ['--secret-key', ['--secret-key', 'typed-on-the-command-line-0123456789'], 'set SECRET_KEY in the environment to reuse a key'],
  ])('refuses %s: secrets on the command line are printed by npm and kept by the shell', (_name, args, instead) => {
    const run = runCli([...DEMO_ARGS, ...args]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`jwt: ${args[0].split('=')[0]} is refused: a secret on the command line is printed by npm, kept in shell history and shown by ps; ${instead} (see --help)\n`);
  });

  it('refuses a SECRET_KEY the relay would warn about, and accepts the shortest one it takes without a warning', async () => {
    const short = 'k'.repeat(31);
    const refused = runCli(DEMO_ARGS, { ...DEMO_SECRET, SECRET_KEY: short });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe('jwt: SECRET_KEY has 31 characters; use at least 32 (the relay warns about shorter keys), or unset it to generate one\n');
    expect(refused.stderr).not.toContain(short);
    expect(loadAuthConfig({ SECRET_KEY: short }).warnings).toHaveLength(1);

    const key = 'k'.repeat(32);
    const run = runCli(DEMO_ARGS, { ...DEMO_SECRET, SECRET_KEY: key });
    expect(run.status).toBe(0);
    expect(loadAuthConfig({ SECRET_KEY: key }).warnings).toEqual([]);
    relay = await startRelay({ SECRET_KEY: key });
    expect((await relay.post('/health', undefined, { token: printed(run).jwt })).body).toEqual({ data: expect.objectContaining({ status: 'ok', hunting: 'graph' }) });
  });

  itWith(PSEUDO_TERMINAL, 'asks on a terminal and reads the client secret without echo', async () => {
    // `script` gives the CLI a pseudo-terminal; answers are typed only after each prompt shows.
    const child = spawn('script', ['-qfec', `${process.execPath} ${CLI}`, '/dev/null'], { env: { PATH: process.env.PATH ?? '', TERM: 'dumb' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    child.stdout.on('data', (d: Buffer) => (screen += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const answer = async (prompt: string, text: string) => {
      for (let i = 0; i < 100 && !screen.includes(prompt); i++) await new Promise((r) => setTimeout(r, 50));
      expect(screen).toContain(prompt);
      await new Promise((r) => setTimeout(r, 100));
      child.stdin.write(`${text}\r`);
    };
    await answer('client) id: ', DEMO_CLIENT_ID);
    await answer('tenant id: ', DEMO_TENANT_ID);
    await answer('client secret (not shown): ', DEMO_CLIENT_SECRET);
    expect(await exited).toBe(0);
    expect(screen).toContain(DEMO_CLIENT_ID); // echoed as typed
    expect(screen).not.toContain(DEMO_CLIENT_SECRET);
    const jwt = /(eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+)/.exec(screen)?.[1] ?? '';
    expect(decode(jwt)).toMatchObject({ client_secret: DEMO_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID });
  });
});
