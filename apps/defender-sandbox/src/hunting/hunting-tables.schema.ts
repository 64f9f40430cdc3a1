import { HuntingRow, HuntingValue } from '../model/entities';

// Column sets of the advanced-hunting tables the relay reads (Defender XDR schema reference).
export type KustoType = 'datetime' | 'string' | 'long' | 'int' | 'bool' | 'real' | 'dynamic';

export interface ColumnDef {
  name: string;
  type: KustoType;
}

export const HUNTING_TABLE_NAMES = [
  'DeviceFileEvents',
  'DeviceNetworkEvents',
  'DeviceNetworkInfo',
  'DeviceProcessEvents',
  'DeviceRegistryEvents',
  'DeviceLogonEvents',
] as const;
export type HuntingTableName = (typeof HUNTING_TABLE_NAMES)[number];

/** Tables derived from the tenant's alerts at query time, so they always agree with the alerts API. */
export const ALERT_TABLE_NAMES = ['AlertInfo', 'AlertEvidence'] as const;
export type AlertTableName = (typeof ALERT_TABLE_NAMES)[number];

/** .NET type names the hunting APIs put in `Schema[].Type`. */
export const DOTNET_TYPE: Record<KustoType, string> = {
  datetime: 'DateTime',
  string: 'String',
  long: 'Int64',
  int: 'Int32',
  bool: 'SByte',
  real: 'Double',
  dynamic: 'Object',
};

const s = (name: string): ColumnDef => ({ name, type: 'string' });
const dt = (name: string): ColumnDef => ({ name, type: 'datetime' });
const long = (name: string): ColumnDef => ({ name, type: 'long' });
const int = (name: string): ColumnDef => ({ name, type: 'int' });
const bool = (name: string): ColumnDef => ({ name, type: 'bool' });
const dyn = (name: string): ColumnDef => ({ name, type: 'dynamic' });

const versionInfo = (prefix: string): ColumnDef[] =>
  ['CompanyName', 'ProductName', 'ProductVersion', 'InternalFileName', 'OriginalFileName', 'FileDescription'].map(
    (n) => s(`${prefix}VersionInfo${n}`),
  );
const account = (prefix: string): ColumnDef[] =>
  ['Domain', 'Name', 'Sid', 'Upn', 'ObjectId'].map((n) => s(`${prefix}Account${n}`));
const remoteSession = (): ColumnDef[] => [
  long('InitiatingProcessSessionId'),
  bool('IsInitiatingProcessRemoteSession'),
  s('InitiatingProcessRemoteSessionDeviceName'),
  s('InitiatingProcessRemoteSessionIP'),
];

const deviceEvent = (): ColumnDef[] => [dt('Timestamp'), s('DeviceId'), s('DeviceName'), s('ActionType')];
const fileImage = (): ColumnDef[] => [s('FileName'), s('FolderPath'), s('SHA1'), s('SHA256'), s('MD5')];

const initiatingProcessRun = (): ColumnDef[] => [
  s('InitiatingProcessFileName'),
  long('InitiatingProcessFileSize'),
  ...versionInfo('InitiatingProcess'),
  long('InitiatingProcessId'),
  s('InitiatingProcessCommandLine'),
  dt('InitiatingProcessCreationTime'),
];

// The initiating process's image, in the order the network, process and registry tables share.
const initiatingProcessImage = (): ColumnDef[] => [
  s('InitiatingProcessSHA1'),
  s('InitiatingProcessSHA256'),
  s('InitiatingProcessMD5'),
  ...initiatingProcessRun(),
  s('InitiatingProcessFolderPath'),
];

