import { HttpModule } from '@nestjs/axios';
import { Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { ConfigType } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { JwksService } from './auth/jwks.service';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import { outboundConfig } from './config';
import { EnvelopeFilter } from './envelope/envelope.filter';
import { MetricsService } from './metrics/metrics.service';
import { SharedStateService } from './state/shared-state.service';

@Global()
@Module({
  imports: [
    // The JWKS fetch: through OUTBOUND_PROXY or straight, never through an inherited HTTP(S)_PROXY.
    HttpModule.registerAsync({ inject: [outboundConfig.KEY], useFactory: (outbound: ConfigType<typeof outboundConfig>) => ({ proxy: outbound.proxy }) }),
    JwtModule.register({}),
  ],
  providers: [
    JwksService,
    MetricsService,
    SharedStateService,
    JwtAuthGuard,
    EnvelopeFilter,
    { provide: APP_GUARD, useExisting: JwtAuthGuard },
    { provide: APP_FILTER, useExisting: EnvelopeFilter },
  ],
  exports: [JwksService, MetricsService, SharedStateService],
})
export class CommonModule {}
