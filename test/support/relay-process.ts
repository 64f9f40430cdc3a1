import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { PROJECT_ROOT, RELAY_MAIN, RelayProcess, startRelayProcess as start } from '../../scripts/relay-process';

export type { RelayProcess };

/** The production entry point as a child process; CI builds first, a developer running one file alone gets a build here. */
export function startRelayProcess(env: Record<string, string | undefined>): Promise<RelayProcess> {
  if (!existsSync(RELAY_MAIN)) execFileSync('npx', ['nest', 'build', 'relay'], { cwd: PROJECT_ROOT, stdio: 'ignore' });
  return start(env);
}
