import { ApiError } from '../http/api-error';
import { matchesODataFilter, parseODataFilter } from './odata-filter';
import { applyODataQuery, parseODataQuery } from './odata-query';

const FIELDS = ['indicatorValue', 'indicatorType', 'type', 'status', 'machineId', 'generateAlert', 'creationDateTimeUtc', 'incidentId'];
const items = [
  { indicatorValue: "o'brien.example", indicatorType: 'DomainName', type: 'Isolate', status: 'Succeeded', generateAlert: true, creationDateTimeUtc: '2026-11-20T00:00:00Z', incidentId: 7 },
  { indicatorValue: 'evil.example', indicatorType: 'DomainName', type: 'Unisolate', status: 'Failed', generateAlert: false, creationDateTimeUtc: '2026-11-22T00:00:00Z', incidentId: 9 },
  { indicatorValue: '10.0.0.1', indicatorType: 'IpAddress', type: 'RunAntiVirusScan', status: 'Succeeded', generateAlert: false, creationDateTimeUtc: '2026-11-24T00:00:00Z', incidentId: null },
];
const select = (filter: string): number[] =>
  items.flatMap((item, i) => (matchesODataFilter(parseODataFilter(filter, FIELDS), item) ? [i] : []));

function rejection(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ODataError');
}

describe('OData $filter', () => {
  it.each([
    ["indicatorValue eq 'o''brien.example'", [0]],
    ["indicatorValue eq 'EVIL.example' and indicatorType eq 'DomainName'", [1]],
    ["type in ('Unisolate', 'Isolate') and status eq 'Succeeded'", [0]],
    ["type eq 'Isolate' or type eq 'Unisolate'", [0, 1]],
    ["status ne 'Succeeded'", [1]],
    ['generateAlert eq true', [0]],
    ['creationDateTimeUtc gt 2026-11-21T00:00:00Z', [1, 2]],
    ['creationDateTimeUtc le 2026-11-22T00:00:00Z', [0, 1]],
    ['incidentId ge 8', [1]],
    ['incidentId eq null', [2]],
    ["(type eq 'Isolate' or type eq 'RunAntiVirusScan') and status eq 'Succeeded'", [0, 2]],
    ["IndicatorValue EQ '10.0.0.1'", [2]],
    ["startswith(indicatorValue,'EVIL.')", [1]],
    ["indicatorValue eq 'x' or startswith(indicatorValue, 'o''brien')", [0]],
    ["startswith(indicatorValue,'10.0.0.1.')", []],
  ])('%s', (filter, expected) => {
    expect(select(filter)).toEqual(expected);
  });

  it.each([
    ["indicatorValue eq 'unterminated", 'Unterminated string literal'],
    ["indicatorValue eq 'a' and", "Unexpected end of '$filter'"],
    ["nope eq 'a'", "Could not find a filterable property named 'nope'"],
    ["indicatorValue like 'a'", 'Syntax error'],
    ["indicatorValue eq 'a' 'b'", 'Syntax error'],
    ["contains(indicatorValue, 'a')", "Unknown function 'contains'"],
    ["startswith(indicatorValue, 5)", 'Syntax error'],
    ["startswith(nope,'a')", "Could not find a filterable property named 'nope'"],
  ])('rejects %s with 400 ODataError', (filter, message) => {
    const err = rejection(() => parseODataFilter(filter, FIELDS));
    expect(err.status).toBe(400);
    expect(err.code).toBe('ODataError');
    expect(err.message).toContain(message);
  });
});

describe('OData query options', () => {
  it('applies $filter, $skip and $top in that order', () => {
    const q = parseODataQuery({ $filter: "indicatorType eq 'DomainName'", $top: '1', $skip: '1' }, { filterable: FIELDS });
    expect(applyODataQuery(items, q)).toEqual([items[1]]);
  });

  it.each([
    [{ $top: '-1' }, 'expected a non-negative integer'],
    [{ $top: '10001' }, "The limit of '10000' for Top query has been exceeded"],
    [{ $orderby: 'x' }, "The query parameter '$orderby' is not supported"],
    [{ $expand: 'machine' }, "Could not find a navigation property named 'machine'"],
  ])('rejects %j', (query, message) => {
    const err = rejection(() => parseODataQuery(query, { filterable: FIELDS, expandable: ['evidence'] }));
    expect(err.code).toBe('ODataError');
    expect(err.message).toContain(message);
  });
});
