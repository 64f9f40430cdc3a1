import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRelayConfig } from './relay-config';

const ROOT = join(__dirname, '..', '..', '..', '..');

/** `.env.example` as docker --env-file reads it: KEY=value lines, the rest of the line literally. */
function envExample(): Record<string, string> {
  const entries = readFileSync(join(ROOT, '.env.example'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
  return Object.fromEntries(entries);
}

/** The variables the config classes declare (the upper-case properties of each *Env class). */
function declaredVariables(): string[] {
  const dir = __dirname;
  return readdirSync(dir)
    .filter((file) => file.endsWith('.config.ts'))
    .flatMap((file) => [...readFileSync(join(dir, file), 'utf8').matchAll(/^ {2}([A-Z][A-Z0-9_]+)\??\s*[=:;]/gm)].map((m) => m[1]));
}

describe('.env.example', () => {
  it('lists every variable the relay reads, once', () => {
    const listed = Object.keys(envExample());
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed.sort()).toEqual([...new Set(declaredVariables())].sort());
  });

  it('gives each its default: loaded as written, it configures the relay exactly as an empty environment', () => {
    const env = envExample();
    expect(loadRelayConfig(env)).toEqual(loadRelayConfig({}));
  });
});
