import 'reflect-metadata';
import { ConfigValidationError, loadAuthConfig, loadDefenderConfig, loadServerConfig } from '@app/common';
import { createRelayApp } from './app.factory';

/** Validates every variable first, so a bad one stops start-up with one clear message (§7). */
function readConfiguration() {
  const problems: string[] = [];
  for (const load of [loadServerConfig, loadAuthConfig, loadDefenderConfig]) {
    try {
      load(process.env);
    } catch (error) {
      if (!(error instanceof ConfigValidationError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) {
    process.stderr.write(`${new ConfigValidationError(problems).message}\n`);
    process.exit(1);
  }
  return loadServerConfig(process.env);
}

async function bootstrap(): Promise<void> {
  const server = readConfiguration();
  const app = await createRelayApp(server);
  await app.listen(server.port, server.host);
}

void bootstrap();
