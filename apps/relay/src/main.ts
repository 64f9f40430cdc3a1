import 'reflect-metadata';
import './axios-without-undici';
import { AuthConfig, authConfig, ConfigValidationError, DefenderConfig, defenderConfig, RELAY_VERSION, ServerConfig, serverConfig, StateConfig, stateConfig } from '@app/common';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import { createRelayApp } from './app.factory';
import { MetricsServer } from './metrics/metrics.server';
import { listenError, startupSummary } from './startup';

const SHUTDOWN_GRACE_MS = 20_000;

async function bootstrap(): Promise<void> {
  // The one place the process environment is read: everything else gets the configuration from the app.
  const app = await createRelayApp(process.env);
  const server = app.get<ServerConfig>(serverConfig.KEY);
  // The timer only bounds how long closing (in-flight requests, shutdown hooks) may take.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
  await app.listen(server.port, server.host).catch((error: unknown) => {
    throw listenError(error, 'PORT', server.port, server.host) ?? error;
  });
  announce(app, server);
}

function announce(app: NestFastifyApplication, server: ServerConfig): void {
  const summary = startupSummary({
    version: RELAY_VERSION,
    port: (app.getHttpServer().address() as AddressInfo).port,
    server,
    auth: app.get<AuthConfig>(authConfig.KEY),
    defender: app.get<DefenderConfig>(defenderConfig.KEY),
    state: app.get<StateConfig>(stateConfig.KEY),
    metricsPort: app.get(MetricsServer).port,
  });
  const logger = new Logger('DefenderRelay');
  logger.log({ msg: summary.message, ...summary.details });
  for (const warning of summary.warnings) logger.warn(warning);
}

bootstrap().catch((error: unknown) => {
  // Bad variables are listed alone, every one of them, and nothing has listened yet.
  if (error instanceof ConfigValidationError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`Defender Relay failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
