import { Inject, Injectable, mixin, PipeTransform, Type } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DEFAULT_MAX_OBSERVABLES, serverConfig } from '../config';
import { RelayError, RelayErrorBody } from '../errors';
import { validateDto } from '../validation';
import { ObservableDto } from './observable.dto';
import { isObservableType, normaliseObservable, Observable, observableProblem, ObservableType } from './observable-types';

export interface ObservableBatch {
  observables: Observable[];
  warnings: RelayErrorBody[];
}

/** Unknown types are dropped, malformed values become warnings, duplicates are kept once. */
export function parseObservables(body: unknown, supported: readonly ObservableType[], max = DEFAULT_MAX_OBSERVABLES): ObservableBatch {
  const list = body === undefined || body === null || body === '' ? [] : body;
  if (!Array.isArray(list)) {
    throw new RelayError('invalid payload', 'Invalid JSON payload received: expected a JSON array of observables');
  }
  // Counted before anything is read: each observable can cost several Defender calls.
  if (list.length > max) {
    throw new RelayError('invalid payload', `Invalid JSON payload received: ${list.length} observables, more than the limit of ${max} per request (MAX_OBSERVABLES)`);
  }
  const seen = new Set<string>();
  const observables: Observable[] = [];
  const warnings: RelayErrorBody[] = [];
  list.forEach((item: unknown, index) => {
    const dto = validItem(item, index);
    const { type, value } = normaliseObservable(dto.type, dto.value);
    if (!isObservableType(type) || !supported.includes(type)) return;
    const problem = observableProblem(type, value);
    if (problem) {
      warnings.push({ type: 'warning', code: 'invalid payload', message: `Skipped observable at index ${index}: ${problem}` });
      return;
    }
    const key = `${type}\u0000${value}`;
    if (seen.has(key)) return;
    seen.add(key);
    observables.push({ type, value });
  });
  return { observables, warnings };
}

function validItem(item: unknown, index: number): Pick<ObservableDto, 'type' | 'value'> {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new RelayError('invalid payload', `Invalid JSON payload received: item ${index} is not an object with 'type' and 'value'`);
  }
  // Only the two fields are read: a deep structure elsewhere in the item is never walked.
  const { type, value } = item as { type?: unknown; value?: unknown };
  // Checked directly: class-validator's metadata lookup costs more than the rest of a /refer request (a unit test keeps it in line with ObservableDto).
  if (isNonEmptyString(type) && isNonEmptyString(value)) return { type, value };
  return validateDto(Object.assign(new ObservableDto(), { type, value }), `item ${index}`);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

// A pipe class per list of types, so Nest injects the configured MAX_OBSERVABLES.
export function ObservablesPipe(supported: readonly ObservableType[]): Type<PipeTransform<unknown, ObservableBatch>> {
  @Injectable()
  class ObservablesOfTypesPipe implements PipeTransform<unknown, ObservableBatch> {
    constructor(@Inject(serverConfig.KEY) private readonly server: ConfigType<typeof serverConfig>) {}

    transform(body: unknown): ObservableBatch {
      return parseObservables(body, supported, this.server.maxObservables);
    }
  }
  return mixin(ObservablesOfTypesPipe);
}
