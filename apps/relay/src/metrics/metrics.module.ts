import { Module } from '@nestjs/common';
import { MetricsServer } from './metrics.server';
import { RequestMetrics } from './request-metrics';

@Module({ providers: [MetricsServer, RequestMetrics], exports: [MetricsServer] })
export class MetricsModule {}
