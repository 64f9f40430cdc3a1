import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { MetricsInterceptor } from './metrics.interceptor';
import { MetricsServer } from './metrics.server';

@Module({ providers: [MetricsServer, { provide: APP_INTERCEPTOR, useClass: MetricsInterceptor }], exports: [MetricsServer] })
export class MetricsModule {}
