import { accountName, type ObservableType } from '@app/common';
import type { ColumnMatch, EventTable } from '../kql/hunting-queries';
import type { DefenderApi } from '../limits/api-names';
import type { PrevalenceOf } from '../repositories/prevalence.repository';

export type RestAlerts = 'file' | 'fileByHash' | 'domain' | 'ip' | 'user';

/** Defender's statistics of the observable: what they are asked by, the API budget, the capability it needs. */
export interface PrevalenceSearch {
  of: PrevalenceOf;
  api: Extract<DefenderApi, 'files/stats' | 'ips/stats' | 'domains/stats'>;
  capability: 'observe.file-prevalence' | 'observe.ip-prevalence' | 'observe.domain-prevalence';
}

export type DeviceSource = 'machineId' | 'hostname' | TableSearch;

export interface ColumnSearch {
  column: string;
  match: ColumnMatch;
  /** The value compared instead of the observable's own (a UPN's account name). */
  value?: (observable: string) => string;
}

export interface TableSearch {
  table: Exclude<EventTable, 'AlertEvidence'>;
  columns: readonly ColumnSearch[];
}

/** How to find one type of observable in Defender (fields explained in docs/observe-planning.md). */
export interface SearchRow {
  rest?: { lookup: RestAlerts; apis: readonly DefenderApi[] };
  prevalence?: PrevalenceSearch;
  evidence?: readonly ColumnSearch[];
  /** Its one REST call and its evidence find the same alerts, so a large request hunts them. */
  evidenceAtScale?: true;
  devices?: DeviceSource;
  events: readonly TableSearch[];
}

const fileEvents = (column: string): TableSearch[] => [{ table: 'DeviceFileEvents', columns: [{ column, match: 'exact' }] }];
const caseless = (...columns: string[]): ColumnSearch[] => columns.map((column) => ({ column, match: 'caseless' }));
const processAndFile = (process: string[], file: string[]): TableSearch[] => [
  { table: 'DeviceProcessEvents', columns: caseless(...process) },
  { table: 'DeviceFileEvents', columns: caseless(...file) },
];
const fileStats: PrevalenceSearch = { of: 'file', api: 'files/stats', capability: 'observe.file-prevalence' };
const remoteIp: TableSearch[] = [{ table: 'DeviceNetworkEvents', columns: [{ column: 'RemoteIP', match: 'ip' }] }];

/** Every observable type the relay knows, one row each: a type without a row does not compile. */
export const SEARCH_TABLE = {
  sha1: {
    rest: { lookup: 'file', apis: ['files/alerts'] },
    evidence: [{ column: 'SHA1', match: 'exact' }],
    evidenceAtScale: true,
    events: fileEvents('SHA1'),
    prevalence: fileStats,
  },
  sha256: {
    rest: { lookup: 'fileByHash', apis: ['files', 'files/alerts'] },
    evidence: [{ column: 'SHA256', match: 'exact' }],
    events: fileEvents('SHA256'),
    prevalence: fileStats,
  },
  // AlertEvidence has no MD5 column: REST is an md5's only route to its alerts.
  md5: { rest: { lookup: 'fileByHash', apis: ['files', 'files/alerts'] }, events: fileEvents('MD5'), prevalence: fileStats },
  ip: {
    rest: { lookup: 'ip', apis: ['ips/alerts'] },
    evidence: [{ column: 'RemoteIP', match: 'ip' }],
    evidenceAtScale: true,
    events: remoteIp,
    prevalence: { of: 'ip', api: 'ips/stats', capability: 'observe.ip-prevalence' },
  },
  ipv6: { rest: { lookup: 'ip', apis: ['ips/alerts'] }, evidence: [{ column: 'RemoteIP', match: 'ip' }], events: remoteIp },
  domain: {
    rest: { lookup: 'domain', apis: ['domains/alerts'] },
    evidence: [{ column: 'RemoteUrl', match: 'host' }],
    evidenceAtScale: true,
    events: [{ table: 'DeviceNetworkEvents', columns: [{ column: 'RemoteUrl', match: 'term' }] }],
    prevalence: { of: 'domain', api: 'domains/stats', capability: 'observe.domain-prevalence' },
  },
  url: { events: [{ table: 'DeviceNetworkEvents', columns: [{ column: 'RemoteUrl', match: 'url' }] }] },
  ms_machine_id: { devices: 'machineId', events: [] },
  hostname: { devices: 'hostname', events: [] },
  user: { rest: { lookup: 'user', apis: ['users/alerts'] }, events: [] },
  // Whole names and paths compared case-insensitively (Windows), never as substrings.
  file_name: {
    evidence: caseless('FileName'),
    events: processAndFile(['FileName', 'InitiatingProcessFileName'], ['FileName', 'InitiatingProcessFileName']),
  },
  file_path: {
    evidence: caseless('FolderPath'),
    events: processAndFile(['FolderPath', 'InitiatingProcessFolderPath'], ['FolderPath', 'InitiatingProcessFolderPath']),
  },
  process_name: {
    evidence: caseless('FileName'),
    events: processAndFile(['FileName', 'InitiatingProcessFileName'], ['InitiatingProcessFileName']),
  },
  registry_key: { evidence: caseless('RegistryKey'), events: [{ table: 'DeviceRegistryEvents', columns: caseless('RegistryKey') }] },
  mac_address: { devices: { table: 'DeviceNetworkInfo', columns: [{ column: 'MacAddress', match: 'mac' }] }, events: [] },
  // An account by its UPN; the logon table has no UPN column, so logons are matched by the account name.
  email: {
    evidence: caseless('AccountUpn'),
    events: [
      { table: 'DeviceProcessEvents', columns: caseless('AccountUpn', 'InitiatingProcessAccountUpn') },
      { table: 'DeviceLogonEvents', columns: [{ column: 'AccountName', match: 'caseless', value: accountName }] },
    ],
  },
} as const satisfies Record<ObservableType, SearchRow>;

export function searchRow(type: ObservableType): SearchRow {
  return SEARCH_TABLE[type];
}

export function resolvesToDevices(type: ObservableType): boolean {
  const devices = searchRow(type).devices;
  return devices !== undefined && devices !== 'machineId';
}
