import { validateSync } from 'class-validator';
import fc from 'fast-check';
import { RelayError } from '../errors';
import { ObservableDto } from './observable.dto';
import { accountName, canonicalIp, JUDGE_TYPES, normaliseObservable, OBSERVE_TYPES, REFER_TYPES, RESPOND_TYPES } from './observable-types';
import { parseObservables } from './observables.pipe';

function rejection(body: unknown): string {
  try {
    parseObservables(body, JUDGE_TYPES);
  } catch (e) {
    expect(e).toBeInstanceOf(RelayError);
    expect((e as RelayError).code).toBe('invalid payload');
    return (e as RelayError).message;
  }
  throw new Error('expected invalid payload');
}

describe('parseObservables', () => {
  it('treats an empty body as an empty list', () => {
    expect(parseObservables(undefined, JUDGE_TYPES)).toEqual({ observables: [], warnings: [] });
    expect(parseObservables('', JUDGE_TYPES).observables).toEqual([]);
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
      JUDGE_TYPES,
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
      JUDGE_TYPES,
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
      JUDGE_TYPES,
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
    ['ipv6', 'fe80::1%eth0'],
    ['ipv6', 'fe80::1%eth0.1'],
    ['ip', 'fe80::1%25eth0'],
  ])('skips a malformed %s with a warning that does not echo the value', (type, value) => {
    const result = parseObservables([{ type, value }, { type: 'ip', value: '8.8.8.8' }], JUDGE_TYPES);
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

  it('refuses more observables than the cap, naming it, and accepts exactly the cap', () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'ip', value: `10.0.${i >> 8}.${i & 255}` }));
    expect(() => parseObservables(list(4), JUDGE_TYPES, 3)).toThrow('4 observables, more than the limit of 3 per request (MAX_OBSERVABLES)');
    expect(parseObservables(list(3), JUDGE_TYPES, 3).observables).toHaveLength(3);
    expect(rejection(list(1001))).toContain('more than the limit of 1000 per request');
  });

  it('accepts international domain names', () => {
    expect(parseObservables([{ type: 'domain', value: 'bücher.example' }], JUDGE_TYPES).observables).toEqual([
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
          parseObservables([{ type, value }], OBSERVE_TYPES);
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

describe('canonicalIp', () => {
  it('spells equal addresses the same and leaves anything else as lower-case text, never throwing', () => {
    expect(canonicalIp('2001:0DB8:0000::0001')).toBe('2001:db8::1');
    // Defender logs link-local peers with their zone id; such a cell just never matches an observable.
    expect(canonicalIp('FE80::1%ETH0')).toBe('fe80::1%eth0');
    expect(canonicalIp('not an ip')).toBe('not an ip');
  });
});

describe('normaliseObservable (both pipes)', () => {
  it('trims and lower-cases the type and normalises the value by the type’s rule', () => {
    expect(normaliseObservable(' SHA256 ', ` ${'AB'.repeat(32)} `)).toEqual({ type: 'sha256', value: 'ab'.repeat(32) });
    expect(normaliseObservable('IPv6', '[2001:0DB8::0001]')).toEqual({ type: 'ipv6', value: '2001:db8::1' });
    expect(normaliseObservable('Domain', 'Evil.Example.')).toEqual({ type: 'domain', value: 'evil.example' });
  });

  it('only trims the value of a type it does not know, and never checks validity', () => {
    expect(normaliseObservable('CVE', ' cve-2024-1 ')).toEqual({ type: 'cve', value: 'cve-2024-1' });
    expect(normaliseObservable('sha1', ' not-a-hash ')).toEqual({ type: 'sha1', value: 'not-a-hash' });
  });
});

describe('file, process, registry, MAC and email observables', () => {
  const parse = (type: string, value: string) => parseObservables([{ type, value }], OBSERVE_TYPES);

  it.each([
    ['file_name', 'Invoice.PDF.exe', 'Invoice.PDF.exe'],
    ['process_name', ' OUTLOOK.EXE ', 'OUTLOOK.EXE'],
    ['file_path', 'C:\\Users\\x\\a.exe', 'C:\\Users\\x\\a.exe'],
    ['file_path', '\\\\srv\\share\\a.exe', '\\\\srv\\share\\a.exe'],
    ['file_path', '/tmp/.cache/xmrig', '/tmp/.cache/xmrig'],
    ['registry_key', 'HKLM\\Software\\Run\\', 'HKEY_LOCAL_MACHINE\\Software\\Run'],
    ['registry_key', 'hkey_current_user\\Software', 'HKEY_CURRENT_USER\\Software'],
    ['mac_address', '00:15:5d:0a:1b:2c', '00:15:5D:0A:1B:2C'],
    ['mac_address', '00-15-5D-0A-1B-2C', '00-15-5D-0A-1B-2C'],
    ['mac_address', '00155d0a1b2c', '00155D0A1B2C'],
    ['mac_address', '0015.5d0a.1b2c', '0015.5D0A.1B2C'],
    ['email', 'JDoe@Contoso.Example', 'jdoe@contoso.example'],
  ])('%s %p is read as %p', (type, value, normalised) => {
    expect(parse(type, value)).toEqual({ observables: [{ type, value: normalised }], warnings: [] });
  });

  it.each([
    ['file_name', 'dir\\a.exe', 'a file name'],
    ['file_name', '..', 'a file name'],
    ['process_name', 'a/b', 'a process file name'],
    ['file_path', 'a.exe', 'a full file path'],
    ['file_path', 'C:\\a\u0000b', 'a full file path'],
    ['registry_key', 'Software\\Run', 'a registry key'],
    ['registry_key', 'HKEY_BOGUS\\x', 'a registry key'],
    ['mac_address', '00:15:5d-0a:1b:2c', 'a MAC address'],
    ['mac_address', '00155d0a1b2', 'a MAC address'],
    ['email', 'jdoe', 'an email address'],
    ['email', 'a b@c.example', 'an email address'],
  ])('%s %p is skipped with a warning saying what was expected, the rest still answered', (type, value, expected) => {
    const result = parseObservables([{ type, value }, { type: 'ip', value: '10.0.0.1' }], OBSERVE_TYPES);
    expect(result.observables).toEqual([{ type: 'ip', value: '10.0.0.1' }]);
    expect(result.warnings).toEqual([expect.objectContaining({ type: 'warning', message: expect.stringContaining(`not ${expected}`) })]);
  });
});

describe('hostname and user observables', () => {
  it('lower-cases a host name and drops its trailing dot; quotes and % are passed on for the encoder', () => {
    const { observables, warnings } = parseObservables(
      [
        { type: 'hostname', value: ' WS-01.Corp.Example. ' },
        { type: 'hostname', value: "x'" },
        { type: 'hostname', value: 'x%27' },
        { type: 'hostname', value: 'poste-équipe' },
      ],
      OBSERVE_TYPES,
    );
    expect(observables.map((o) => o.value)).toEqual(['ws-01.corp.example', "x'", 'x%27', 'poste-équipe']);
    expect(warnings).toEqual([]);
  });

  it('skips host names no device can have (spaces, slashes, @, control characters, dots only) with a warning', () => {
    const bad = ["a' or 1 eq 1", 'a/b', 'me@host', 'ws\u0001', '...', 'x'.repeat(254)].map((value) => ({ type: 'hostname', value }));
    const { observables, warnings } = parseObservables(bad, OBSERVE_TYPES);
    expect(observables).toEqual([]);
    expect(warnings).toHaveLength(bad.length);
    expect(warnings[0].message).toBe('Skipped observable at index 0: not a host name');
  });

  it('takes DOMAIN\\account, account@domain and account spellings of a user; the account is what Defender looks up', () => {
    const { observables, warnings } = parseObservables(
      ['CONTOSO\\jdoe', 'jdoe@contoso.example', 'jdoe', 'CONTOSO\\', '@contoso.example', 'a\\b\\c'].map((value) => ({ type: 'user', value })),
      OBSERVE_TYPES,
    );
    expect(observables.map((o) => accountName(o.value))).toEqual(['jdoe', 'jdoe', 'jdoe']);
    expect(warnings.map((w) => w.message)).toEqual([3, 4, 5].map((i) => `Skipped observable at index ${i}: not a user name`));
  });

  it('skips a user whose account is only dots, in any spelling (it would climb out of the Defender path)', () => {
    const dots = ['..', '.', 'CONTOSO\\..', '..@contoso.com', ' .. ', '...', 'CONTOSO\\ .. @x'];
    const { observables, warnings } = parseObservables(dots.map((value) => ({ type: 'user', value })), OBSERVE_TYPES);
    expect(observables).toEqual([]);
    expect(warnings.map((w) => w.message)).toEqual(dots.map((_, i) => `Skipped observable at index ${i}: not a user name`));
    expect(parseObservables([{ type: 'user', value: '.jdoe.' }], OBSERVE_TYPES).observables).toHaveLength(1);
  });

  it('skips any value holding a lone UTF-16 surrogate, whatever its type, and keeps paired ones', () => {
    const types = ['ip', 'domain', 'sha1', 'url', 'hostname', 'user'];
    const { observables, warnings } = parseObservables(types.map((type) => ({ type, value: `x\ud800` })), OBSERVE_TYPES);
    expect(observables).toEqual([]);
    expect(warnings.map((w) => w.message)).toEqual(types.map((_, i) => `Skipped observable at index ${i}: not well-formed text (it holds a lone UTF-16 surrogate)`));
    expect(parseObservables([{ type: 'user', value: 'j\ud83d\ude00doe' }], OBSERVE_TYPES).observables).toHaveLength(1);
  });

  it('is accepted where it can be answered: observe, refer and respond (alert triage) take hostname and user, deliberate neither', () => {
    const body = [
      { type: 'hostname', value: 'ws-01' },
      { type: 'user', value: 'jdoe' },
    ];
    expect(parseObservables(body, OBSERVE_TYPES).observables).toHaveLength(2);
    expect(parseObservables(body, REFER_TYPES).observables).toHaveLength(2);
    expect(parseObservables(body, JUDGE_TYPES).observables).toEqual([]);
    expect(parseObservables(body, RESPOND_TYPES).observables).toHaveLength(2);
  });
});
