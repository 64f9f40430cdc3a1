export type AlertSeverity = 'UnSpecified' | 'Informational' | 'Low' | 'Medium' | 'High';

export type AlertStatus = 'Unknown' | 'New' | 'InProgress' | 'Resolved';

/** `Registry` and `Machine` are undocumented but appear in the wild. */
export type AlertEvidenceEntityType = 'User' | 'Process' | 'File' | 'Ip' | 'Url' | 'Registry' | 'Machine';

export type EvidenceDetectionStatus = 'Detected' | 'Blocked' | 'Prevented';

/** Keys optional so that partial payloads (older API versions) type-check; `filePath` is the folder only. */
export interface AlertEvidence {
  entityType?: AlertEvidenceEntityType | string | null;
  evidenceCreationTime?: string | null;
  sha1?: string | null;
  sha256?: string | null;
  /** Not in the documented shape; read when present. */
  md5?: string | null;
  fileName?: string | null;
  filePath?: string | null;
  processId?: number | null;
  processCommandLine?: string | null;
  processCreationTime?: string | null;
  parentProcessId?: number | null;
  parentProcessCreationTime?: string | null;
  parentProcessFileName?: string | null;
  parentProcessFilePath?: string | null;
  ipAddress?: string | null;
  url?: string | null;
  registryKey?: string | null;
  registryHive?: string | null;
  registryValueType?: string | null;
  registryValue?: string | null;
  accountName?: string | null;
  domainName?: string | null;
  userSid?: string | null;
  aadUserId?: string | null;
  userPrincipalName?: string | null;
  detectionStatus?: EvidenceDetectionStatus | string | null;
}

export interface AlertRelatedUser {
  userName?: string | null;
  domainName?: string | null;
}

export interface AlertComment {
  comment?: string | null;
  createdBy?: string | null;
  createdTime?: string | null;
}

export interface Alert {
  id: string;
  incidentId?: number | null;
  investigationId?: number | null;
  assignedTo?: string | null;
  severity?: AlertSeverity | string | null;
  status?: AlertStatus | string | null;
  classification?: string | null;
  determination?: string | null;
  investigationState?: string | null;
  detectionSource?: string | null;
  detectorId?: string | null;
  category?: string | null;
  threatFamilyName?: string | null;
  threatName?: string | null;
  title?: string | null;
  description?: string | null;
  alertCreationTime?: string | null;
  firstEventTime?: string | null;
  lastEventTime?: string | null;
  lastUpdateTime?: string | null;
  resolvedTime?: string | null;
  machineId?: string | null;
  computerDnsName?: string | null;
  rbacGroupName?: string | null;
  aadTenantId?: string | null;
  mitreTechniques?: string[] | null;
  relatedUser?: AlertRelatedUser | null;
  comments?: AlertComment[] | null;
  evidence?: AlertEvidence[] | null;
}
