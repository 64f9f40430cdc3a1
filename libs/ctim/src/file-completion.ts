import type { Alert, AlertEvidence, DeviceFileEvent, DeviceNetworkEvent, FileProfile } from '@app/defender/models';
import { HASH_TYPES, HashType, normaliseHash, text } from './observable.helpers';

/** The known hashes of one file; each lower-case and well-formed, or absent. */
export type FileHashes = Partial<Record<HashType, string>>;

/** A hunting row of either table; columns of the other table are simply absent. */
export type HuntingEvent = DeviceFileEvent | DeviceNetworkEvent;

/** Read access to every column of either hunting table. */
export type AnyHuntingColumns = DeviceFileEvent & DeviceNetworkEvent;

/** Reads a file's hashes from three raw values, dropping malformed ones. */
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

/** The hashes of the file an event acted on (DeviceFileEvents `SHA1`/`SHA256`/`MD5`). */
export function eventFileHashes(event: HuntingEvent): FileHashes {
  const row = event as AnyHuntingColumns;
  return fileHashes(row.SHA1, row.SHA256, row.MD5);
}

/** The hashes of the event's initiating process. */
export function initiatingProcessHashes(event: HuntingEvent): FileHashes {
  return fileHashes(event.InitiatingProcessSHA1, event.InitiatingProcessSHA256, event.InitiatingProcessMD5);
}

function isComplete(hashes: FileHashes): boolean {
  return HASH_TYPES.every((type) => hashes[type] !== undefined);
}

/**
 * Fills the missing sibling hashes of a file from the file profiles (keyed by each of their
 * lower-case hashes). Hashes already present win over the profile's.
 */
export function completeHashes(hashes: FileHashes, files: ReadonlyMap<string, FileProfile>): FileHashes {
  if (isComplete(hashes)) return hashes;
  for (const type of HASH_TYPES) {
    const known = hashes[type];
    const profile = known === undefined ? undefined : files.get(known);
    if (profile) return { ...fileHashes(profile.sha1, profile.sha256, profile.md5), ...hashes };
  }
  return hashes;
}

/**
 * Indexes file profiles by every lower-case hash they carry, the shape `SightingContext.files`
 * expects.
 */
export function fileProfileIndex(profiles: Iterable<FileProfile>): Map<string, FileProfile> {
  const index = new Map<string, FileProfile>();
  for (const profile of profiles) {
    const hashes = fileHashes(profile.sha1, profile.sha256, profile.md5);
    for (const type of HASH_TYPES) {
      const hash = hashes[type];
      if (hash !== undefined && !index.has(hash)) index.set(hash, profile);
    }
  }
  return index;
}

/** The hash to look a file profile up by (sha1 preferred). */
function lookupKey(hashes: FileHashes): string | undefined {
  return hashes.sha1 ?? hashes.sha256;
}

/**
 * The files whose three hashes a hunting row carries (the file it acted on, its initiating
 * process): Defender's own hash sets, which complete other mentions of the same file without a
 * file-profile lookup. Pass them to `fileProfileIndex` with the profiles.
 */
export function completeFilesIn(events: readonly HuntingEvent[]): FileHashes[] {
  return events.flatMap((event) => [eventFileHashes(event), initiatingProcessHashes(event)]).filter(isComplete);
}

/**
 * Every sha1/sha256 (lower-case) in alert evidence and hunting rows whose sibling hashes the
 * payload does not carry and whose file `known` (a `fileProfileIndex`) does not hold already:
 * one key per file (sha1 when known, else sha256). The observe service fetches `files/{hash}`
 * once for each before mapping. md5-only files are not looked up.
 */
export function hashesNeedingCompletion(
  alerts: readonly Alert[],
  events: readonly HuntingEvent[],
  known: ReadonlyMap<string, FileProfile> = new Map(),
): Set<string> {
  const needed = new Set<string>();
  const add = (hashes: FileHashes): void => {
    if (isComplete(hashes) || HASH_TYPES.some((type) => known.has(hashes[type] ?? ''))) return;
    const key = lookupKey(hashes);
    if (key !== undefined) needed.add(key);
  };
  for (const alert of alerts) {
    for (const evidence of alert.evidence ?? []) add(evidenceHashes(evidence));
  }
  for (const event of events) {
    add(eventFileHashes(event));
    add(initiatingProcessHashes(event));
  }
  return needed;
}

/** Every device id the alerts (`machineId`) and events (`DeviceId`) refer to. */
export function machineIdsOf(alerts: readonly Alert[], events: readonly HuntingEvent[]): Set<string> {
  const ids = new Set<string>();
  for (const alert of alerts) {
    const id = text(alert.machineId);
    if (id !== undefined) ids.add(id);
  }
  for (const event of events) {
    const id = text(event.DeviceId);
    if (id !== undefined) ids.add(id);
  }
  return ids;
}
