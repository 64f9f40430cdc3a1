import { AnyHuntingColumns, DeviceFileEvent, DeviceNetworkEvent, HuntingEvent } from '../models';
import { assignEvents, ColumnMatch, EventFilter, EventTable, eventsQuery, macForms, hasTerm, MAX_EVENT_ROWS, MIN_EVENT_ROWS, TABLE_COLUMN, urlForms } from './hunting-queries';
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


const TABLE_OF: Record<string, EventTable> = { SHA1: 'DeviceFileEvents', SHA256: 'DeviceFileEvents', MD5: 'DeviceFileEvents', RemoteIP: 'DeviceNetworkEvents', RemoteUrl: 'DeviceNetworkEvents' };
const MATCH_OF: Record<string, ColumnMatch> = { RemoteIP: 'ip', RemoteUrl: 'term' };

/** A one-column filter, its table and comparison following from the column unless given. */
function ef(key: string, column: string, value: string, limit: number, opts: { match?: ColumnMatch; table?: EventTable } = {}): EventFilter {
  return { key, table: opts.table ?? TABLE_OF[column], terms: [{ column, match: opts.match ?? MATCH_OF[column] ?? 'exact', value }], limit };
}

/** Assigned rows in key order, each tagged with its key. */
function flat(byKey: Map<string, HuntingEvent[]>): Array<AnyHuntingColumns & { RelayKey: string; AlertId?: string }> {
  return [...byKey].flatMap(([RelayKey, rows]) => rows.map((row) => ({ ...(row as AnyHuntingColumns), RelayKey })));
}

const FILES = `| extend ${TABLE_COLUMN} = 'DeviceFileEvents'`;
const NETWORK = `| extend ${TABLE_COLUMN} = 'DeviceNetworkEvents'`;

