import { ClockModule, CommonModule, RelayConfig, relayConfigModule } from '@app/common';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { DeliberateModule } from './deliberate/deliberate.module';
import { HealthModule } from './health/health.module';
import { loggingOptions } from './logging';
import { MetricsModule } from './metrics/metrics.module';
import { ObserveModule } from './observe/observe.module';
import { ReferModule } from './refer/refer.module';
import { RequestLogging } from './request-logging';
import { RespondModule } from './respond/respond.module';
import { RelayAppOptions } from './relay-app.options';
import { TilesModule } from './tiles/tiles.module';
import { VersionModule } from './version/version.module';
import { WatchdogModule } from './watchdog/watchdog.module';

@Module({})
export class AppModule {
  static forRoot(config: RelayConfig, options: RelayAppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        relayConfigModule(config),
        ClockModule.forRoot(options.clock),
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
        TilesModule,
      ],
      providers: [RequestLogging],
    };
  }
}
