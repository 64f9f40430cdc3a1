import 'reflect-metadata';
import { ConfigValidationError, loadAuthConfig, loadDefenderConfig, loadOutboundConfig, loadServerConfig } from '@app/common';
import { createRelayApp } from './app.factory';

/** Validates every variable first, so a bad one stops start-up with one clear message (§7). */
function readConfiguration() {
  const problems: string[] = [];
  for (const load of [loadServerConfig, loadAuthConfig, loadDefenderConfig, loadOutboundConfig]) {
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

/** How long in-flight requests may take to finish after SIGTERM before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 20_000;

async function bootstrap(): Promise<void> {
  const server = readConfiguration();
  const app = await createRelayApp(server);
  // Closing stops accepting, lets in-flight requests finish and runs the modules' shutdown hooks
  // (keep-alive sockets, Redis); the timer only bounds how long that may take.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
  await app.listen(server.port, server.host);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`Defender Relay failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
