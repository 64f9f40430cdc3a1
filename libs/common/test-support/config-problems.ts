import { ConfigValidationError } from '../src/config/validate-config';

/** The problems a config loader reports; fails when the loader accepts the input. */
export function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigValidationError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigValidationError');
}
