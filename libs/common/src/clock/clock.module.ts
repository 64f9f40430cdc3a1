import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, CLOCK, systemClock } from './clock';

/**
 * Provides the app's CLOCK everywhere: the system clock, or one a test or benchmark moves by
 * hand. The app module imports it once (`AppModule.register`).
 */
@Global()
@Module({})
export class ClockModule {
  static forRoot(clock: Clock = systemClock): DynamicModule {
    return { module: ClockModule, providers: [{ provide: CLOCK, useValue: clock }], exports: [CLOCK] };
  }
}
