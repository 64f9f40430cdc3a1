/**
 * Runs once before the e2e tests. It says up front what this machine will skip (or, under CI,
 * fails the run), and rebuilds what the process tests start when dist/ is missing or older than
 * the sources, so `npm test` on a fresh clone tests the code as it is.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT as ROOT, RELAY_MAIN } from '../../scripts/relay-process';
import { PREREQUISITES, underCi } from './prerequisites';
import { suiteProblems } from './suites';

const BUILDS = [
  {
    what: 'the relay (npm run start:prod’s entry), which the process tests start',
    output: relative(ROOT, RELAY_MAIN),
    sources: ['apps/relay/src', 'libs'],
    command: ['scripts/build.js', 'relay'],
  },
  {
    what: 'the tools (npm run jwt, npm run demo), which the jwt CLI and demo tests run',
    output: 'dist/tools/scripts/demo.js',
    sources: ['scripts', 'libs', 'apps/defender-sandbox/src'],
    command: ['scripts/build.js', 'tools'],
  },
];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function announceMissingPrerequisites(): void {
  const missing = PREREQUISITES.filter((p) => !p.present());
  if (missing.length === 0) return;
  if (underCi()) {
    throw new Error(`CI is set, so these must be installed (.ci/run does it):\n${missing.map((p) => `  - ${p.missing}: ${p.install}`).join('\n')}`);
  }
  const lines = missing.map((p) => `  - ${p.missing}, so ${p.neededBy} will be skipped (install: ${p.install})`);
  process.stdout.write(`\nThis machine lacks what some tests need; they are skipped and listed again at the end:\n${lines.join('\n')}\n\n`);
}

function buildWhatIsStale(): void {
  for (const build of BUILDS) {
    const output = join(ROOT, build.output);
    const stale = !existsSync(output) || Math.max(...build.sources.map((s) => newestSource(join(ROOT, s)))) > statSync(output).mtimeMs;
    if (!stale) continue;
    process.stdout.write(`Building ${build.what}: ${build.output} is missing or older than its sources.\n`);
    execFileSync(process.execPath, build.command, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    // webpack leaves an output whose content did not change untouched: mark it fresh, or every run rebuilds.
    const now = new Date();
    utimesSync(output, now, now);
  }
}

export default function globalSetup(): void {
  const problems = suiteProblems(join(ROOT, 'test'));
  if (problems.length > 0) throw new Error(`The e2e suites are not whole:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  announceMissingPrerequisites();
  buildWhatIsStale();
}
