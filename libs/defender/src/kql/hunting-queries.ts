import { kqlInt, kqlList, kqlString } from './kql';

export type EventTable = 'DeviceFileEvents' | 'DeviceNetworkEvents';
export type EventColumn = 'SHA1' | 'SHA256' | 'MD5' | 'RemoteIP' | 'RemoteUrl';

/** One observable's slice of an events query: which column, which value, how many rows. */
export interface EventFilter {
  /** Relay-made row tag (`o0`, `o1`, …) that tells which observable a row answers. */
  key: string;
  column: EventColumn;
  value: string;
  limit: number;
}

const OPERATOR: Record<EventColumn, string> = { SHA1: '==', SHA256: '==', MD5: '==', RemoteIP: '==', RemoteUrl: 'has' };
const KEY = /^o\d+$/;

/**
 * All observables of a request against one event table, as one query (docs/hunting-queries.md §1):
 * a `union` of per-observable sub-queries keeps each observable's limit exact in one API call.
 */
export function eventsQuery(table: EventTable, filters: readonly EventFilter[]): string {
  if (filters.length === 0) throw new RangeError('an events query needs at least one filter');
  const parts = filters.map((f) => {
    if (!KEY.test(f.key)) throw new RangeError(`not a relay row key: ${f.key}`);
    return `(${table} | where ${f.column} ${OPERATOR[f.column]} ${kqlString(f.value)} | top ${kqlInt(f.limit)} by Timestamp desc | extend RelayKey = '${f.key}')`;
  });
  return `union\n${parts.join(',\n')}`;
}

/** The latest row per adapter of every device a request touches (docs/hunting-queries.md §2). */
export function networkInfoQuery(deviceIds: readonly string[]): string {
  if (deviceIds.length === 0) throw new RangeError('a network info query needs at least one device');
  return `DeviceNetworkInfo\n| where DeviceId in ${kqlList(deviceIds)}\n| summarize arg_max(Timestamp, *) by DeviceId, MacAddress`;
}
