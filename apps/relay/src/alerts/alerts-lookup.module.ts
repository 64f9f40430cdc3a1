import { DefenderModule } from '@app/defender';
import { Module } from '@nestjs/common';
import { PivotAlertsLookup } from '../observe/pivot-alerts';
import { ObservableAlerts } from './observable-alerts';

@Module({ imports: [DefenderModule], providers: [ObservableAlerts, PivotAlertsLookup], exports: [ObservableAlerts] })
export class AlertsLookupModule {}
