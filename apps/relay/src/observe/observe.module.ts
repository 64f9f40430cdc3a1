import { CtimModule } from '@app/ctim';
import { DefenderModule } from '@app/defender';
import { Module } from '@nestjs/common';
import { ObserveController } from './observe.controller';
import { ObserveService } from './observe.service';

@Module({ imports: [DefenderModule, CtimModule], controllers: [ObserveController], providers: [ObserveService] })
export class ObserveModule {}
