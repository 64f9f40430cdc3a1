import { AnyHuntingColumns, DeviceFileEvent, DeviceNetworkEvent, HuntingEvent } from '../models';
import { assignEvents, eventsQuery, hasTerm, MAX_EVENT_ROWS, MIN_EVENT_ROWS, TABLE_COLUMN, urlForms } from './hunting-queries';
import { kqlInt, kqlList, kqlString } from './kql';

describe('kqlString', () => {
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

const FILES = `| extend ${TABLE_COLUMN} = 'DeviceFileEvents'`;
const NETWORK = `| extend ${TABLE_COLUMN} = 'DeviceNetworkEvents'`;

describe('hunting queries', () => {
  it('asks one table for every observable at once, newest first, enough rows for every limit, rows tagged by table', () => {
    expect(
      eventsQuery([
        { key: 'o0', column: 'SHA1', value: 'aa', limit: 100 },
        { key: 'o1', column: 'MD5', value: 'bb', limit: 7 },
        { key: 'o2', column: 'SHA1', value: "c'c", limit: 5 },
        { key: 'o3', column: 'SHA1', value: 'aa', limit: 5 },
      ]),
    ).toBe(`DeviceFileEvents\n| where SHA1 in ('aa', 'c\\'c') or MD5 in ('bb')\n| top ${MIN_EVENT_ROWS} by Timestamp desc\n${FILES}`);
  });

  it('asks both tables in one union, each with its own rows', () => {
    expect(
      eventsQuery([
        { key: 'o0', column: 'RemoteIP', value: '10.0.0.1', limit: 100 },
        { key: 'o1', column: 'SHA256', value: 'bb', limit: 100 },
      ]),
    ).toBe(
      'union\n' +
        `(DeviceFileEvents\n| where SHA256 in ('bb')\n| top ${MIN_EVENT_ROWS} by Timestamp desc\n${FILES}),\n` +
        `(DeviceNetworkEvents\n| where RemoteIP in ('10.0.0.1')\n| top ${MIN_EVENT_ROWS} by Timestamp desc\n${NETWORK})`,
    );
  });

  it('matches domains by term and IPs exactly, and caps the rows', () => {
    const q = eventsQuery([
      { key: 'o0', column: 'RemoteUrl', value: 'evil.example', limit: 1000 },
      { key: 'o1', column: 'RemoteIP', value: '10.0.0.1', limit: 1000 },
      { key: 'o2', column: 'RemoteUrl', value: 'x.example', limit: 1000 },
    ]);
    expect(q).toBe(`DeviceNetworkEvents\n| where RemoteIP in ('10.0.0.1') or RemoteUrl has 'evil.example' or RemoteUrl has 'x.example'\n| top 3000 by Timestamp desc\n${NETWORK}`);
    const many = Array.from({ length: 20 }, (_, i) => ({ key: `o${i}`, column: 'SHA1' as const, value: `${i}`, limit: 1000 }));
    expect(eventsQuery(many)).toContain(`| top ${MAX_EVENT_ROWS} by Timestamp desc`);
    expect(() => eventsQuery([])).toThrow(RangeError);
  });

  it('gives each observable its own rows, newest first, within its limit', () => {
    const rows: DeviceFileEvent[] = [
      { Timestamp: '2026-01-01T00:00:00Z', SHA1: 'AA', ActionType: 'old' },
      { Timestamp: '2026-01-03T00:00:00Z', SHA1: 'aa', ActionType: 'new' },
      { Timestamp: '2026-01-02T00:00:00Z', MD5: 'bb', SHA1: 'zz', ActionType: 'md5' },
    ];
    const assigned = assignEvents(rows, [
      { key: 'o0', column: 'SHA1', value: 'aa', limit: 1 },
      { key: 'o1', column: 'MD5', value: 'bb', limit: 5 },
      { key: 'o2', column: 'SHA1', value: 'none', limit: 5 },
    ]);
    expect(assigned.map((r) => [r.RelayKey, r.ActionType])).toEqual([
      ['o0', 'new'],
      ['o1', 'md5'],
    ]);
  });

  it('adds AlertEvidence as a third leg of the union, reading only the columns that find alert ids', () => {
    const q = eventsQuery([
      { key: 'o0', column: 'SHA1', value: 'aa', limit: 100 },
      { key: 'a1', column: 'SHA256', value: 'bb', limit: 100, table: 'AlertEvidence' },
      { key: 'a2', column: 'RemoteUrl', value: 'evil.example', limit: 100, table: 'AlertEvidence' },
    ]);
    expect(q).toBe(
      'union\n' +
        `(DeviceFileEvents\n| where SHA1 in ('aa')\n| top ${MIN_EVENT_ROWS} by Timestamp desc\n${FILES}),\n` +
        `(AlertEvidence\n| where SHA256 in ('bb') or RemoteUrl has 'evil.example'\n| top ${MIN_EVENT_ROWS} by Timestamp desc\n` +
        `| project Timestamp, AlertId, SHA1, SHA256, RemoteIP, RemoteUrl\n| extend ${TABLE_COLUMN} = 'AlertEvidence')`,
    );
  });

  it('gives evidence rows only to evidence filters, and event rows only to event filters', () => {
    const rows = [
      { Timestamp: '2026-01-02T00:00:00Z', AlertId: 'da1', SHA1: 'aa', [TABLE_COLUMN]: 'AlertEvidence' },
      { Timestamp: '2026-01-01T00:00:00Z', SHA1: 'aa', [TABLE_COLUMN]: 'DeviceFileEvents' },
    ] as unknown as HuntingEvent[];
    const assigned = assignEvents(rows, [
      { key: 'o0', column: 'SHA1', value: 'aa', limit: 5 },
      { key: 'a0', column: 'SHA1', value: 'aa', limit: 5, table: 'AlertEvidence' },
    ]) as Array<AnyHuntingColumns & { AlertId?: string }>;
    expect(assigned.map((r) => [r.RelayKey, r.AlertId])).toEqual([
      ['o0', undefined],
      ['a0', 'da1'],
    ]);
  });

  it('gives a row only to observables of its own table, without the table tag', () => {
    // A network row whose initiating file has the observed hash is not a file event of that hash.
    const rows = [
      { Timestamp: '2026-01-01T00:00:00Z', SHA1: '', RemoteIP: '10.0.0.1', [TABLE_COLUMN]: 'DeviceNetworkEvents' },
      { Timestamp: '2026-01-01T00:00:00Z', SHA1: 'aa', RemoteIP: '', [TABLE_COLUMN]: 'DeviceFileEvents' },
      { Timestamp: '2026-01-01T00:00:00Z', SHA1: 'aa', RemoteIP: '10.0.0.1', [TABLE_COLUMN]: 'DeviceNetworkEvents' },
    ] as unknown as HuntingEvent[];
    const assigned = assignEvents(rows, [
      { key: 'o0', column: 'SHA1', value: 'aa', limit: 5 },
      { key: 'o1', column: 'RemoteIP', value: '10.0.0.1', limit: 5 },
    ]) as AnyHuntingColumns[];
    expect(assigned.map((r) => [r.RelayKey, r.RemoteIP])).toEqual([
      ['o0', ''],
      ['o1', '10.0.0.1'],
      ['o1', '10.0.0.1'],
    ]);
    expect(assigned.every((r) => !(TABLE_COLUMN in r))).toBe(true);
  });

  it('gives a row to every observable it answers: a domain and its subdomain, an IPv4 in mapped form, an IPv6 however spelt', () => {
    const rows: DeviceNetworkEvent[] = [
      { Timestamp: '2026-01-01T00:00:00Z', RemoteUrl: 'https://cdn.Evil.example/x', RemoteIP: '::ffff:10.0.0.1' },
      { Timestamp: '2026-01-01T00:00:00Z', RemoteUrl: 'notevil.example', RemoteIP: '10.0.0.2' },
      { Timestamp: '2026-01-01T00:00:00Z', RemoteUrl: '', RemoteIP: '2001:0DB8:0:0::1' },
    ];
    const assigned = assignEvents(rows, [
      { key: 'o0', column: 'RemoteUrl', value: 'evil.example', limit: 5 },
      { key: 'o1', column: 'RemoteUrl', value: 'cdn.evil.example', limit: 5 },
      { key: 'o2', column: 'RemoteIP', value: '10.0.0.1', limit: 5 },
      { key: 'o3', column: 'RemoteIP', value: '2001:db8::1', limit: 5 },
    ]);
    expect(assigned.map((r) => r.RelayKey)).toEqual(['o0', 'o1', 'o2', 'o3']);
  });

  it('matches a URL whole: any scheme, exact host and path, in the same query as the other network observables', () => {
    const url = { key: 'o1', column: 'RemoteUrl' as const, value: 'https://evil.example/a?b=1', limit: 5, match: 'url' as const };
    expect(eventsQuery([{ key: 'o0', column: 'RemoteIP', value: '10.0.0.1', limit: 5 }, url])).toBe(
      "DeviceNetworkEvents\n| where RemoteIP in ('10.0.0.1') or RemoteUrl in~ ('evil.example/a?b=1', 'http://evil.example/a?b=1', 'https://evil.example/a?b=1')\n| top 1000 by Timestamp desc\n| extend RelayTable = 'DeviceNetworkEvents'",
    );
    const rows: DeviceNetworkEvent[] = ['HTTP://Evil.example/a?b=1', 'evil.example/a?b=1', 'https://evil.example/a?b=12', 'https://evil.example/a', 'https://cdn.evil.example/a?b=1'].map(
      (RemoteUrl) => ({ Timestamp: '2026-01-01T00:00:00Z', RemoteUrl }),
    );
    expect(assignEvents(rows, [url]).map((r) => (r as DeviceNetworkEvent).RemoteUrl)).toEqual(['HTTP://Evil.example/a?b=1', 'evil.example/a?b=1']);
  });

  it('reads a URL with an empty path with or without its slash, and quotes every spelling', () => {
    expect(urlForms('http://evil.example/')).toEqual(['evil.example/', 'http://evil.example/', 'https://evil.example/', 'evil.example', 'http://evil.example', 'https://evil.example']);
    expect(eventsQuery([{ key: 'o0', column: 'RemoteUrl', value: "http://e.example/'x", limit: 1, match: 'url' }])).toContain("'e.example/\\'x'");
  });

  it('reads `has` as a term match', () => {
    expect(hasTerm('sub.evil.example', 'evil.example')).toBe(true);
    expect(hasTerm('https://evil.example:443/a', 'evil.example')).toBe(true);
    expect(hasTerm('notevil.example', 'evil.example')).toBe(false);
    expect(hasTerm('evil.examples', 'evil.example')).toBe(false);
  });
});
