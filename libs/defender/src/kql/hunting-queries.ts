import { canonicalIp } from '@app/common';
import { isIPv4 } from 'node:net';
import { DeviceFileEvent, DeviceNetworkEvent } from '../models';
import { kqlInt, kqlList, kqlString } from './kql';

export type EventTable = 'DeviceFileEvents' | 'DeviceNetworkEvents' | 'AlertEvidence';
export type EventColumn = 'SHA1' | 'SHA256' | 'MD5' | 'RemoteIP' | 'RemoteUrl';

/** The event table each matched column belongs to. */
export const EVENT_TABLE: Readonly<Record<EventColumn, EventTable>> = {
  SHA1: 'DeviceFileEvents',
  SHA256: 'DeviceFileEvents',
  MD5: 'DeviceFileEvents',
  RemoteIP: 'DeviceNetworkEvents',
  RemoteUrl: 'DeviceNetworkEvents',
};
const TABLE_ORDER: readonly EventTable[] = ['DeviceFileEvents', 'DeviceNetworkEvents', 'AlertEvidence'];

/** The `AlertEvidence` columns read: enough to give a row to its observable and name its alert. */
const EVIDENCE_COLUMNS = ['Timestamp', 'AlertId', 'SHA1', 'SHA256', 'RemoteIP', 'RemoteUrl'];

/**
 * The column every row of an events query carries to say which table it came from (a constant
 * the relay writes into the query, never a user value); `assignEvents` removes it.
 */
export const TABLE_COLUMN = 'RelayTable';

/** One observable's slice of an events query: which column, which value, how many rows. */
export interface EventFilter {
  /** Relay-made tag (`o0`, `o1`, …) put on the rows that answer this observable. */
  key: string;
  column: EventColumn;
  value: string;
  limit: number;
  /** `url`: the value is a URL, matched whole (any scheme, exact host and path) rather than as a term. */
  match?: 'url';
  /**
   * `AlertEvidence` to find the ids of the observable's alerts (the same columns exist there);
   * otherwise the event table of the column.
   */
  table?: 'AlertEvidence';
}

/** The table a filter reads. */
export function tableOf(f: EventFilter): EventTable {
  return f.table ?? EVENT_TABLE[f.column];
}

/** Defender returns at most 100,000 rows; the relay never asks for more than this per table. */
export const MAX_EVENT_ROWS = 10_000;
/**
 * Rows shared by all observables of a table. Never fewer than this, so one busy observable does
 * not crowd a quiet one out of its share unless it has over a thousand events in the window.
 */
export const MIN_EVENT_ROWS = 1_000;

/**
 * Every observable of one or several requests against both event tables, as one query
 * (docs/hunting-queries.md §1): per table, exact columns with `in`, domains with `has` (term
 * match, so `https://evil.example/x` and `cdn.evil.example` count), newest first, enough rows for
 * every observable's limit (between MIN_EVENT_ROWS and MAX_EVENT_ROWS), each row tagged with its
 * table; two tables are joined with `union`. Rows are then given to their observables by
 * `assignEvents`.
 */
export function eventsQuery(filters: readonly EventFilter[]): string {
  if (filters.length === 0) throw new RangeError('an events query needs at least one filter');
  const legs = TABLE_ORDER.map((table) => ({ table, filters: filters.filter((f) => tableOf(f) === table) }))
    .filter((leg) => leg.filters.length > 0)
    .map((leg) => tableQuery(leg.table, leg.filters));
  return legs.length === 1 ? legs[0] : `union\n${legs.map((leg) => `(${leg})`).join(',\n')}`;
}

