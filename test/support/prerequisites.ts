/**
 * What some e2e suites need besides Node and npm. A suite declares its prerequisite with
 * `describeWith`; the global setup says before the run what will be skipped on this machine, and
 * the summary reporter lists each skipped suite with the reason carried in its title. Under CI a
 * missing prerequisite fails the run instead: .ci/run installs them, so missing means broken.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Prerequisite {
  /** How the summary says it is missing: "redis-server is not installed". */
  missing: string;
  /** The command (or setting) that provides it. */
  install: string;
  /** Which tests need it. */
  neededBy: string;
  present(): boolean;
}

function once(check: () => boolean): () => boolean {
  let known: boolean | undefined;
  return () => (known ??= check());
}

const runs = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;

export const REDIS_SERVER: Prerequisite = {
  missing: 'redis-server is not installed',
  install: 'sudo apt-get install -y redis-server',
  neededBy: 'the Redis suites (replicas sharing tokens and rate limits)',
  present: once(() => runs('redis-server', ['--version'])),
};

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM: Prerequisite = {
  missing: `no Chromium at ${CHROMIUM_PATH}`,
  install: 'sudo apt-get install -y chromium, or set CHROMIUM_PATH',
  neededBy: 'the Swagger UI browser test',
  present: once(() => existsSync(CHROMIUM_PATH)),
};

/** util-linux's `script`, which gives the jwt CLI a pseudo-terminal to prompt on. */
export const PSEUDO_TERMINAL: Prerequisite = {
  missing: '`script` (util-linux) is not installed',
  install: 'sudo apt-get install -y util-linux',
  neededBy: 'the jwt CLI terminal-prompt test',
  present: once(() => runs('script', ['--version'])),
};

export const PREREQUISITES: readonly Prerequisite[] = [REDIS_SERVER, CHROMIUM, PSEUDO_TERMINAL];

/** CI systems set CI=true; `CI=false` or `CI=0` means a developer machine. */
export function underCi(): boolean {
  const ci = (process.env.CI ?? '').trim().toLowerCase();
  return ci !== '' && ci !== 'false' && ci !== '0';
}

/** The reason a skipped suite carries in its title; test/support/summary-reporter.js reads it back. */
export function skipTitle(name: string, prerequisite: Prerequisite): string {
  return `${name} [skipped: ${prerequisite.missing} (install: ${prerequisite.install})]`;
}

function ciFailure(prerequisite: Prerequisite): Error {
  return new Error(`${prerequisite.missing}: CI must provide it (.ci/run runs \`${prerequisite.install}\`)`);
}

/** `describe` when the prerequisite is there; otherwise skipped with its reason, or a failure under CI. */
export function describeWith(prerequisite: Prerequisite, name: string, fn: () => void): void {
  if (prerequisite.present()) return describe(name, fn);
  if (underCi()) throw ciFailure(prerequisite);
  describe.skip(skipTitle(name, prerequisite), fn);
}

/** One test that needs a prerequisite, skipped (or failed under CI) the same way. */
export function itWith(prerequisite: Prerequisite, name: string, fn: () => Promise<void>, timeout?: number): void {
  if (prerequisite.present()) return it(name, fn, timeout);
  if (underCi()) throw ciFailure(prerequisite);
  describe.skip(skipTitle('', prerequisite).trim(), () => it(name, fn, timeout));
}
