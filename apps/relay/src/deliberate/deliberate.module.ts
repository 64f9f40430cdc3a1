import { DefenderModule } from '@app/defender';
import { Module } from '@nestjs/common';
import { DeliberateController } from './deliberate.controller';
import { DeliberateService } from './deliberate.service';

@Module({ imports: [DefenderModule], controllers: [DeliberateController], providers: [DeliberateService] })
export class DeliberateModule {}
