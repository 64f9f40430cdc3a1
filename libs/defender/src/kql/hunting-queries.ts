import { canonicalIp } from '@app/common';
import { isIPv4 } from 'node:net';
import { HuntingEvent } from '../models';
import { kqlInt, kqlList, kqlString } from './kql';

export type EventTable =
  | 'DeviceFileEvents'
  | 'DeviceNetworkEvents'
  | 'DeviceProcessEvents'
  | 'DeviceRegistryEvents'
  | 'DeviceLogonEvents'
  | 'DeviceNetworkInfo'
  | 'AlertEvidence';
const TABLE_ORDER: readonly EventTable[] = [
  'DeviceFileEvents',
  'DeviceNetworkEvents',
  'DeviceProcessEvents',
  'DeviceRegistryEvents',
  'DeviceLogonEvents',
  'DeviceNetworkInfo',
  'AlertEvidence',
];

/** How a column is compared with a value, in the query and again on each row (docs/hunting-queries.md). */
export type ColumnMatch = 'exact' | 'ip' | 'term' | 'host' | 'url' | 'caseless' | 'mac';

export interface FilterTerm {
  column: string;
  match: ColumnMatch;
  value: string;
}

/** Only these columns of the row-heavy tables are read (what names an alert or a device). */
const PROJECTED: Partial<Record<EventTable, readonly string[]>> = {
  AlertEvidence: ['Timestamp', 'AlertId', 'SHA1', 'SHA256', 'RemoteIP', 'RemoteUrl'],
  DeviceNetworkInfo: ['Timestamp', 'DeviceId', 'DeviceName', 'MacAddress'],
};

/** Tags each row with its table (a relay constant, never a user value); `assignEvents` removes it. */
export const TABLE_COLUMN = 'RelayTable';

/** One observable's slice of an events query: one table, the terms any of which a row matches, how many rows. */
export interface EventFilter {
  key: string;
  table: EventTable;
  terms: readonly FilterTerm[];
  limit: number;
}

/** Defender returns at most 100,000 rows; the relay never asks for more than this per table. */
export const MAX_EVENT_ROWS = 10_000;
/** Floor of a table's shared rows, so one busy observable does not crowd a quiet one out. */
export const MIN_EVENT_ROWS = 1_000;

/** Every filter of one or several requests as one query (docs/hunting-queries.md). */
export function eventsQuery(filters: readonly EventFilter[]): string {
  if (filters.length === 0) throw new RangeError('an events query needs at least one filter');
  const legs = TABLE_ORDER.map((table) => ({ table, filters: filters.filter((f) => f.table === table) }))
    .filter((leg) => leg.filters.length > 0)
    .map((leg) => tableQuery(leg.table, leg.filters));
  return legs.length === 1 ? legs[0] : `union\n${legs.map((leg) => `(${leg})`).join(',\n')}`;
}

function tableQuery(table: EventTable, filters: readonly EventFilter[]): string {
  const exact = new Map<string, Set<string>>();
  const caseless = new Map<string, Set<string>>();
  const terms = new Set<string>();
  const urls = new Set<string>();
  const add = (groups: Map<string, Set<string>>, column: string, values: readonly string[]) =>
    groups.set(column, new Set([...(groups.get(column) ?? []), ...values]));
  for (const { column, match, value } of filters.flatMap((f) => f.terms)) {
    if (match === 'url') urls.add(`${column} in~ ${kqlList(urlForms(value))}`);
    else if (match === 'term' || match === 'host') terms.add(`${column} has ${kqlString(value)}`);
    else if (match === 'caseless') add(caseless, column, [value]);
    else if (match === 'mac') add(caseless, column, macForms(value));
    else add(exact, column, [value]);
  }
  const predicates = [
    ...[...exact].map(([column, values]) => `${column} in ${kqlList([...values])}`),
    ...terms,
    ...urls,
    ...[...caseless].map(([column, values]) => `${column} in~ ${kqlList([...values])}`),
  ];
  const wanted = filters.reduce((sum, f) => sum + f.limit, 0);
  const rows = Math.min(MAX_EVENT_ROWS, Math.max(MIN_EVENT_ROWS, wanted));
  const base = PROJECTED[table];
  const columns = base && [...new Set([...base, ...filters.flatMap((f) => f.terms.map((t) => t.column))])];
  const project = columns ? `\n| project ${columns.join(', ')}` : '';
  return `${table}\n| where ${predicates.join(' or ')}\n| top ${kqlInt(rows)} by Timestamp desc${project}\n| extend ${TABLE_COLUMN} = ${kqlString(table)}`;
}

