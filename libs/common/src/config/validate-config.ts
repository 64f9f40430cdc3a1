import { getConfigToken } from '@nestjs/config';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { preview } from '../errors/relay-error';

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

export type Env = Record<string, string | undefined>;

/** Called with an environment, never process.env; `KEY` injects the value the app was built with. */
export interface ConfigNamespace<N extends string, T> {
  (env: Env): T;
  readonly NAME: N;
  readonly KEY: string;
}

export function configNamespace<N extends string, T>(name: N, load: (env: Env) => T): ConfigNamespace<N, T> {
  return Object.assign((env: Env) => load(env), { NAME: name, KEY: getConfigToken(name) });
}

/** Empty strings count as unset, so `FOO=` in a manifest means "use the default". */
export function validateEnv<T extends object>(cls: ClassConstructor<T>, env: Env): T {
  const checked = checkEnv(cls, env);
  if (checked.problems.length > 0) throw new ConfigValidationError(checked.problems);
  return checked.values;
}

export interface CheckedEnv<T> {
  values: T;
  problems: string[];
  /** The variables with a bad value: a rule that reads one of them is not checked. */
  invalid: ReadonlySet<string>;
}

/** As validateEnv, without throwing: a loader adds its cross-field problems and throws them all at once. */
export function checkEnv<T extends object>(cls: ClassConstructor<T>, env: Env): CheckedEnv<T> {
  const present: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') present[key] = value.trim();
  }
  const values = plainToInstance(cls, present, { exposeDefaultValues: true, excludeExtraneousValues: true });
  const errors = validateSync(values, { forbidUnknownValues: false });
  return { values, problems: errors.flatMap((e) => describe(e, present)), invalid: new Set(errors.map((e) => e.property)) };
}

export function collectProblems<T>(problems: string[], load: () => T): T | undefined {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}

function describe(error: ValidationError, raw: Record<string, string>): string[] {
  const got = raw[error.property] === undefined ? '' : ` (got '${preview(raw[error.property], 40)}')`;
  const constraints = error.constraints ?? {};
  // A value of the wrong kind also fails its range checks: report only the kind.
  const kind = TYPE_CONSTRAINTS.find((name) => constraints[name] !== undefined);
  const messages = kind ? [constraints[kind]] : Object.values(constraints);
  return messages.map((message) => `${error.property}: ${message}${got}`);
}

const TYPE_CONSTRAINTS = ['isInt', 'isBoolean', 'isIn', 'isUrl', 'isString', 'matches'];
