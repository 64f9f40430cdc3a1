import { Injectable, PipeTransform } from '@nestjs/common';
import { validateSync } from 'class-validator';
import { RelayError, RelayErrorBody } from '../errors';
import { ObservableDto } from './observable.dto';
import { isObservableType, Observable, ObservableType, TYPE_RULES } from './observable-types';

/** The observables of one request, after validation, normalisation and de-duplication. */
export interface ObservableBatch {
  observables: Observable[];
  /** One warning per value skipped as malformed for its type (C-22). */
  warnings: RelayErrorBody[];
}

/**
 * Validates a list of observables (C-20..C-22): a bad structure is an `invalid payload` error
 * naming the index and field; unknown types are dropped; malformed values become warnings;
 * duplicates (after normalisation) are kept once.
 */
export function parseObservables(body: unknown, supported: readonly ObservableType[]): ObservableBatch {
  const list = body === undefined || body === null || body === '' ? [] : body;
  if (!Array.isArray(list)) {
    throw new RelayError('invalid payload', 'Invalid JSON payload received: expected a JSON array of observables');
  }
  const seen = new Set<string>();
  const observables: Observable[] = [];
  const warnings: RelayErrorBody[] = [];
  list.forEach((item: unknown, index) => {
    const dto = validItem(item, index);
    const type = dto.type.trim().toLowerCase();
    if (!isObservableType(type) || !supported.includes(type)) return;
    const rule = TYPE_RULES[type];
    const value = rule.normalise(dto.value.trim());
    if (!rule.valid(value)) {
      warnings.push({ type: 'warning', code: 'invalid payload', message: `Skipped observable at index ${index}: not ${rule.expected}` });
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
  // What ObservableDto accepts (two non-empty strings), checked directly: class-validator's
  // metadata lookup per object costs more than the rest of a /refer request. Anything else is
  // validated by the DTO, for its message; a unit test keeps the two in agreement.
  if (isNonEmptyString(type) && isNonEmptyString(value)) return { type, value };
  const dto = Object.assign(new ObservableDto(), { type, value });
  const [error] = validateSync(dto, { stopAtFirstError: true });
  if (error) {
    const message = Object.values(error.constraints ?? {})[0] ?? `'${error.property}' is invalid`;
    throw new RelayError('invalid payload', `Invalid JSON payload received: item ${index}: ${message}`);
  }
  return dto;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** `@Body(new ObservablesPipe(ENRICH_TYPES)) batch: ObservableBatch` */
@Injectable()
export class ObservablesPipe implements PipeTransform<unknown, ObservableBatch> {
  constructor(private readonly supported: readonly ObservableType[]) {}

  transform(body: unknown): ObservableBatch {
    return parseObservables(body, this.supported);
  }
}