/** Rows per filter key, newest first, without the table tag; a row answering two keys goes to both. */
export function assignEvents(rows: readonly HuntingEvent[], filters: readonly EventFilter[]): Map<string, HuntingEvent[]> {
  const ordered = [...rows].sort((a, b) => Date.parse(String(b.Timestamp ?? '')) - Date.parse(String(a.Timestamp ?? '')));
  const byKey = new Map<string, EventFilter[]>();
  for (const f of filters) byKey.set(f.key, [...(byKey.get(f.key) ?? []), f]);
  return new Map(
    [...byKey].map(([key, own]) => {
      const limit = own.reduce((sum, f) => sum + f.limit, 0);
      const matching = ordered.filter((row) => own.some((f) => fromTable(row, f.table) && f.terms.some((t) => matches(row, t))));
      return [key, matching.slice(0, limit).map(withoutTag)];
    }),
  );
}

function fromTable(row: HuntingEvent, table: EventTable): boolean {
  const tag = (row as Record<string, unknown>)[TABLE_COLUMN];
  return tag === undefined || tag === table;
}

function withoutTag(row: HuntingEvent): HuntingEvent {
  const { [TABLE_COLUMN]: _tag, ...rest } = row as Record<string, unknown>;
  return rest as HuntingEvent;
}

function matches(row: HuntingEvent, { column, match, value }: FilterTerm): boolean {
  const cell = (row as Record<string, unknown>)[column];
  if (typeof cell !== 'string' || cell === '') return false;
  const text = cell.toLowerCase();
  const wanted = value.toLowerCase();
  switch (match) {
    case 'url':
      return urlForms(value).some((form) => form.toLowerCase() === text);
    case 'term':
      return hasTerm(text, wanted);
    case 'host':
      return hasTerm(text, wanted) && isDomainOrSubdomain(hostOf(text), wanted);
    case 'ip':
      return sameIp(text, wanted);
    case 'mac':
      return macDigits(cell) === macDigits(value);
    default:
      return text === wanted;
  }
}

/** Scheme-less (as Defender often logs it), http and https, with or without an empty path's slash; nothing wider. */
export function urlForms(url: string): string[] {
  const rest = url.replace(/^https?:\/\//i, '');
  const bases = [rest];
  if (/^[^/?#]+\/$/.test(rest)) bases.push(rest.slice(0, -1));
  else if (/^[^/?#]+$/.test(rest)) bases.push(`${rest}/`);
  return bases.flatMap((base) => [base, `http://${base}`, `https://${base}`]);
}

export function macDigits(mac: string): string {
  return mac.replace(/[-:.\s]/g, '').toUpperCase();
}

/** Defender documents no format for `MacAddress`: the usual spellings, compared case-insensitively. */
export function macForms(mac: string): string[] {
  const hex = macDigits(mac);
  if (!/^[0-9A-F]{12}$/.test(hex)) return [mac];
  const pairs = hex.match(/../g) ?? [];
  const quads = hex.match(/..../g) ?? [];
  return [hex, pairs.join('-'), pairs.join(':'), quads.join('.')];
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

export function hostOf(url: string): string | undefined {
  if (url.trim() === '') return undefined;
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return undefined;
  }
}

function isDomainOrSubdomain(host: string | undefined, domain: string): boolean {
  return host !== undefined && (host === domain || host.endsWith(`.${domain}`));
}

/** Same address whatever its spelling; Defender may log an IPv4 peer in IPv4-mapped form. */
function sameIp(cell: string, ip: string): boolean {
  const c = canonicalIp(cell);
  return c === canonicalIp(ip) || (isIPv4(ip) && c === `::ffff:${ip}`);
}
