import { DefenderModule } from '@app/defender';
import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';

@Module({ imports: [DefenderModule], controllers: [HealthController] })
export class HealthModule {}
