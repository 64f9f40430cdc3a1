/** Alert severity as Defender for Endpoint spells it. */
export type AlertSeverity = 'UnSpecified' | 'Informational' | 'Low' | 'Medium' | 'High';

export type AlertStatus = 'Unknown' | 'New' | 'InProgress' | 'Resolved';

/** Evidence entity kinds seen in alerts (`Registry`, `Machine` are unconfirmed but appear in the wild). */
export type AlertEvidenceEntityType = 'User' | 'Process' | 'File' | 'Ip' | 'Url' | 'Registry' | 'Machine';

/** `Detected`, `Blocked`, `Prevented` (or null); kept open because Defender adds values. */
export type EvidenceDetectionStatus = 'Detected' | 'Blocked' | 'Prevented';

/**
 * One `evidence[]` item of an alert. Defender sends every key, null when not applicable;
 * keys are optional here so that partial payloads (mocks, older API versions) still type-check.
 * `filePath` is the folder only, without the file name.
 */
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

/** `GET /api/alerts/{id}` and the related-alert lists (`files|ips|domains/{x}/alerts`). */
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
  /** API name of the detector, e.g. `WindowsDefenderAtp`, `WindowsDefenderAv`, `CustomerTI`. */
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
  /** 40-hex device id; null for alerts not tied to a device. */
  machineId?: string | null;
  computerDnsName?: string | null;
  rbacGroupName?: string | null;
  aadTenantId?: string | null;
  mitreTechniques?: string[] | null;
  relatedUser?: AlertRelatedUser | null;
  comments?: AlertComment[] | null;
  evidence?: AlertEvidence[] | null;
}
