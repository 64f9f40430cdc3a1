import { DefenderModule } from '@app/defender';
import { Module } from '@nestjs/common';
import { ObservableAlerts } from './observable-alerts';

@Module({ imports: [DefenderModule], providers: [ObservableAlerts], exports: [ObservableAlerts] })
export class AlertsLookupModule {}
