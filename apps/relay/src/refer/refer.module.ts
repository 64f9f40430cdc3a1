import { DefenderModule } from '@app/defender';
import { Module } from '@nestjs/common';
import { ReferController } from './refer.controller';
import { ReferService } from './refer.service';

@Module({ imports: [DefenderModule], controllers: [ReferController], providers: [ReferService] })
export class ReferModule {}
