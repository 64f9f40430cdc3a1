import { Injectable } from '@nestjs/common';
import { Clock } from './clock.provider';
import { MappingStamp } from './ctim.types';
import { IdGenerator, transientId } from './id.provider';

/** Hands each mapping call its stamp from the clock and the id generator. */
@Injectable()
export class StampProvider {
  constructor(
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  stamp(): MappingStamp {
    return { now: this.clock.now(), newId: (kind) => transientId(kind, this.ids.uuid()) };
  }
}
