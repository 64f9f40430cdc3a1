import { validateSync } from 'class-validator';
import fc from 'fast-check';
import { RelayError } from '../errors';
import { ObservableDto } from './observable.dto';
import { ENRICH_TYPES, RESPOND_TYPES } from './observable-types';
import { parseObservables } from './observables.pipe';

function rejection(body: unknown): string {
  try {
    parseObservables(body, ENRICH_TYPES);
  } catch (e) {
    expect(e).toBeInstanceOf(RelayError);
    expect((e as RelayError).code).toBe('invalid payload');
    return (e as RelayError).message;
  }
  throw new Error('expected invalid payload');
}

describe('parseObservables (C-20..C-22)', () => {
  it('treats an empty body as an empty list', () => {
    expect(parseObservables(undefined, ENRICH_TYPES)).toEqual({ observables: [], warnings: [] });
    expect(parseObservables('', ENRICH_TYPES).observables).toEqual([]);
  });

  it.each([
    [{ type: 'ip', value: '1.1.1.1' }, 'expected a JSON array of observables'],
    ['text', 'expected a JSON array of observables'],
    [['x'], "item 0 is not an object with 'type' and 'value'"],
    [[{ type: 'ip', value: '1.1.1.1' }, null], 'item 1 is not an object'],
    [[{ type: 'ip', value: '1.1.1.1' }, { type: 'ip' }], "item 1: 'value' must be a non-empty string"],
    [[{ value: '1.1.1.1' }], "item 0: 'type' must be a non-empty string"],
    [[{ type: '', value: '1.1.1.1' }], "item 0: 'type' must be a non-empty string"],
    [[{ type: 'ip', value: '' }], "item 0: 'value' must be a non-empty string"],
    [[{ type: 'ip', value: 42 }], "item 0: 'value' must be a non-empty string"],
    [[{ type: 7, value: 'x' }], "item 0: 'type' must be a non-empty string"],
  ])('rejects %j: %s', (body, message) => {
    expect(rejection(body)).toContain(message);
  });

  it('matches types case-insensitively and normalises values', () => {
    const { observables } = parseObservables(
      [
        { type: 'SHA1', value: ' 36C5D12033B2EAF251BAE61C00690FFB17FDDC87 ' },
        { type: 'Domain', value: 'Evil.Example.' },
        { type: 'ipv6', value: '[2001:0DB8:0000::0001]' },
      ],
      ENRICH_TYPES,
    );
    expect(observables).toEqual([
      { type: 'sha1', value: '36c5d12033b2eaf251bae61c00690ffb17fddc87' },
      { type: 'domain', value: 'evil.example' },
      { type: 'ipv6', value: '2001:db8::1' },
    ]);
  });

  it('drops unknown and unsupported types silently', () => {
    const result = parseObservables(
      [
        { type: 'email', value: 'a@b.c' },
        { type: 'ms_machine_id', value: 'a'.repeat(40) },
        { type: 'ip', value: '10.0.0.1' },
      ],
      ENRICH_TYPES,
    );
    expect(result).toEqual({ observables: [{ type: 'ip', value: '10.0.0.1' }], warnings: [] });
  });

  it('collapses duplicates after normalisation', () => {
    const { observables } = parseObservables(
      [
        { type: 'md5', value: 'ABCDEF0123456789ABCDEF0123456789' },
        { type: 'MD5', value: 'abcdef0123456789abcdef0123456789' },
        { type: 'domain', value: 'x.example' },
        { type: 'domain', value: 'X.EXAMPLE' },
      ],
      ENRICH_TYPES,
    );
    expect(observables).toHaveLength(2);
  });

  it.each([
    ['sha1', 'abc'],
    ['sha256', 'z'.repeat(64)],
    ['md5', '123'],
    ['ip', '300.1.1.1'],
    ['ipv6', '10.0.0.1'],
    ['domain', "evil.com' or 1==1 //"],
    ['domain', 'localhost'],
  ])('skips a malformed %s with a warning that does not echo the value', (type, value) => {
    const result = parseObservables([{ type, value }, { type: 'ip', value: '8.8.8.8' }], ENRICH_TYPES);
    expect(result.observables).toEqual([{ type: 'ip', value: '8.8.8.8' }]);
    expect(result.warnings).toEqual([{ type: 'warning', code: 'invalid payload', message: expect.stringContaining('index 0') }]);
    expect(result.warnings[0].message).not.toContain(value);
  });

  it('accepts respond-only types where supported', () => {
    const { observables, warnings } = parseObservables(
      [
        { type: 'ms_machine_id', value: 'A'.repeat(40) },
        { type: 'url', value: "https://evil.example/a'b?c=1" },
        { type: 'url', value: 'javascript:alert(1)' },
      ],
      RESPOND_TYPES,
    );
    expect(observables).toEqual([
      { type: 'ms_machine_id', value: 'a'.repeat(40) },
      { type: 'url', value: "https://evil.example/a'b?c=1" },
    ]);
    expect(warnings).toHaveLength(1);
  });

  it('accepts international domain names', () => {
    expect(parseObservables([{ type: 'domain', value: 'bücher.example' }], ENRICH_TYPES).observables).toEqual([
      { type: 'domain', value: 'bücher.example' },
    ]);
  });

  it('accepts exactly the items ObservableDto accepts (the direct check and the DTO agree)', () => {
    const field = fc.oneof(fc.string(), fc.constantFrom('', ' ', 'ip', '10.0.0.1'), fc.anything());
    fc.assert(
      fc.property(field, field, (type, value) => {
        const dtoAccepts = validateSync(Object.assign(new ObservableDto(), { type, value })).length === 0;
        let parsed = true;
        try {
          parseObservables([{ type, value }], ENRICH_TYPES);
        } catch (error) {
          expect(error).toBeInstanceOf(RelayError);
          parsed = false;
        }
        expect(parsed).toBe(dtoAccepts);
      }),
      { numRuns: 2000 },
    );
  });
});
