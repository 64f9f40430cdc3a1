import { CtimModule } from '@app/ctim';
import { DefenderModule } from '@app/defender';
import { Module } from '@nestjs/common';
import { AlertsLookupModule } from '../alerts/alerts-lookup.module';
import { DeviceActions } from './device-actions';
import { RespondController } from './respond.controller';
import { RespondService } from './respond.service';

@Module({ imports: [DefenderModule, CtimModule, AlertsLookupModule], controllers: [RespondController], providers: [RespondService, DeviceActions] })
export class RespondModule {}