describe('hunting queries', () => {
  it('asks one table for every observable at once, newest first, enough rows for every limit, rows tagged by table', () => {
    expect(
      eventsQuery([
        ef('o0', 'SHA1', 'aa', 100),
        ef('o1', 'MD5', 'bb', 7),
        ef('o2', 'SHA1', "c'c", 5),
        ef('o3', 'SHA1', 'aa', 5),
      ]),
    ).toBe(`DeviceFileEvents\n| where SHA1 in ('aa', 'c\\'c') or MD5 in ('bb')\n| top ${MIN_EVENT_ROWS} by Timestamp desc\n${FILES}`);
  });

  it('asks both tables in one union, each with its own rows', () => {
    expect(
      eventsQuery([
        ef('o0', 'RemoteIP', '10.0.0.1', 100),
        ef('o1', 'SHA256', 'bb', 100),
      ]),
    ).toBe(
      'union\n' +
        `(DeviceFileEvents\n| where SHA256 in ('bb')\n| top ${MIN_EVENT_ROWS} by Timestamp desc\n${FILES}),\n` +
        `(DeviceNetworkEvents\n| where RemoteIP in ('10.0.0.1')\n| top ${MIN_EVENT_ROWS} by Timestamp desc\n${NETWORK})`,
    );
  });

  it('matches domains by term and IPs exactly, and caps the rows', () => {
    const q = eventsQuery([
      ef('o0', 'RemoteUrl', 'evil.example', 1000),
      ef('o1', 'RemoteIP', '10.0.0.1', 1000),
      ef('o2', 'RemoteUrl', 'x.example', 1000),
    ]);
    expect(q).toBe(`DeviceNetworkEvents\n| where RemoteIP in ('10.0.0.1') or RemoteUrl has 'evil.example' or RemoteUrl has 'x.example'\n| top 3000 by Timestamp desc\n${NETWORK}`);
    const many = Array.from({ length: 20 }, (_, i) => ef(`o${i}`, 'SHA1', `${i}`, 1000));
    expect(eventsQuery(many)).toContain(`| top ${MAX_EVENT_ROWS} by Timestamp desc`);
    expect(() => eventsQuery([])).toThrow(RangeError);
  });

  it('gives each observable its own rows, newest first, within its limit', () => {
    const rows: DeviceFileEvent[] = [
      { Timestamp: '2026-01-01T00:00:00Z', SHA1: 'AA', ActionType: 'old' },
      { Timestamp: '2026-01-03T00:00:00Z', SHA1: 'aa', ActionType: 'new' },
      { Timestamp: '2026-01-02T00:00:00Z', MD5: 'bb', SHA1: 'zz', ActionType: 'md5' },
    ];
    const assigned = flat(assignEvents(rows, [
      ef('o0', 'SHA1', 'aa', 1),
      ef('o1', 'MD5', 'bb', 5),
      ef('o2', 'SHA1', 'none', 5),
    ]));
    expect(assigned.map((r) => [r.RelayKey, r.ActionType])).toEqual([
      ['o0', 'new'],
      ['o1', 'md5'],
    ]);
  });

  it('adds AlertEvidence as a third leg of the union, reading only the columns that find alert ids', () => {
    const q = eventsQuery([
      ef('o0', 'SHA1', 'aa', 100),
      ef('a1', 'SHA256', 'bb', 100, { table: 'AlertEvidence' }),
      ef('a2', 'RemoteUrl', 'evil.example', 100, { table: 'AlertEvidence' }),
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
    const assigned = flat(assignEvents(rows, [
      ef('o0', 'SHA1', 'aa', 5),
      ef('a0', 'SHA1', 'aa', 5, { table: 'AlertEvidence' }),
    ]));
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
    const assigned = flat(assignEvents(rows, [
      ef('o0', 'SHA1', 'aa', 5),
      ef('o1', 'RemoteIP', '10.0.0.1', 5),
    ]));
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
    const assigned = flat(assignEvents(rows, [
      ef('o0', 'RemoteUrl', 'evil.example', 5),
      ef('o1', 'RemoteUrl', 'cdn.evil.example', 5),
      ef('o2', 'RemoteIP', '10.0.0.1', 5),
      ef('o3', 'RemoteIP', '2001:db8::1', 5),
    ]));
    expect(assigned.map((r) => r.RelayKey)).toEqual(['o0', 'o1', 'o2', 'o3']);
  });

  it('matches a URL whole: any scheme, exact host and path, in the same query as the other network observables', () => {
    const url = ef('o1', 'RemoteUrl', 'https://evil.example/a?b=1', 5, { match: 'url' });
    expect(eventsQuery([ef('o0', 'RemoteIP', '10.0.0.1', 5), url])).toBe(
      "DeviceNetworkEvents\n| where RemoteIP in ('10.0.0.1') or RemoteUrl in~ ('evil.example/a?b=1', 'http://evil.example/a?b=1', 'https://evil.example/a?b=1')\n| top 1000 by Timestamp desc\n| extend RelayTable = 'DeviceNetworkEvents'",
    );
    const rows: DeviceNetworkEvent[] = ['HTTP://Evil.example/a?b=1', 'evil.example/a?b=1', 'https://evil.example/a?b=12', 'https://evil.example/a', 'https://cdn.evil.example/a?b=1'].map(
      (RemoteUrl) => ({ Timestamp: '2026-01-01T00:00:00Z', RemoteUrl }),
    );
    expect(flat(assignEvents(rows, [url])).map((r) => (r as DeviceNetworkEvent).RemoteUrl)).toEqual(['HTTP://Evil.example/a?b=1', 'evil.example/a?b=1']);
  });

  it('reads a URL with an empty path with or without its slash, and quotes every spelling', () => {
    expect(urlForms('http://evil.example/')).toEqual(['evil.example/', 'http://evil.example/', 'https://evil.example/', 'evil.example', 'http://evil.example', 'https://evil.example']);
    expect(eventsQuery([ef('o0', 'RemoteUrl', "http://e.example/'x", 1, { match: 'url' })])).toContain("'e.example/\\'x'");
  });

  it('matches names, paths, keys and UPNs case-insensitively and whole, on any of a filter\'s columns, a key\'s tables merged newest first', () => {
    const name = (table: EventTable): EventFilter => ({
      key: 'o0',
      table,
      terms: [
        { column: 'FileName', match: 'caseless', value: 'Evil.exe' },
        { column: 'InitiatingProcessFileName', match: 'caseless', value: 'Evil.exe' },
      ],
      limit: 2,
    });
    expect(eventsQuery([name('DeviceProcessEvents')])).toBe(
      "DeviceProcessEvents\n| where FileName in~ ('Evil.exe') or InitiatingProcessFileName in~ ('Evil.exe')\n| top 1000 by Timestamp desc\n| extend RelayTable = 'DeviceProcessEvents'",
    );
    const rows = [
      { Timestamp: '2026-01-01T00:00:00Z', FileName: 'EVIL.EXE', [TABLE_COLUMN]: 'DeviceProcessEvents' },
      { Timestamp: '2026-01-03T00:00:00Z', FileName: 'x.txt', InitiatingProcessFileName: 'evil.exe', [TABLE_COLUMN]: 'DeviceFileEvents' },
      { Timestamp: '2026-01-04T00:00:00Z', FileName: 'evil.exe.bak', [TABLE_COLUMN]: 'DeviceProcessEvents' },
      { Timestamp: '2026-01-05T00:00:00Z', FileName: 'notevil.exe', [TABLE_COLUMN]: 'DeviceProcessEvents' },
    ] as unknown as HuntingEvent[];
    expect(flat(assignEvents(rows, [name('DeviceProcessEvents'), name('DeviceFileEvents')])).map((r) => r.Timestamp)).toEqual([
      '2026-01-03T00:00:00Z',
      '2026-01-01T00:00:00Z',
    ]);
  });

  it('asks for a MAC in every usual spelling and matches it whatever its separators and case', () => {
    expect(macForms('00-15-5d-0a-1b-2c')).toEqual(['00155D0A1B2C', '00-15-5D-0A-1B-2C', '00:15:5D:0A:1B:2C', '0015.5D0A.1B2C']);
    const mac: EventFilter = { key: 'd0', table: 'DeviceNetworkInfo', terms: [{ column: 'MacAddress', match: 'mac', value: '00:15:5D:0A:1B:2C' }], limit: 5 };
    expect(eventsQuery([mac])).toBe(
      "DeviceNetworkInfo\n| where MacAddress in~ ('00155D0A1B2C', '00-15-5D-0A-1B-2C', '00:15:5D:0A:1B:2C', '0015.5D0A.1B2C')\n| top 1000 by Timestamp desc\n" +
        "| project Timestamp, DeviceId, DeviceName, MacAddress\n| extend RelayTable = 'DeviceNetworkInfo'",
    );
    const rows = ['00155d0a1b2c', '00-15-5D-0A-1B-2C', '00155D0A1B2D', '00155D0A1B2C00'].map((MacAddress) => ({ Timestamp: '2026-01-01T00:00:00Z', MacAddress })) as unknown as HuntingEvent[];
    expect(flat(assignEvents(rows, [mac])).map((r) => (r as { MacAddress?: string }).MacAddress)).toEqual(['00155d0a1b2c', '00-15-5D-0A-1B-2C']);
    // What is not twelve hex digits is asked for as given, still one quoted literal.
    expect(macForms("00155D' or 1")).toEqual(["00155D' or 1"]);
  });

  it('keeps a domain\'s evidence only where the URL\'s host is the domain or a subdomain, and projects the extra columns a filter reads', () => {
    const host: EventFilter = { key: 'a0', table: 'AlertEvidence', terms: [{ column: 'RemoteUrl', match: 'host', value: 'evil.example' }], limit: 5 };
    const key: EventFilter = { key: 'a1', table: 'AlertEvidence', terms: [{ column: 'RegistryKey', match: 'caseless', value: 'HKLM\\Run' }], limit: 5 };
    expect(eventsQuery([host, key])).toContain('| project Timestamp, AlertId, SHA1, SHA256, RemoteIP, RemoteUrl, RegistryKey\n');
    const rows = ['evil.example', 'https://cdn.Evil.Example/x', 'https://evil.example.attacker.net/', 'https://other.net/evil.example'].map((RemoteUrl, i) => ({
      Timestamp: `2026-01-0${i + 1}T00:00:00Z`,
      AlertId: `da${i}`,
      RemoteUrl,
    })) as unknown as HuntingEvent[];
    expect(flat(assignEvents(rows, [host])).map((r) => r.AlertId)).toEqual(['da1', 'da0']);
  });

  it('reads `has` as a term match', () => {
    expect(hasTerm('sub.evil.example', 'evil.example')).toBe(true);
    expect(hasTerm('https://evil.example:443/a', 'evil.example')).toBe(true);
    expect(hasTerm('notevil.example', 'evil.example')).toBe(false);
    expect(hasTerm('evil.examples', 'evil.example')).toBe(false);
  });
});
