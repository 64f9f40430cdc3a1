import { eventsQuery, networkInfoQuery } from './hunting-queries';
import { kqlInt, kqlList, kqlString } from './kql';

describe('kqlString (C-23)', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it\\'s'"],
    ['back\\slash', "'back\\\\slash'"],
    ["\\'", "'\\\\\\''"],
    ['line\nbreak', "'line\\nbreak'"],
    ['cr\rlf', "'cr\\rlf'"],
    ['tab\there', "'tab\\there'"],
    ['a | take 1 // x', "'a | take 1 // x'"],
    ['日本.example', "'日本.example'"],
    ['', "''"],
  ])('encodes %j as one literal', (value, literal) => {
    expect(kqlString(value)).toBe(literal);
  });

  it('never leaves an unescaped quote or a raw line break', () => {
    const hostile = "x' or 1==1 | project secret //\n\r'\\";
    const literal = kqlString(hostile).slice(1, -1);
    expect(literal).not.toMatch(/(^|[^\\])(\\\\)*'/);
    expect(literal).not.toMatch(/[\r\n]/);
  });

  it('lists values and formats integers itself', () => {
    expect(kqlList(['a', "b'"])).toBe("('a', 'b\\'')");
    expect(kqlInt(25)).toBe('25');
    expect(() => kqlInt(1.5)).toThrow(RangeError);
    expect(() => kqlInt(-1)).toThrow(RangeError);
  });
});

describe('hunting queries', () => {
  it('builds one union over all observables of a table, each with its own limit', () => {
    expect(
      eventsQuery('DeviceFileEvents', [
        { key: 'o0', column: 'SHA1', value: 'aa', limit: 100 },
        { key: 'o1', column: 'MD5', value: 'bb', limit: 7 },
      ]),
    ).toBe(
      "union\n(DeviceFileEvents | where SHA1 == 'aa' | top 100 by Timestamp desc | extend RelayKey = 'o0'),\n" +
        "(DeviceFileEvents | where MD5 == 'bb' | top 7 by Timestamp desc | extend RelayKey = 'o1')",
    );
  });

  it('matches domains by term and IPs exactly', () => {
    const q = eventsQuery('DeviceNetworkEvents', [
      { key: 'o0', column: 'RemoteUrl', value: 'evil.example', limit: 1 },
      { key: 'o1', column: 'RemoteIP', value: '10.0.0.1', limit: 1 },
    ]);
    expect(q).toContain("where RemoteUrl has 'evil.example'");
    expect(q).toContain("where RemoteIP == '10.0.0.1'");
  });

  it('refuses row keys that are not the relay’s own', () => {
    expect(() => eventsQuery('DeviceFileEvents', [{ key: "o0' | x", column: 'SHA1', value: 'a', limit: 1 }])).toThrow(RangeError);
    expect(() => eventsQuery('DeviceFileEvents', [])).toThrow(RangeError);
  });

  it('asks for the latest network info of all devices at once', () => {
    expect(networkInfoQuery(['d1', 'd2'])).toBe(
      "DeviceNetworkInfo\n| where DeviceId in ('d1', 'd2')\n| summarize arg_max(Timestamp, *) by DeviceId, MacAddress",
    );
  });
});
