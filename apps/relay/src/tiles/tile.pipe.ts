import { preview, RelayError, validateDto } from '@app/common';
import { Injectable, PipeTransform } from '@nestjs/common';
import { TILE_IDS } from './tile-catalog';
import { TILE_PERIODS } from './tile-periods';
import { TileDataRequestDto, TileRequestDto } from './tile.dto';

function bodyObject(body: unknown, expected: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new RelayError('invalid payload', `Invalid JSON payload received: expected ${expected}`);
  return body as Record<string, unknown>;
}

function known(what: string, value: string, known: readonly string[], where: string): void {
  if (!known.includes(value)) throw new RelayError('invalid request', `Unknown ${what} '${preview(value)}'; ${where}: ${known.join(', ')}`);
}

/** Reads `{"tile_id"}`; only that field is read. */
@Injectable()
export class TileRequestPipe implements PipeTransform<unknown, TileRequestDto> {
  transform(body: unknown): TileRequestDto {
    const raw = bodyObject(body, "an object with 'tile_id'");
    const dto = validateDto(Object.assign(new TileRequestDto(), { tile_id: raw.tile_id }));
    known('tile_id', dto.tile_id, TILE_IDS, 'POST /tiles lists the tiles');
    return dto;
  }
}

/** Reads `{"tile_id", "period"}`; only those fields are read. */
@Injectable()
export class TileDataRequestPipe implements PipeTransform<unknown, TileDataRequestDto> {
  transform(body: unknown): TileDataRequestDto {
    const raw = bodyObject(body, "an object with 'tile_id' and 'period'");
    const dto = validateDto(Object.assign(new TileDataRequestDto(), { tile_id: raw.tile_id, period: raw.period }));
    known('tile_id', dto.tile_id, TILE_IDS, 'POST /tiles lists the tiles');
    known('period', dto.period, TILE_PERIODS, 'the periods are');
    return dto;
  }
}
