#!/usr/bin/env node
// `npm run build`: the relay and the sandbox (Nest's webpack build) and the tools (tsc), in order,
// or only the steps named (`node scripts/build.js relay tools`). Nest's CLI colours webpack's
// summary whatever the output is, so when it is not a terminal (CI logs, files) the colour codes
// are stripped.
'use strict';
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
const nest = join(root, 'node_modules/@nestjs/cli/bin/nest.js');
const STEPS = {
  relay: [nest, 'build', 'relay'],
  sandbox: [nest, 'build', 'defender-sandbox'],
  tools: [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.tools.json')],
};
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

const names = process.argv.slice(2);
const unknown = names.filter((n) => !Object.hasOwn(STEPS, n));
if (unknown.length > 0) {
  process.stderr.write(`build: unknown step ${unknown.join(', ')} (steps: ${Object.keys(STEPS).join(', ')})\n`);
  process.exit(2);
}
const plain = !process.stdout.isTTY;
for (const name of names.length > 0 ? names : Object.keys(STEPS)) {
  const run = spawnSync(process.execPath, STEPS[name], {
    cwd: root,
    stdio: plain ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    env: plain ? { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } : process.env,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (plain) {
    process.stdout.write(String(run.stdout ?? '').replace(ANSI, ''));
    process.stderr.write(String(run.stderr ?? '').replace(ANSI, ''));
  }
  if (run.status !== 0) process.exit(run.status ?? 1);
}
