import { CtimModule } from '@app/ctim';
import { DefenderModule } from '@app/defender';
import { Module } from '@nestjs/common';
import { DeliberateController } from './deliberate.controller';
import { DeliberateService } from './deliberate.service';

@Module({ imports: [DefenderModule, CtimModule], controllers: [DeliberateController], providers: [DeliberateService] })
export class DeliberateModule {}
