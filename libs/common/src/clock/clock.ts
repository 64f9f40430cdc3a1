/** Milliseconds since the epoch. Injected where a rule depends on the date, so tests can move it. */
export type Clock = () => number;

/** Nest injection token of the Clock (`Date.now` in production). */
export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = () => Date.now();
