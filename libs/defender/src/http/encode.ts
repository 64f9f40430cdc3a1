import { RelayError } from '@app/common';

/** Every value is one encoded path segment; empty, `.` or `..` is refused, as URL parsing collapses `users/../alerts`. */
export function apiPath(strings: TemplateStringsArray, ...values: Array<string | number>): string {
  return strings.reduce((out, part, i) => out + part + (i < values.length ? pathSegment(values[i]) : ''), '');
}

const DOT_SEGMENT = /^(?:\.|%2e){0,2}$/i;

function pathSegment(value: string | number): string {
  const segment = encodeURIComponent(String(value));
  if (DOT_SEGMENT.test(segment)) {
    throw new RelayError('invalid request', `${JSON.stringify(String(value).slice(0, 20))} cannot name anything in a Microsoft Defender for Endpoint path, so it was not looked up`);
  }
  return segment;
}

/** An OData string literal: single quotes doubled, wrapped in quotes. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** An OData DateTimeOffset literal (UTC, unquoted): `2026-11-25T12:00:00.000Z`. */
export function odataDateTime(epochMs: number): string {
  if (!Number.isFinite(epochMs)) throw new RangeError(`not a time: ${epochMs}`);
  return new Date(epochMs).toISOString();
}

/** An OData collection of string literals for `in`: `('Isolate', 'Unisolate')`. */
export function odataList(values: readonly string[]): string {
  return `(${values.map(odataString).join(', ')})`;
}
