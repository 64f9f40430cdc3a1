import { CtimModule } from '@app/ctim';
import { DefenderModule } from '@app/defender';
import { Module } from '@nestjs/common';
import { AlertsLookupModule } from '../alerts/alerts-lookup.module';
import { ObserveController } from './observe.controller';
import { ObserveService } from './observe.service';
import { PivotAlertsLookup } from './pivot-alerts';

@Module({ imports: [DefenderModule, CtimModule, AlertsLookupModule], controllers: [ObserveController], providers: [ObserveService, PivotAlertsLookup] })
export class ObserveModule {}
