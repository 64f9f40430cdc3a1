import { bodyObject, validateBody } from '@app/common';
import { Injectable, PipeTransform } from '@nestjs/common';
import { TileDataRequestDto, TileRequestDto } from './tile.dto';

/** Reads `{"tile_id"}`; only that field is read. */
@Injectable()
export class TileRequestPipe implements PipeTransform<unknown, TileRequestDto> {
  transform(body: unknown): TileRequestDto {
    const raw = bodyObject(body, "an object with 'tile_id'");
    return validateBody(Object.assign(new TileRequestDto(), { tile_id: raw.tile_id }));
  }
}

/** Reads `{"tile_id", "period"}`; only those fields are read. */
@Injectable()
export class TileDataRequestPipe implements PipeTransform<unknown, TileDataRequestDto> {
  transform(body: unknown): TileDataRequestDto {
    const raw = bodyObject(body, "an object with 'tile_id' and 'period'");
    return validateBody(Object.assign(new TileDataRequestDto(), { tile_id: raw.tile_id, period: raw.period }));
  }
}
