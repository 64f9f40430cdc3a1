#!/usr/bin/env node
// Runs first in `npm run demo`, before the build: names every busy demo port at once, so a
// second demo or a relay still running costs no build. Plain Node, as nothing is compiled yet;
// the demo itself checks again just before it listens (scripts/demo.ts, same wording).
'use strict';
const { createServer } = require('node:net');

const PORTS = [
  ['DEMO_RELAY_PORT', 9090],
  ['DEMO_SANDBOX_PORT', 9191],
];

function portFrom(variable, fallback) {
  const raw = (process.env[variable] || '').trim();
  if (raw === '') return fallback;
  const port = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(port >= 1 && port <= 65535)) throw new Error(`${variable} must be a port number from 1 to 65535 (got '${raw.slice(0, 20)}')`);
  return port;
}

function isBusy(port) {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error) => (error.code === 'EADDRINUSE' ? resolve(true) : reject(error)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
}

function busyMessage(busy) {
  const moved = busy.map(([variable, port]) => `${variable}=${port <= 64535 ? port + 1000 : port - 1000}`).join(' ');
  if (busy.length === 1) return `port ${busy[0][1]} is busy (a demo or relay still running?); stop it, or choose another port: ${moved} npm run demo`;
  return `ports ${busy.map(([v, p]) => `${p} (${v})`).join(' and ')} are busy (a demo or relay still running?); stop them, or choose other ports: ${moved} npm run demo`;
}

async function main() {
  const ports = PORTS.map(([variable, fallback]) => [variable, portFrom(variable, fallback)]);
  const busy = [];
  for (const [variable, port] of ports) if (await isBusy(port)) busy.push([variable, port]);
  if (busy.length > 0) throw new Error(busyMessage(busy));
}

main().catch((error) => {
  process.stderr.write(`demo failed: ${error.message}\n`);
  process.exit(1);
});
