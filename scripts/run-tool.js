#!/usr/bin/env node
// `npm run jwt` / `npm run doctor`: runs the command's JavaScript from dist/tools, which
// `npm run build` compiles. Compiling costs seconds, so it happens here only when that output is
// missing or older than a source file (a fresh clone, or after a pull); otherwise Node starts at once.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const [name, ...args] = process.argv.slice(2);
const built = join(root, 'dist/tools/scripts', `${name}.js`);

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

const stale = !existsSync(built) || Math.max(newest(join(root, 'scripts')), newest(join(root, 'libs'))) > statSync(built).mtimeMs;
if (stale) {
  process.stderr.write(`Compiling the tools once (dist/tools is missing or older than the sources; npm run build does this too)…\n`);
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.tools.json')], { cwd: root, stdio: 'inherit' });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
}
require(built)
  .main(args, process.env)
  .then((code) => {
    process.exitCode = code;
  });
