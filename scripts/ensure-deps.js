#!/usr/bin/env node
// Runs before `npm run demo` and `npm test` (npm's pre-scripts): installs the exact dependencies
// of package-lock.json with `npm ci` when node_modules is missing or older than the lock file, so
// each of the README's two commands works on a fresh clone. Plain Node: nothing is installed yet.
'use strict';
const { spawnSync } = require('node:child_process');
const { statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const mtime = (file) => {
  try {
    return statSync(join(root, file)).mtimeMs;
  } catch {
    return undefined;
  }
};
// npm ci writes node_modules/.package-lock.json last; it is what npm itself trusts as "installed".
const installed = mtime('node_modules/.package-lock.json');
const wanted = mtime('package-lock.json');
if (installed !== undefined && wanted !== undefined && installed >= wanted) process.exit(0);

process.stdout.write('Installing dependencies (npm ci): node_modules is missing or older than package-lock.json\n');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
