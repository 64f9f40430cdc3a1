import { CtimModule } from '@app/ctim';
import { DefenderModule } from '@app/defender';
import { Module } from '@nestjs/common';
import { AlertsLookupModule } from '../alerts/alerts-lookup.module';
import { ObserveController } from './observe.controller';
import { ObserveService } from './observe.service';

@Module({ imports: [DefenderModule, CtimModule, AlertsLookupModule], controllers: [ObserveController], providers: [ObserveService] })
export class ObserveModule {}