export const TABLE_SCHEMAS: Record<HuntingTableName, ColumnDef[]> = {
  DeviceFileEvents: [
    ...deviceEvent(),
    ...fileImage(),
    s('FileOriginUrl'),
    s('FileOriginReferrerUrl'),
    s('FileOriginIP'),
    s('PreviousFolderPath'),
    s('PreviousFileName'),
    long('FileSize'),
    ...account('InitiatingProcess'),
    s('InitiatingProcessMD5'),
    s('InitiatingProcessSHA1'),
    s('InitiatingProcessSHA256'),
    s('InitiatingProcessFolderPath'),
    ...initiatingProcessRun(),
    s('InitiatingProcessIntegrityLevel'),
    s('InitiatingProcessTokenElevation'),
    long('InitiatingProcessParentId'),
    s('InitiatingProcessParentFileName'),
    dt('InitiatingProcessParentCreationTime'),
    s('RequestProtocol'),
    s('RequestSourceIP'),
    int('RequestSourcePort'),
    s('RequestAccountName'),
    s('RequestAccountDomain'),
    s('RequestAccountSid'),
    s('ShareName'),
    s('SensitivityLabel'),
    s('SensitivitySubLabel'),
    bool('IsAzureInfoProtectionApplied'),
    long('ReportId'),
    s('AppGuardContainerId'),
    dyn('AdditionalFields'),
    ...remoteSession(),
  ],
  DeviceNetworkEvents: [
    ...deviceEvent(),
    s('RemoteIP'),
    int('RemotePort'),
    s('RemoteUrl'),
    s('LocalIP'),
    int('LocalPort'),
    s('Protocol'),
    s('LocalIPType'),
    s('RemoteIPType'),
    ...initiatingProcessImage(),
    s('InitiatingProcessParentFileName'),
    long('InitiatingProcessParentId'),
    dt('InitiatingProcessParentCreationTime'),
    ...account('InitiatingProcess'),
    s('InitiatingProcessIntegrityLevel'),
    s('InitiatingProcessTokenElevation'),
    long('ReportId'),
    s('AppGuardContainerId'),
    dyn('AdditionalFields'),
    ...remoteSession(),
  ],
  DeviceNetworkInfo: [
    dt('Timestamp'),
    s('DeviceId'),
    s('DeviceName'),
    s('NetworkAdapterName'),
    s('MacAddress'),
    s('NetworkAdapterType'),
    s('NetworkAdapterStatus'),
    s('TunnelType'),
    // Dynamic columns reach API clients as JSON text (the relay JSON-parses IPAddresses).
    dyn('ConnectedNetworks'),
    dyn('DnsAddresses'),
    s('IPv4Dhcp'),
    s('IPv6Dhcp'),
    dyn('DefaultGateways'),
    dyn('IPAddresses'),
    long('ReportId'),
    s('NetworkAdapterVendor'),
  ],
  DeviceProcessEvents: [
    ...deviceEvent(),
    ...fileImage(),
    long('FileSize'),
    ...versionInfo('Process'),
    long('ProcessId'),
    s('ProcessCommandLine'),
    s('ProcessIntegrityLevel'),
    s('ProcessTokenElevation'),
    dt('ProcessCreationTime'),
    ...account(''),
    long('LogonId'),
    ...account('InitiatingProcess'),
    long('InitiatingProcessLogonId'),
    s('InitiatingProcessIntegrityLevel'),
    s('InitiatingProcessTokenElevation'),
    ...initiatingProcessImage(),
    long('InitiatingProcessParentId'),
    s('InitiatingProcessParentFileName'),
    dt('InitiatingProcessParentCreationTime'),
    s('InitiatingProcessSignerType'),
    s('InitiatingProcessSignatureStatus'),
    long('ReportId'),
    s('AppGuardContainerId'),
    dyn('AdditionalFields'),
  ],
  DeviceRegistryEvents: [
    ...deviceEvent(),
    s('RegistryKey'),
    s('RegistryValueType'),
    s('RegistryValueName'),
    s('RegistryValueData'),
    s('PreviousRegistryKey'),
    s('PreviousRegistryValueName'),
    s('PreviousRegistryValueData'),
    ...account('InitiatingProcess'),
    ...initiatingProcessImage(),
    long('InitiatingProcessParentId'),
    s('InitiatingProcessParentFileName'),
    dt('InitiatingProcessParentCreationTime'),
    s('InitiatingProcessIntegrityLevel'),
    s('InitiatingProcessTokenElevation'),
    long('ReportId'),
    s('AppGuardContainerId'),
    ...remoteSession(),
  ],
  // Defender's logon table has no UPN column.
  DeviceLogonEvents: [
    ...deviceEvent(),
    s('LogonType'),
    s('AccountDomain'),
    s('AccountName'),
    s('AccountSid'),
    s('Protocol'),
    s('FailureReason'),
    bool('IsLocalAdmin'),
    long('LogonId'),
    s('RemoteDeviceName'),
    s('RemoteIP'),
    s('RemoteIPType'),
    int('RemotePort'),
    ...account('InitiatingProcess'),
    s('InitiatingProcessFileName'),
    s('InitiatingProcessFolderPath'),
    s('InitiatingProcessSHA1'),
    s('InitiatingProcessMD5'),
    long('InitiatingProcessId'),
    s('InitiatingProcessCommandLine'),
    long('ReportId'),
    s('AppGuardContainerId'),
    dyn('AdditionalFields'),
  ],
};

