import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { TILE_IDS, TileId } from './tile-catalog';
import { TILE_PERIODS, TilePeriod } from './tile-periods';

/** `POST /tiles/tile` body; the pipe checks the id is one of TILE_IDS. */
export class TileRequestDto {
  @ApiProperty({ enum: TILE_IDS, example: 'alerts-summary', description: 'A tile id from POST /tiles' })
  @IsString({ message: "'tile_id' must be a string" })
  tile_id!: TileId;
}

/** `POST /tiles/tile-data` body; the pipe checks the tile and period exist. */
export class TileDataRequestDto extends TileRequestDto {
  @ApiProperty({ enum: TILE_PERIODS, example: 'last_24_hours' })
  @IsString({ message: "'period' must be a string" })
  period!: TilePeriod;
}
