import { AlertEvidence, EvidenceEntityType } from '../model/entities';
import { SEED_BASE_TIME, SeedFileHashes } from './seed.constants';

const BASE_MS = Date.parse(SEED_BASE_TIME);

/**
 * A deterministic seed timestamp `minutesAgo` before the base time, with 7 fractional digits
 * derived from the offset (real Defender times have sub-millisecond digits).
 */
export function ago(minutesAgo: number): string {
  const ms = BASE_MS - Math.round(minutesAgo * 60_000);
  const frac = String(Math.abs(Math.round(minutesAgo * 7919) + 1_234_567) % 10_000_000).padStart(7, '0');
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, `.${frac}Z`);
}

const EMPTY_EVIDENCE: Omit<AlertEvidence, 'entityType' | 'evidenceCreationTime'> = {
  sha1: null,
  sha256: null,
  fileName: null,
  filePath: null,
  processId: null,
  processCommandLine: null,
  processCreationTime: null,
  parentProcessId: null,
  parentProcessCreationTime: null,
  parentProcessFileName: null,
  parentProcessFilePath: null,
  ipAddress: null,
  url: null,
  registryKey: null,
  registryHive: null,
  registryValueType: null,
  registryValue: null,
  accountName: null,
  domainName: null,
  userSid: null,
  aadUserId: null,
  userPrincipalName: null,
  detectionStatus: null,
};

/** An evidence item with every key present (null when not applicable). */
export function evidence(
  entityType: EvidenceEntityType,
  evidenceCreationTime: string,
  values: Partial<AlertEvidence>,
): AlertEvidence {
  return { entityType, evidenceCreationTime, ...EMPTY_EVIDENCE, ...values };
}

export function fileEvidence(
  created: string,
  file: SeedFileHashes,
  folder: string,
  detectionStatus: AlertEvidence['detectionStatus'] = 'Detected',
): AlertEvidence {
  return evidence('File', created, {
    sha1: file.sha1,
    sha256: file.sha256,
    fileName: file.fileName,
    filePath: folder,
    detectionStatus,
  });
}

export interface ProcessEvidenceInput {
  file: SeedFileHashes;
  folder: string;
  processId: number;
  commandLine: string;
  created: string;
  parent?: { fileName: string; folder?: string; processId: number; created: string };
  account?: { name: string; domain: string; sid: string; upn?: string | null; aadUserId?: string | null };
}

export function processEvidence(evidenceTime: string, p: ProcessEvidenceInput): AlertEvidence {
  return evidence('Process', evidenceTime, {
    sha1: p.file.sha1,
    sha256: p.file.sha256,
    fileName: p.file.fileName,
    filePath: p.folder,
    processId: p.processId,
    processCommandLine: p.commandLine,
    processCreationTime: p.created,
    parentProcessId: p.parent?.processId ?? null,
    parentProcessCreationTime: p.parent?.created ?? null,
    parentProcessFileName: p.parent?.fileName ?? null,
    parentProcessFilePath: p.parent?.folder ?? null,
    accountName: p.account?.name ?? null,
    domainName: p.account?.domain ?? null,
    userSid: p.account?.sid ?? null,
    aadUserId: p.account?.aadUserId ?? null,
    userPrincipalName: p.account?.upn ?? null,
    detectionStatus: 'Detected',
  });
}

export const ipEvidence = (created: string, ipAddress: string): AlertEvidence =>
  evidence('Ip', created, { ipAddress, detectionStatus: null });

export const urlEvidence = (created: string, url: string): AlertEvidence =>
  evidence('Url', created, { url, detectionStatus: null });

export function userEvidence(
  created: string,
  user: { name: string; domain: string; sid: string; upn: string | null; aadUserId: string | null },
): AlertEvidence {
  return evidence('User', created, {
    accountName: user.name,
    domainName: user.domain,
    userSid: user.sid,
    userPrincipalName: user.upn,
    aadUserId: user.aadUserId,
  });
}
