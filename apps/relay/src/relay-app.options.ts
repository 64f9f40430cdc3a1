import type { Clock } from '@app/common';

/** What a test or benchmark may replace when it builds the relay; production sets nothing. */
export interface RelayAppOptions {
  /** "Now" for the dashboard tiles' periods and caches (and every other CLOCK reader); default `Date.now`. */
  clock?: Clock;
}