export const ALERT_TABLE_SCHEMAS: Record<AlertTableName, ColumnDef[]> = {
  AlertInfo: [
    dt('Timestamp'),
    s('AlertId'),
    s('Title'),
    s('Category'),
    s('Severity'),
    s('ServiceSource'),
    s('DetectionSource'),
    s('AttackTechniques'),
  ],
  AlertEvidence: [
    dt('Timestamp'),
    s('AlertId'),
    s('Title'),
    s('Categories'),
    s('AttackTechniques'),
    s('ServiceSource'),
    s('DetectionSource'),
    s('EntityType'),
    s('EvidenceRole'),
    s('EvidenceDirection'),
    s('FileName'),
    s('FolderPath'),
    s('SHA1'),
    s('SHA256'),
    long('FileSize'),
    s('ThreatFamily'),
    s('RemoteIP'),
    s('RemoteUrl'),
    s('AccountName'),
    s('AccountDomain'),
    s('AccountSid'),
    s('AccountObjectId'),
    s('AccountUpn'),
    s('DeviceId'),
    s('DeviceName'),
    s('LocalIP'),
    s('NetworkMessageId'),
    s('EmailSubject'),
    s('Application'),
    int('ApplicationId'),
    s('OAuthApplicationId'),
    s('ProcessCommandLine'),
    s('RegistryKey'),
    s('RegistryValueName'),
    s('RegistryValueData'),
    s('AdditionalFields'),
    s('Severity'),
    s('CloudResource'),
    s('CloudPlatform'),
    s('ResourceType'),
    s('ResourceID'),
    s('SubscriptionId'),
  ],
};

export function isHuntingTableName(name: string): name is HuntingTableName {
  return (HUNTING_TABLE_NAMES as readonly string[]).includes(name);
}

export function isAlertTableName(name: string): name is AlertTableName {
  return (ALERT_TABLE_NAMES as readonly string[]).includes(name);
}

/** Missing string columns are "" (never null) in hunting results; other types are null. */
export function emptyValue(type: KustoType): HuntingValue {
  return type === 'string' ? '' : null;
}

/** Builds a full row of `table` from the given columns; throws on a column the table lacks. */
export function makeRow(table: HuntingTableName | AlertTableName, values: Record<string, HuntingValue>): HuntingRow {
  const columns = isAlertTableName(table) ? ALERT_TABLE_SCHEMAS[table] : TABLE_SCHEMAS[table];
  const known = new Set(columns.map((c) => c.name));
  for (const key of Object.keys(values)) {
    if (!known.has(key)) throw new Error(`${table} has no column ${key}`);
  }
  const row: HuntingRow = {};
  for (const col of columns) row[col.name] = values[col.name] ?? emptyValue(col.type);
  return row;
}
