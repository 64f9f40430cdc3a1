import { Module } from '@nestjs/common';
import { ActionMapper } from './action.mapper';
import { IdGenerator, RandomIdGenerator } from './id.provider';
import { SightingMapper } from './sighting.mapper';
import { StampProvider } from './stamp.provider';
import { VerdictMapper } from './verdict.mapper';

/**
 * The Defender → CTIM mappers as providers. They stay pure: the time and the transient ids come
 * from the app's `CLOCK` (`ClockModule`) and the `IdGenerator` provider, which tests override.
 */
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
