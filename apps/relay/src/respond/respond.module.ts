import { CtimModule } from '@app/ctim';
import { DefenderModule } from '@app/defender';
import { Module } from '@nestjs/common';
import { AlertsLookupModule } from '../alerts/alerts-lookup.module';
import { DeviceActions } from './device-actions';
import { ListingReads } from './listing-reads';
import { RespondController } from './respond.controller';
import { RespondService } from './respond.service';

@Module({ imports: [DefenderModule, CtimModule, AlertsLookupModule], controllers: [RespondController], providers: [RespondService, DeviceActions, ListingReads] })
export class RespondModule {}
