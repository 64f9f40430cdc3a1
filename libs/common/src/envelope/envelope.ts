import { RelayErrorBody } from '../errors';

export interface Envelope<T> {
  data?: T;
  errors?: RelayErrorBody[];
}

/** Builds `{data}` or `{data, errors}`; data is left out when empty and errors exist. */
export function envelope<T>(data: T | undefined, errors: readonly RelayErrorBody[] = []): Envelope<T> {
  const out: Envelope<T> = {};
  if (data !== undefined && !(errors.length > 0 && isEmptyObject(data))) out.data = data;
  if (errors.length > 0) out.errors = [...errors];
  return out;
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}
