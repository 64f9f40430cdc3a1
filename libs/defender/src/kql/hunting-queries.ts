import { canonicalIp } from '@app/common';
import { isIPv4 } from 'node:net';
import { DeviceFileEvent, DeviceNetworkEvent, DeviceNetworkInfoRow } from '../models';
import { kqlInt, kqlList, kqlString } from './kql';

export type EventTable = 'DeviceFileEvents' | 'DeviceNetworkEvents';
export type EventColumn = 'SHA1' | 'SHA256' | 'MD5' | 'RemoteIP' | 'RemoteUrl';

/** One observable's slice of an events query: which column, which value, how many rows. */
export interface EventFilter {
  /** Relay-made tag (`o0`, `o1`, …) put on the rows that answer this observable. */
  key: string;
  column: EventColumn;
  value: string;
  limit: number;
  /** `url`: the value is a URL, matched whole (any scheme, exact host and path) rather than as a term. */
  match?: 'url';
}

/** Defender returns at most 100,000 rows; the relay never asks for more than this. */
export const MAX_EVENT_ROWS = 10_000;
/**
 * Rows shared by all observables of a query. Never fewer than this, so one busy observable does
 * not crowd a quiet one out of its share unless it has over a thousand events in the window.
 */
export const MIN_EVENT_ROWS = 1_000;

/**
 * All observables of a request against one event table, as one plain query
 * (docs/hunting-queries.md §1): exact columns with `in`, domains with `has` (term match, so
 * `https://evil.example/x` and `cdn.evil.example` count), newest first, enough rows for every
 * observable's limit (between MIN_EVENT_ROWS and MAX_EVENT_ROWS). Rows are then given to their
 * observables by `assignEvents`.
 */
export function eventsQuery(table: EventTable, filters: readonly EventFilter[]): string {
  if (filters.length === 0) throw new RangeError('an events query needs at least one filter');
  const exact = new Map<EventColumn, string[]>();
  const terms: string[] = [];
  for (const f of filters) {
    if (f.match === 'url') terms.push(`${f.column} in~ ${kqlList(urlForms(f.value))}`);
    else if (f.column === 'RemoteUrl') terms.push(`RemoteUrl has ${kqlString(f.value)}`);
    else exact.set(f.column, [...(exact.get(f.column) ?? []), f.value]);
  }
  const predicates = [...[...exact].map(([column, values]) => `${column} in ${kqlList(values)}`), ...terms];
  const wanted = filters.reduce((sum, f) => sum + f.limit, 0);
  const rows = Math.min(MAX_EVENT_ROWS, Math.max(MIN_EVENT_ROWS, wanted));
  return `${table}\n| where ${predicates.join(' or ')}\n| top ${kqlInt(rows)} by Timestamp desc`;
}

type EventRow = DeviceFileEvent | DeviceNetworkEvent;

/**
 * Gives each observable its rows (newest first, at most its limit), tagged with its key. A row
 * that answers two observables (a domain and its subdomain) is given to both.
 */
export function assignEvents<T extends EventRow>(rows: readonly T[], filters: readonly EventFilter[]): T[] {
  const ordered = [...rows].sort((a, b) => Date.parse(String(b.Timestamp ?? '')) - Date.parse(String(a.Timestamp ?? '')));
  return filters.flatMap((f) =>
    ordered
      .filter((row) => matches(row, f))
      .slice(0, f.limit)
      .map((row) => ({ ...row, RelayKey: f.key })),
  );
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

/** Rows read for the devices of one request; their newest rows carry each adapter's latest state. */
export const NETWORK_INFO_ROWS = 1_000;

/**
 * The newest network-info rows of every device a request touches (docs/hunting-queries.md §2),
 * with the same operators as the events queries; `latestPerAdapter` keeps each adapter's latest.
 */
export function networkInfoQuery(deviceIds: readonly string[]): string {
  if (deviceIds.length === 0) throw new RangeError('a network info query needs at least one device');
  return `DeviceNetworkInfo\n| where DeviceId in ${kqlList(deviceIds)}\n| top ${kqlInt(NETWORK_INFO_ROWS)} by Timestamp desc`;
}

/** The latest row of each (device, adapter MAC): what `summarize arg_max(Timestamp, *) by DeviceId, MacAddress` gives. */
export function latestPerAdapter(rows: readonly DeviceNetworkInfoRow[]): DeviceNetworkInfoRow[] {
  const latest = new Map<string, DeviceNetworkInfoRow>();
  for (const row of rows) {
    const key = `${String(row.DeviceId ?? '').toLowerCase()}|${String(row.MacAddress ?? '').toUpperCase()}`;
    const seen = latest.get(key);
    if (!seen || Date.parse(String(row.Timestamp ?? '')) > Date.parse(String(seen.Timestamp ?? ''))) latest.set(key, row);
  }
  return [...latest.values()];
}
