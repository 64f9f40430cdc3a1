// Entity shapes as the Defender for Endpoint API serialises them (see docs/hunting-queries.md and
// the Defender API reference). Every key is always present; null marks "not applicable".

export type AlertSeverity = 'UnSpecified' | 'Informational' | 'Low' | 'Medium' | 'High';
export type AlertStatus = 'Unknown' | 'New' | 'InProgress' | 'Resolved';
export type EvidenceEntityType = 'User' | 'Process' | 'File' | 'Ip' | 'Url' | 'Registry' | 'Machine';

export interface AlertEvidence {
  entityType: EvidenceEntityType;
  evidenceCreationTime: string;
  sha1: string | null;
  sha256: string | null;
  fileName: string | null;
  /** The folder only, never the file name. */
  filePath: string | null;
  processId: number | null;
  processCommandLine: string | null;
  processCreationTime: string | null;
  parentProcessId: number | null;
  parentProcessCreationTime: string | null;
  parentProcessFileName: string | null;
  parentProcessFilePath: string | null;
  ipAddress: string | null;
  url: string | null;
  registryKey: string | null;
  registryHive: string | null;
  registryValueType: string | null;
  registryValue: string | null;
  accountName: string | null;
  domainName: string | null;
  userSid: string | null;
  aadUserId: string | null;
  userPrincipalName: string | null;
  detectionStatus: 'Detected' | 'Blocked' | 'Prevented' | null;
}

export interface AlertComment {
  comment: string;
  createdBy: string;
  createdTime: string;
}

export interface Alert {
  id: string;
  incidentId: number | null;
  investigationId: number | null;
  assignedTo: string | null;
  severity: AlertSeverity;
  status: AlertStatus;
  classification: 'TruePositive' | 'InformationalExpectedActivity' | 'FalsePositive' | null;
  determination: string | null;
  investigationState: string;
  detectionSource: string;
  detectorId: string;
  category: string;
  threatFamilyName: string | null;
  threatName: string | null;
  title: string;
  description: string;
  alertCreationTime: string;
  firstEventTime: string;
  lastEventTime: string;
  lastUpdateTime: string;
  resolvedTime: string | null;
  machineId: string;
  computerDnsName: string | null;
  rbacGroupName: string | null;
  aadTenantId: string;
  mitreTechniques: string[];
  relatedUser: { userName: string; domainName: string } | null;
  comments: AlertComment[];
  evidence: AlertEvidence[];
}

export interface FileProfile {
  sha1: string;
  sha256: string | null;
  md5: string | null;
  globalPrevalence: number;
  globalFirstObserved: string;
  globalLastObserved: string;
  size: number;
  fileType: string | null;
  isPeFile: boolean;
  filePublisher: string | null;
  fileProductName: string | null;
  signer: string | null;
  issuer: string | null;
  signerHash: string | null;
  isValidCertificate: boolean | null;
  determinationType: 'Unknown' | 'Clean' | 'Pua' | 'Malware';
  determinationValue: string;
}

/** One address of one network adapter (a machine has a row per adapter and address). */
export interface MachineIpAddress {
  ipAddress: string;
  macAddress: string;
  /** The adapter's type, as .NET's NetworkInterfaceType names it. */
  type: string;
  operationalStatus: 'Up' | 'Down';
}

export interface Machine {
  id: string;
  computerDnsName: string;
  firstSeen: string;
  lastSeen: string;
  osPlatform: string;
  osProcessor: string;
  version: string;
  lastIpAddress: string;
  lastExternalIpAddress: string;
  osBuild: number | null;
  healthStatus: string;
  deviceValue: 'Normal' | 'Low' | 'High';
  rbacGroupId: number;
  rbacGroupName: string;
  riskScore: string;
  exposureLevel: string;
  isAadJoined: boolean;
  aadDeviceId: string | null;
  machineTags: string[];
  onboardingStatus: string;
  osArchitecture: string;
  ipAddresses: MachineIpAddress[];
}

export type MachineActionType =
  | 'Isolate'
  | 'Unisolate'
  | 'RestrictCodeExecution'
  | 'UnrestrictCodeExecution'
  | 'RunAntiVirusScan'
  | 'CollectInvestigationPackage'
  | 'StopAndQuarantineFile'
  | 'Offboard'
  | 'LiveResponse';

export type MachineActionStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'TimeOut' | 'Cancelled';

export interface MachineAction {
  id: string;
  type: MachineActionType;
  title: string | null;
  requestor: string;
  requestorComment: string;
  status: MachineActionStatus;
  machineId: string;
  computerDnsName: string;
  creationDateTimeUtc: string;
  lastUpdateDateTimeUtc: string;
  cancellationRequestor: string | null;
  cancellationComment: string | null;
  cancellationDateTimeUtc: string | null;
  errorHResult: number;
  scope: string | null;
  externalId: string | null;
  requestSource: string;
  relatedFileInfo: { fileIdentifier: string; fileIdentifierType: 'Sha1' | 'Sha256' | 'Md5' } | null;
  commands: unknown[];
  troubleshootInfo: string | null;
}

export interface Investigation {
  id: string;
  startTime: string;
  endTime: string | null;
  state: string;
  cancelledBy: string | null;
  statusDetails: string | null;
  machineId: string;
  computerDnsName: string;
  triggeringAlertId: string | null;
}

export type IndicatorType =
  | 'FileSha1'
  | 'FileSha256'
  | 'FileMd5'
  | 'CertificateThumbprint'
  | 'IpAddress'
  | 'DomainName'
  | 'Url';

export type IndicatorAction = 'Allowed' | 'Audit' | 'Warn' | 'Block' | 'BlockAndRemediate' | 'AlertAndBlock';

export interface Indicator {
  id: string;
  indicatorValue: string;
  indicatorType: IndicatorType;
  action: IndicatorAction;
  createdBy: string;
  source: string;
  sourceType: 'User' | 'AadApp';
  severity: 'Informational' | 'Low' | 'Medium' | 'High';
  category: number;
  application: string | null;
  educateUrl: string | null;
  bypassDurationHours: number | null;
  title: string;
  description: string;
  recommendedActions: string | null;
  creationTimeDateTimeUtc: string;
  expirationTime: string | null;
  lastUpdateTime: string;
  lastUpdatedBy: string | null;
  rbacGroupNames: string[];
  rbacGroupIds: number[];
  notificationId: string | null;
  notificationBody: string | null;
  version: string | null;
  mitreTechniques: string[];
  historicalDetection: boolean;
  lookBackPeriod: string | null;
  generateAlert: boolean;
  additionalInfo: string | null;
  createdByDisplayName: string;
  createdBySource: string;
  certificateInfo: unknown;
}

/** One row of an advanced-hunting table; every column of the table is present. */
export type HuntingValue = string | number | boolean | null;
export type HuntingRow = Record<string, HuntingValue>;
