import { authConfig, CommonModule, defenderConfig, serverConfig } from '@app/common';
import { Module } from '@nestjs/common';
import { ConfigModule, ConfigType } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { DeliberateModule } from './deliberate/deliberate.module';
import { HealthModule } from './health/health.module';
import { loggingOptions } from './logging';
import { MetricsModule } from './metrics/metrics.module';
import { ObserveModule } from './observe/observe.module';
import { ReferModule } from './refer/refer.module';
import { RequestLogging } from './request-logging';
import { RespondModule } from './respond/respond.module';
import { VersionModule } from './version/version.module';
import { WatchdogModule } from './watchdog/watchdog.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [serverConfig, authConfig, defenderConfig] }),
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
  ],
  providers: [RequestLogging],
})
export class AppModule {}
