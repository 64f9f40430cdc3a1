import { CommonModule, RelayConfig, relayConfigModule } from '@app/common';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { DeliberateModule } from './deliberate/deliberate.module';
import { HealthModule } from './health/health.module';
import { loggingOptions } from './logging';
import { MetricsModule } from './metrics/metrics.module';
import { ObserveModule } from './observe/observe.module';
import { ReferModule } from './refer/refer.module';
import { RespondModule } from './respond/respond.module';
import { VersionModule } from './version/version.module';
import { WatchdogModule } from './watchdog/watchdog.module';

@Module({})
export class AppModule {
  /** The relay wired to `config`, which createRelayApp read from the environment it was given. */
  static forRoot(config: RelayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        relayConfigModule(config),
        LoggerModule.forRoot(loggingOptions(config.server)),
        CommonModule,
        MetricsModule,
        VersionModule,
        WatchdogModule,
        ReferModule,
        HealthModule,
        ObserveModule,
        DeliberateModule,
        RespondModule,
      ],
    };
  }
}
