import { failsAs, preview } from '@app/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString } from 'class-validator';
import { TILE_IDS, TileId } from './tile-catalog';
import { TILE_PERIODS, TilePeriod } from './tile-periods';

const unknown = (what: string, known: readonly string[], where: string) => ({
  message: ({ value }: { value: unknown }) => `Unknown ${what} '${preview(value)}'; ${where}: ${known.join(', ')}`,
  // A well-formed body asking for a tile or period the relay does not have.
  context: failsAs('invalid request'),
});

/** `POST /tiles/tile` body. */
export class TileRequestDto {
  @ApiProperty({ enum: TILE_IDS, example: 'alerts-summary', description: 'A tile id from POST /tiles' })
  @IsIn(TILE_IDS, unknown('tile_id', TILE_IDS, 'POST /tiles lists the tiles'))
  @IsString({ message: "'tile_id' must be a string" })
  tile_id!: TileId;
}

/** `POST /tiles/tile-data` body. */
export class TileDataRequestDto extends TileRequestDto {
  @ApiProperty({ enum: TILE_PERIODS, example: 'last_24_hours' })
  @IsIn(TILE_PERIODS, unknown('period', TILE_PERIODS, 'the periods are'))
  @IsString({ message: "'period' must be a string" })
  period!: TilePeriod;
}
