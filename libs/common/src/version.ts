import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The relay's semver, read once from the project's package.json (source and dist layouts differ). */
function readVersion(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'defender-relay' && pkg.version) return pkg.version;
    }
    dir = dirname(dir);
  }
  return '0.0.0';
}

export const RELAY_VERSION = readVersion();
/** Microsoft asks for `{Company}-{Product}/{Version}`. */
export const USER_AGENT = `Cisco-XDR-DefenderRelay/${RELAY_VERSION}`;
