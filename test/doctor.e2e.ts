/**
 * `npm run doctor` (scripts/doctor.ts), run as users run it: the compiled CLI in a child process,
 * against the sandbox, for apps with different permissions (the e2e global setup compiles dist/tools).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  DEFENDER_ONLY_CLIENT_ID,
  DEFENDER_ONLY_CLIENT_SECRET,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_ID,
  NOPERM_CLIENT_ID,
  NOPERM_CLIENT_SECRET,
  OPAQUE_CLIENT_ID,
  OPAQUE_CLIENT_SECRET,
  READ_ONLY_CLIENT_ID,
  READ_ONLY_CLIENT_SECRET,
  Sandbox,
  startSandbox,
} from '../apps/defender-sandbox/src';
import { freePort } from '../scripts/relay-process';

const CLI = join(__dirname, '..', 'dist/tools/scripts/doctor.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI with no terminal and a clean environment; async, so the in-process sandbox can answer it. */
function doctor(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run doctor (scripts/doctor.ts)', () => {
  let sandbox: Sandbox;
  beforeAll(async () => (sandbox = await startSandbox()));
  afterAll(() => sandbox.close());

  const hosts = () => ({ DEFENDER_LOGIN_URL: sandbox.url, DEFENDER_API_URL: sandbox.url, GRAPH_API_URL: sandbox.url });
  const run = (clientId: string, secret: string, env: Record<string, string> = {}) =>
    doctor(['--tenant-id', DEMO_TENANT_ID, '--client-id', clientId], { ...hosts(), CLIENT_SECRET: secret, ...env });

  it('every permission: hosts reachable, clock in step, every capability ✓, nothing to grant, exit 0', async () => {
    const { code, stdout, stderr } = await run(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/✓ login +http:\/\/127\.0\.0\.1:\d+ {2}HTTP \d+/);
    expect(stdout).toMatch(/✓ Defender API /);
    expect(stdout).toMatch(/✓ Microsoft Graph +http/);
    expect(stdout).toMatch(/✓ clock skew +-?\d+ s against the login host\n/);
    expect(stdout).toContain('✓ Microsoft Graph  roles: ThreatHunting.Read.All');
    expect(stdout).not.toMatch(/^ {2}✗/m);
    expect(stdout).toContain('Nothing to grant.');
    expect(stdout).toContain(`${sandbox.url}/${DEMO_TENANT_ID}/adminconsent?client_id=${DEMO_CLIENT_ID}`);
    expect(stdout).not.toContain(DEMO_CLIENT_SECRET);
  });

  it('no permission: every capability ✗, Graph ThreatHunting.Read.All asked for (not the retiring API), exit 1', async () => {
    const { code, stdout } = await run(NOPERM_CLIENT_ID, NOPERM_CLIENT_SECRET);
    expect(code).toBe(1);
    expect(stdout).toContain('✓ Defender         roles: none');
    expect(stdout).toMatch(/✗ observe: alerts +grant WindowsDefenderATP Alert\.Read\.All/);
    expect(stdout).toMatch(/✗ observe: advanced hunting +grant Microsoft Graph ThreatHunting\.Read\.All/);
    expect(stdout).not.toContain('AdvancedQuery.Read.All');
    expect(stdout).toMatch(/ {2}WindowsDefenderATP Machine\.Isolate +enables respond: isolate \/ release, respond: cancel a pending action/);
    expect(stdout).toContain('✗ Observe cannot work with these permissions.');
  });

  it('Defender only: hunting ✓ through the retiring API until 2027-02-01, exit 0', async () => {
    const { code, stdout } = await run(DEFENDER_ONLY_CLIENT_ID, DEFENDER_ONLY_CLIENT_SECRET);
    expect(code).toBe(0);
    expect(stdout).toContain('✓ Microsoft Graph  roles: none');
    expect(stdout).toMatch(/✓ observe: advanced hunting\n/);
    expect(stdout).toContain('Nothing to grant.');
  });

  it('read-only: observe ✓, each response action ✗ with the permission to grant, exit 0', async () => {
    const { code, stdout } = await run(READ_ONLY_CLIENT_ID, READ_ONLY_CLIENT_SECRET);
    expect(code).toBe(0);
    for (const line of ['observe: alerts', 'observe: machines', 'observe: files', 'observe: advanced hunting', 'refer: device links']) expect(stdout).toContain(`✓ ${line}\n`);
    expect(stdout).toMatch(/✗ respond: isolate \/ release +grant WindowsDefenderATP Machine\.Isolate\n/);
    expect(stdout).toMatch(/✗ respond: indicators +grant WindowsDefenderATP Ti\.ReadWrite\.All\n/);
    expect(stdout).toContain('✓ Observe can work; the capabilities marked ✗ are disabled.');
  });

  it('opaque tokens: issued, roles unreadable, every capability unknown, exit 0', async () => {
    const { code, stdout } = await run(OPAQUE_CLIENT_ID, OPAQUE_CLIENT_SECRET);
    expect(code).toBe(0);
    expect(stdout).toContain('✓ Defender         issued; its roles cannot be read (not a plain JWT)');
    expect(stdout).toMatch(/\? observe: alerts +unknown \(token not readable\)/);
  });

  it('a wrong secret: Azure AD\'s explanation, no capability table, exit 1', async () => {
    const { code, stdout } = await run(DEMO_CLIENT_ID, 'wrong-secret');
    expect(code).toBe(1);
    expect(stdout).toMatch(/✗ Defender +AADSTS7000215: Invalid client secret provided/);
    expect(stdout).not.toContain('Capabilities');
  });

  it('an unreachable Defender API host is ✗ and named', async () => {
    const closed = await freePort();
    const { stdout } = await run(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, { DEFENDER_API_URL: `http://127.0.0.1:${closed}` });
    expect(stdout).toContain(`✗ Defender API     http://127.0.0.1:${closed}  no answer (ECONNREFUSED)`);
  });

  it.each([
    ['a secret as an option', ['--client-secret', 'x'], /never an option/],
    ['no secret and no terminal', ['--tenant-id', DEMO_TENANT_ID, '--client-id', DEMO_CLIENT_ID], /no terminal to ask on/],
    ['a malformed client id', ['--tenant-id', DEMO_TENANT_ID, '--client-id', 'app'], /client id must be a GUID/],
  ])('refuses %s with exit 2', async (_name, args, message) => {
    const { code, stderr, stdout } = await doctor(args, { ...hosts(), ...(args.includes('app') ? { CLIENT_SECRET: 'x' } : {}) });
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
  });

  it('--help prints the usage and exits 0', async () => {
    const { code, stdout } = await doctor(['--help'], {});
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: npm run doctor/);
  });
});
