import type { Clock } from '@app/common';

export interface RelayAppOptions {
  /** "Now" for the dashboard tiles' periods and caches (and every other CLOCK reader); default `Date.now`. */
  clock?: Clock;
}
