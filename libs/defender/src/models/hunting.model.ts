// Every column optional (a query may project a subset); Defender sends '' for missing strings, null for missing numbers.
interface HuntingRowBase {
  Timestamp?: string | null;
  DeviceId?: string | null;
  DeviceName?: string | null;
  ActionType?: string | null;
  ReportId?: number | null;
  AppGuardContainerId?: string | null;
  AdditionalFields?: string | null;
}

interface InitiatingProcessColumns {
  InitiatingProcessAccountDomain?: string | null;
  InitiatingProcessAccountName?: string | null;
  InitiatingProcessAccountSid?: string | null;
  InitiatingProcessAccountUpn?: string | null;
  InitiatingProcessAccountObjectId?: string | null;
  InitiatingProcessMD5?: string | null;
  InitiatingProcessSHA1?: string | null;
  InitiatingProcessSHA256?: string | null;
  /** Full path including the file name. */
  InitiatingProcessFolderPath?: string | null;
  InitiatingProcessFileName?: string | null;
  InitiatingProcessFileSize?: number | null;
  InitiatingProcessVersionInfoCompanyName?: string | null;
  InitiatingProcessVersionInfoProductName?: string | null;
  InitiatingProcessVersionInfoProductVersion?: string | null;
  InitiatingProcessVersionInfoInternalFileName?: string | null;
  InitiatingProcessVersionInfoOriginalFileName?: string | null;
  InitiatingProcessVersionInfoFileDescription?: string | null;
  InitiatingProcessId?: number | null;
  InitiatingProcessCommandLine?: string | null;
  InitiatingProcessCreationTime?: string | null;
  InitiatingProcessIntegrityLevel?: string | null;
  InitiatingProcessTokenElevation?: string | null;
  InitiatingProcessParentId?: number | null;
  InitiatingProcessParentFileName?: string | null;
  InitiatingProcessParentCreationTime?: string | null;
  InitiatingProcessSessionId?: number | null;
  IsInitiatingProcessRemoteSession?: boolean | null;
  InitiatingProcessRemoteSessionDeviceName?: string | null;
  InitiatingProcessRemoteSessionIP?: string | null;
}

export interface DeviceFileEvent extends HuntingRowBase, InitiatingProcessColumns {
  FileName?: string | null;
  /** Full path including the file name. */
  FolderPath?: string | null;
  SHA1?: string | null;
  SHA256?: string | null;
  MD5?: string | null;
  FileOriginUrl?: string | null;
  FileOriginReferrerUrl?: string | null;
  FileOriginIP?: string | null;
  PreviousFolderPath?: string | null;
  PreviousFileName?: string | null;
  FileSize?: number | null;
  RequestProtocol?: string | null;
  RequestSourceIP?: string | null;
  RequestSourcePort?: number | null;
  RequestAccountName?: string | null;
  RequestAccountDomain?: string | null;
  RequestAccountSid?: string | null;
  ShareName?: string | null;
  SensitivityLabel?: string | null;
  SensitivitySubLabel?: string | null;
  IsAzureInfoProtectionApplied?: boolean | null;
}

export interface DeviceNetworkEvent extends HuntingRowBase, InitiatingProcessColumns {
  RemoteIP?: string | null;
  RemotePort?: number | null;
  RemoteUrl?: string | null;
  LocalIP?: string | null;
  LocalPort?: number | null;
  Protocol?: string | null;
  LocalIPType?: string | null;
  RemoteIPType?: string | null;
}

interface AccountColumns {
  AccountName?: string | null;
  AccountDomain?: string | null;
  AccountSid?: string | null;
  AccountUpn?: string | null;
  AccountObjectId?: string | null;
}

/** A `DeviceProcessEvents` row: the created process's file (`FileName`, `FolderPath`, hashes) and account. */
export interface DeviceProcessEvent extends HuntingRowBase, InitiatingProcessColumns, AccountColumns {
  FileName?: string | null;
  FolderPath?: string | null;
  SHA1?: string | null;
  SHA256?: string | null;
  MD5?: string | null;
  ProcessId?: number | null;
  ProcessCommandLine?: string | null;
}

export interface DeviceRegistryEvent extends HuntingRowBase, InitiatingProcessColumns {
  RegistryKey?: string | null;
  RegistryValueType?: string | null;
  RegistryValueName?: string | null;
  RegistryValueData?: string | null;
  PreviousRegistryKey?: string | null;
}

/** A `DeviceLogonEvents` row (no UPN column: the account is a name and a domain). */
export interface DeviceLogonEvent extends HuntingRowBase, InitiatingProcessColumns, Omit<AccountColumns, 'AccountUpn' | 'AccountObjectId'> {
  LogonType?: string | null;
  RemoteIP?: string | null;
  RemoteDeviceName?: string | null;
}

/** A hunting row of any event table the relay reads; columns of the other tables are simply absent. */
export type HuntingEvent = DeviceFileEvent | DeviceNetworkEvent | DeviceProcessEvent | DeviceRegistryEvent | DeviceLogonEvent;

export type AnyHuntingColumns = DeviceFileEvent & DeviceNetworkEvent & DeviceProcessEvent & DeviceRegistryEvent & DeviceLogonEvent;