function tableQuery(table: EventTable, filters: readonly EventFilter[]): string {
  const exact = new Map<EventColumn, Set<string>>();
  const terms = new Set<string>();
  const urls = new Set<string>();
  for (const f of filters) {
    if (f.match === 'url') urls.add(`${f.column} in~ ${kqlList(urlForms(f.value))}`);
    else if (f.column === 'RemoteUrl') terms.add(f.value);
    else exact.set(f.column, (exact.get(f.column) ?? new Set()).add(f.value));
  }
  const predicates = [
    ...[...exact].map(([column, values]) => `${column} in ${kqlList([...values])}`),
    ...[...terms].map((term) => `RemoteUrl has ${kqlString(term)}`),
    ...urls,
  ];
  const wanted = filters.reduce((sum, f) => sum + f.limit, 0);
  const rows = Math.min(MAX_EVENT_ROWS, Math.max(MIN_EVENT_ROWS, wanted));
  const project = table === 'AlertEvidence' ? `\n| project ${EVIDENCE_COLUMNS.join(', ')}` : '';
  return `${table}\n| where ${predicates.join(' or ')}\n| top ${kqlInt(rows)} by Timestamp desc${project}\n| extend ${TABLE_COLUMN} = ${kqlString(table)}`;
}

type EventRow = DeviceFileEvent | DeviceNetworkEvent;

/**
 * Gives each observable its rows of its own table (newest first, at most its limit), tagged with
 * its key and without the table tag. A row that answers two observables (a domain and its
 * subdomain) is given to both; rows of other requests' observables (a shared query) to none.
 */
export function assignEvents(rows: readonly EventRow[], filters: readonly EventFilter[]): EventRow[] {
  const ordered = [...rows].sort((a, b) => Date.parse(String(b.Timestamp ?? '')) - Date.parse(String(a.Timestamp ?? '')));
  return filters.flatMap((f) =>
    ordered
      .filter((row) => fromTable(row, tableOf(f)) && matches(row, f))
      .slice(0, f.limit)
      .map((row) => ({ ...withoutTag(row), RelayKey: f.key })),
  );
}

function fromTable(row: EventRow, table: EventTable): boolean {
  const tag = (row as Record<string, unknown>)[TABLE_COLUMN];
  return tag === undefined || tag === table;
}

function withoutTag(row: EventRow): EventRow {
  const { [TABLE_COLUMN]: _tag, ...rest } = row as Record<string, unknown>;
  return rest as EventRow;
}

function matches(row: EventRow, f: EventFilter): boolean {
  const cell = (row as Record<string, unknown>)[f.column];
  if (typeof cell !== 'string' || cell === '') return false;
  const value = cell.toLowerCase();
  if (f.match === 'url') return urlForms(f.value).some((form) => form.toLowerCase() === value);
  if (f.column === 'RemoteUrl') return hasTerm(value, f.value.toLowerCase());
  if (f.column === 'RemoteIP') return sameIp(value, f.value.toLowerCase());
  return value === f.value.toLowerCase();
}

/**
 * The spellings of one URL in `RemoteUrl`: without a scheme (as Defender often logs it), with
 * http:// and with https://, and with or without the slash of an empty path. Nothing wider: a
 * longer path, another host or a query string is another URL.
 */
export function urlForms(url: string): string[] {
  const rest = url.replace(/^https?:\/\//i, '');
  const bases = [rest];
  if (/^[^/?#]+\/$/.test(rest)) bases.push(rest.slice(0, -1));
  else if (/^[^/?#]+$/.test(rest)) bases.push(`${rest}/`);
  return bases.flatMap((base) => [base, `http://${base}`, `https://${base}`]);
}

const ALNUM = /[\p{L}\p{N}]/u;

/** KQL `has`: `term` appears in `text` bounded by non-alphanumeric characters (or the ends). */
export function hasTerm(text: string, term: string): boolean {
  for (let at = text.indexOf(term); at !== -1; at = text.indexOf(term, at + 1)) {
    const before = text[at - 1];
    const after = text[at + term.length];
    if ((before === undefined || !ALNUM.test(before)) && (after === undefined || !ALNUM.test(after))) return true;
  }
  return false;
}

/** Same address whatever its spelling; Defender may log an IPv4 peer in IPv4-mapped form. */
function sameIp(cell: string, ip: string): boolean {
  const c = canonicalIp(cell);
  return c === canonicalIp(ip) || (isIPv4(ip) && c === `::ffff:${ip}`);
}
