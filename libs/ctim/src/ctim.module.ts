import { Module } from '@nestjs/common';
import { ActionMapper } from './action.mapper';
import { IdGenerator, RandomIdGenerator } from './id.provider';
import { SightingMapper } from './sighting.mapper';
import { StampProvider } from './stamp.provider';
import { VerdictMapper } from './verdict.mapper';

/** Mappers stay pure: time and ids come from `CLOCK` and `IdGenerator`, which tests override. */
@Module({
  providers: [
    { provide: IdGenerator, useClass: RandomIdGenerator },
    StampProvider,
    SightingMapper,
    VerdictMapper,
    ActionMapper,
  ],
  exports: [SightingMapper, VerdictMapper, ActionMapper],
})
export class CtimModule {}
