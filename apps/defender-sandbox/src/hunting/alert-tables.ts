import { Alert, AlertEvidence, FileProfile, HuntingRow, HuntingValue } from '../model/entities';
import { AlertTableName, makeRow } from './hunting-tables.schema';

const SERVICE_SOURCE = 'Microsoft Defender for Endpoint';

/** The alerts API's `detectionSource` as advanced hunting names it. */
const DETECTION_SOURCE: Record<string, string> = {
  WindowsDefenderAtp: 'EDR',
  WindowsDefenderAv: 'Antivirus',
  WindowsDefenderSmartScreen: 'SmartScreen',
  CustomerTI: 'Custom TI',
  CustomDetection: 'Custom detection',
  AutomatedInvestigation: 'Automated investigation',
};

/** The alerts API's evidence `entityType` as advanced hunting names it. */
const ENTITY_TYPE: Record<AlertEvidence['entityType'], string> = {
  File: 'File',
  Process: 'Process',
  Ip: 'Ip',
  Url: 'Url',
  User: 'User',
  Machine: 'Machine',
  Registry: 'RegistryValue',
};

/**
 * `AlertInfo` (one row per alert) and `AlertEvidence` (one row per alert and entity, the alert's
 * device included) of a tenant, derived from the same alerts the alerts API serves, so a join on
 * `AlertId` and the REST answers always agree.
 */
export function alertTables(alerts: readonly Alert[], files: readonly FileProfile[]): Record<AlertTableName, HuntingRow[]> {
  return {
    AlertInfo: alerts.map(alertInfoRow),
    AlertEvidence: alerts.flatMap((alert) => evidenceRows(alert, files)),
  };
}

function common(alert: Alert): Record<string, HuntingValue> {
  return {
    Timestamp: alert.alertCreationTime,
    AlertId: alert.id,
    Title: alert.title,
    AttackTechniques: JSON.stringify(alert.mitreTechniques),
    ServiceSource: SERVICE_SOURCE,
    DetectionSource: DETECTION_SOURCE[alert.detectionSource] ?? alert.detectionSource,
  };
}

function alertInfoRow(alert: Alert): HuntingRow {
  return makeRow('AlertInfo', { ...common(alert), Category: alert.category, Severity: alert.severity });
}

function evidenceRows(alert: Alert, files: readonly FileProfile[]): HuntingRow[] {
  const base = {
    ...common(alert),
    Categories: JSON.stringify([alert.category]),
    Severity: alert.severity,
    DeviceId: alert.machineId,
    DeviceName: alert.computerDnsName ?? '',
  };
  const rows = alert.evidence.map((e) => makeRow('AlertEvidence', { ...base, ...entityColumns(alert, e, files) }));
  if (!alert.evidence.some((e) => e.entityType === 'Machine')) {
    rows.unshift(makeRow('AlertEvidence', { ...base, EntityType: 'Machine', EvidenceRole: 'Impacted' }));
  }
  return rows;
}

function entityColumns(alert: Alert, e: AlertEvidence, files: readonly FileProfile[]): Record<string, HuntingValue> {
  const isFile = e.entityType === 'File' || e.entityType === 'Process';
  const size = isFile && e.sha1 ? files.find((f) => f.sha1 === e.sha1)?.size : undefined;
  return {
    EntityType: ENTITY_TYPE[e.entityType],
    EvidenceRole: e.entityType === 'User' || e.entityType === 'Machine' ? 'Impacted' : 'Related',
    EvidenceDirection: e.entityType === 'Ip' ? 'Destination' : '',
    FileName: e.fileName ?? '',
    // As in the device event tables, the path includes the file name.
    FolderPath: e.filePath && e.fileName ? joinPath(e.filePath, e.fileName) : (e.filePath ?? ''),
    SHA1: e.sha1 ?? '',
    SHA256: e.sha256 ?? '',
    FileSize: size ?? null,
    ThreatFamily: e.entityType === 'File' ? (alert.threatFamilyName ?? '') : '',
    RemoteIP: e.ipAddress ?? '',
    RemoteUrl: e.url ?? '',
    AccountName: e.accountName ?? '',
    AccountDomain: e.domainName ?? '',
    AccountSid: e.userSid ?? '',
    AccountObjectId: e.aadUserId ?? '',
    AccountUpn: e.userPrincipalName ?? '',
    ProcessCommandLine: e.processCommandLine ?? '',
    RegistryKey: e.registryKey ? [e.registryHive, e.registryKey].filter(Boolean).join('\\') : '',
    RegistryValueData: e.registryValue ?? '',
    AdditionalFields: e.detectionStatus ? JSON.stringify({ DetectionStatus: e.detectionStatus }) : '',
  };
}

function joinPath(folder: string, name: string): string {
  const separator = folder.startsWith('/') ? '/' : '\\';
  return folder.endsWith(separator) ? `${folder}${name}` : `${folder}${separator}${name}`;
}
