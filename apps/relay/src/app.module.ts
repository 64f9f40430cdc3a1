import { authConfig, CommonModule, defenderConfig, outboundConfig, serverConfig } from '@app/common';
import { ClockModule } from '@app/defender';
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigType } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { DeliberateModule } from './deliberate/deliberate.module';
import { HealthModule } from './health/health.module';
import { loggingOptions } from './logging';
import { MetricsModule } from './metrics/metrics.module';
import { ObserveModule } from './observe/observe.module';
import { ReferModule } from './refer/refer.module';
import { RespondModule } from './respond/respond.module';
import { RelayAppOptions } from './relay-app.options';
import { TilesModule } from './tiles/tiles.module';
import { VersionModule } from './version/version.module';
import { WatchdogModule } from './watchdog/watchdog.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [serverConfig, authConfig, defenderConfig, outboundConfig] }),
    LoggerModule.forRootAsync({ inject: [serverConfig.KEY], useFactory: (server: ConfigType<typeof serverConfig>) => loggingOptions(server) }),
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
})
export class AppModule {
  /** The app as `createRelayApp` builds it; a test or benchmark may hand it a clock to move. */
  static register(options: RelayAppOptions = {}): DynamicModule {
    return { module: AppModule, imports: [ClockModule.forRoot(options.clock)] };
  }
}
