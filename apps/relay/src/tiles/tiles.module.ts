import { DefenderModule } from '@app/defender';
import { Module } from '@nestjs/common';
import { TilesController } from './tiles.controller';
import { TilesService } from './tiles.service';

@Module({ imports: [DefenderModule], controllers: [TilesController], providers: [TilesService] })
export class TilesModule {}
