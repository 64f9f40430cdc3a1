import { ColumnDef } from '../hunting/hunting-tables.schema';
import { HuntingRow } from '../model/entities';
import { KqlSemanticError } from './kql.error';
import { evaluateKql, hasTerm, KqlTable } from './kql.evaluator';
import { parseKql } from './kql.parser';

const EVENTS: KqlTable = {
  columns: [
    { name: 'Timestamp', type: 'datetime' },
    { name: 'DeviceId', type: 'string' },
    { name: 'RemoteUrl', type: 'string' },
    { name: 'RemotePort', type: 'int' },
  ],
  rows: [
    { Timestamp: '2026-11-20T10:00:00.0000001Z', DeviceId: 'd1', RemoteUrl: 'cdn.Evil.example', RemotePort: 443 },
    { Timestamp: '2026-11-21T10:00:00.0000000Z', DeviceId: 'd2', RemoteUrl: 'notevil.example', RemotePort: 80 },
    { Timestamp: '2026-11-22T10:00:00.0000000Z', DeviceId: 'd1', RemoteUrl: 'evil.example/path', RemotePort: null },
    { Timestamp: '2026-11-19T10:00:00.0000000Z', DeviceId: 'D3', RemoteUrl: '', RemotePort: 8080 },
  ],
};

const INFO: KqlTable = {
  columns: [
    { name: 'Timestamp', type: 'datetime' },
    { name: 'DeviceId', type: 'string' },
    { name: 'MacAddress', type: 'string' },
    { name: 'IPAddresses', type: 'dynamic' },
  ],
  rows: [
    { Timestamp: '2026-11-01T00:00:00.0000000Z', DeviceId: 'd1', MacAddress: 'AA', IPAddresses: '[{"IPAddress":"10.0.0.1"}]' },
    { Timestamp: '2026-11-05T00:00:00.0000000Z', DeviceId: 'd1', MacAddress: 'AA', IPAddresses: '[{"IPAddress":"10.0.0.9"}]' },
    { Timestamp: '2026-11-03T00:00:00.0000000Z', DeviceId: 'd1', MacAddress: 'BB', IPAddresses: '[]' },
    { Timestamp: '2026-11-04T00:00:00.0000000Z', DeviceId: 'd2', MacAddress: 'CC', IPAddresses: '[]' },
  ],
};

const run = (query: string): KqlTable =>
  evaluateKql(parseKql(query), (name) => ({ Events: EVENTS, Info: INFO })[name]);
const ids = (t: KqlTable): unknown[] => t.rows.map((r: HuntingRow) => r.DeviceId);
const names = (cols: ColumnDef[]): string[] => cols.map((c) => c.name);

