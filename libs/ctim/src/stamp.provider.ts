import { Clock, CLOCK } from '@app/common/clock';
import { Inject, Injectable } from '@nestjs/common';
import { MappingStamp } from './ctim.types';
import { IdGenerator, transientId } from './id.provider';

@Injectable()
export class StampProvider {
  constructor(
    @Inject(CLOCK) private readonly now: Clock,
    private readonly ids: IdGenerator,
  ) {}

  stamp(): MappingStamp {
    return { now: new Date(this.now()), newId: (kind) => transientId(kind, this.ids.uuid()) };
  }
}
