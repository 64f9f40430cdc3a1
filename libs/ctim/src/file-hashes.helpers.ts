import type { AlertEvidence, AnyHuntingColumns, FileProfile, HuntingEvent } from '@app/defender/models';
import { HASH_TYPES, HashType, normaliseHash } from './observable.helpers';

export type FileHashes = Partial<Record<HashType, string>>;

export function fileHashes(sha1: unknown, sha256: unknown, md5: unknown): FileHashes {
  const hashes: FileHashes = {};
  const s1 = normaliseHash('sha1', sha1);
  const s256 = normaliseHash('sha256', sha256);
  const m5 = normaliseHash('md5', md5);
  if (s1) hashes.sha1 = s1;
  if (s256) hashes.sha256 = s256;
  if (m5) hashes.md5 = m5;
  return hashes;
}

export function evidenceHashes(evidence: AlertEvidence): FileHashes {
  return fileHashes(evidence.sha1, evidence.sha256, evidence.md5);
}

export function eventFileHashes(event: HuntingEvent): FileHashes {
  const row = event as AnyHuntingColumns;
  return fileHashes(row.SHA1, row.SHA256, row.MD5);
}

export function initiatingProcessHashes(event: HuntingEvent): FileHashes {
  return fileHashes(event.InitiatingProcessSHA1, event.InitiatingProcessSHA256, event.InitiatingProcessMD5);
}

export function isComplete(hashes: FileHashes): boolean {
  return HASH_TYPES.every((type) => hashes[type] !== undefined);
}

/** Hashes already present win over the profile's. */
export function completeHashes(hashes: FileHashes, files: ReadonlyMap<string, FileProfile>): FileHashes {
  if (isComplete(hashes)) return hashes;
  for (const type of HASH_TYPES) {
    const known = hashes[type];
    const profile = known === undefined ? undefined : files.get(known);
    if (profile) return { ...fileHashes(profile.sha1, profile.sha256, profile.md5), ...hashes };
  }
  return hashes;
}