describe('evaluateKql', () => {
  it.each([
    ["RemoteUrl == 'cdn.Evil.example'", ['d1']],
    ["RemoteUrl == 'cdn.evil.example'", []],
    ["RemoteUrl =~ 'CDN.EVIL.EXAMPLE'", ['d1']],
    ["DeviceId != 'd1'", ['d2', 'D3']],
    ["RemoteUrl contains 'EVIL'", ['d1', 'd2', 'd1']],
    ["RemoteUrl startswith 'CDN.'", ['d1']],
    ["RemoteUrl endswith '/PATH'", ['d1']],
    ["DeviceId in ('d1', 'd3')", ['d1', 'd1']],
    ["DeviceId in~ ('d1', 'd3')", ['d1', 'd1', 'D3']],
  ])('where %s', (predicate, expected) => {
    expect(ids(run(`Events | where ${predicate}`))).toEqual(expected);
  });

  it('has matches whole terms case-insensitively (not notevil.example)', () => {
    const rows = run("Events | where RemoteUrl has 'evil.example'").rows;
    expect(rows.map((r) => r.RemoteUrl)).toEqual(['cdn.Evil.example', 'evil.example/path']);
    expect(hasTerm('update.badcdn-delivery.example', 'badcdn-delivery.example')).toBe(true);
    expect(hasTerm('xbadcdn-delivery.example', 'badcdn-delivery.example')).toBe(false);
    expect(hasTerm('10.0.0.12', '10.0.0.1')).toBe(false);
  });

  it('applies and before or', () => {
    // Left-to-right would give only the last d1 row.
    expect(ids(run("Events | where DeviceId == 'd2' or DeviceId == 'd1' and RemoteUrl has 'path'"))).toEqual(['d2', 'd1']);
  });

  it('top N by Timestamp desc returns the newest rows first; asc the oldest', () => {
    expect(run('Events | top 2 by Timestamp desc').rows.map((r) => r.Timestamp)).toEqual([
      '2026-11-22T10:00:00.0000000Z',
      '2026-11-21T10:00:00.0000000Z',
    ]);
    expect(ids(run('Events | top 1 by Timestamp asc'))).toEqual(['D3']);
  });

  it('top sorts nulls last when descending', () => {
    expect(run('Events | top 4 by RemotePort desc').rows.map((r) => r.RemotePort)).toEqual([8080, 443, 80, null]);
  });

  it('take and limit keep the first N rows', () => {
    expect(run('Events | take 2').rows).toHaveLength(2);
    expect(run('Events | limit 1').rows).toHaveLength(1);
  });

  it('extend adds a string column to every row', () => {
    const t = run("Events | take 2 | extend RelayKey = 'o7'");
    expect(t.columns.at(-1)).toEqual({ name: 'RelayKey', type: 'string' });
    expect(t.rows.map((r) => r.RelayKey)).toEqual(['o7', 'o7']);
  });

  it('summarize arg_max(Timestamp, *) keeps the latest row per group, keys first', () => {
    const t = run('Info | summarize arg_max(Timestamp, *) by DeviceId, MacAddress');
    expect(names(t.columns)).toEqual(['DeviceId', 'MacAddress', 'Timestamp', 'IPAddresses']);
    expect(t.rows).toEqual([
      { DeviceId: 'd1', MacAddress: 'AA', Timestamp: '2026-11-05T00:00:00.0000000Z', IPAddresses: '[{"IPAddress":"10.0.0.9"}]' },
      { DeviceId: 'd1', MacAddress: 'BB', Timestamp: '2026-11-03T00:00:00.0000000Z', IPAddresses: '[]' },
      { DeviceId: 'd2', MacAddress: 'CC', Timestamp: '2026-11-04T00:00:00.0000000Z', IPAddresses: '[]' },
    ]);
  });

  it('project keeps only the named columns, in order', () => {
    const t = run('Events | project RemoteUrl, DeviceId | take 1');
    expect(names(t.columns)).toEqual(['RemoteUrl', 'DeviceId']);
    expect(t.rows[0]).toEqual({ RemoteUrl: 'cdn.Evil.example', DeviceId: 'd1' });
  });

  it('union concatenates rows and unions columns (missing strings become "")', () => {
    const t = run("union (Events | take 1 | extend RelayKey = 'o0'), (Info | take 1 | project DeviceId, MacAddress)");
    expect(names(t.columns)).toEqual(['Timestamp', 'DeviceId', 'RemoteUrl', 'RemotePort', 'RelayKey', 'MacAddress']);
    expect(t.rows).toHaveLength(2);
    expect(t.rows[1]).toEqual({ Timestamp: null, DeviceId: 'd1', RemoteUrl: '', RemotePort: null, RelayKey: '', MacAddress: 'AA' });
  });

  it('never mutates the source rows', () => {
    const before = JSON.stringify(EVENTS.rows);
    run("Events | extend X = 'y' | summarize arg_max(Timestamp, *) by DeviceId");
    expect(JSON.stringify(EVENTS.rows)).toBe(before);
  });

  it.each([
    ['an unknown table', "Nope | take 1", "Failed to resolve table or column expression named 'Nope'"],
    ['an unknown column', "Events | where Nope == 'x'", "'where' operator: Failed to resolve scalar expression named 'Nope'"],
    ['a non-string column compared with a string', "Events | where RemotePort == '443'", 'Cannot compare values of types int and string'],
    ['an unknown project column', 'Events | project Nope', "'project' operator: Failed to resolve scalar expression named 'Nope'"],
  ])('reports %s like Kusto', (_name, query, message) => {
    expect(() => run(query)).toThrow(KqlSemanticError);
    expect(() => run(query)).toThrow(message);
  });
});
