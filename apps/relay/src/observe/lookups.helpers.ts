import { evidenceHashes, eventFileHashes, fileHashes, FileHashes, initiatingProcessHashes, isComplete, isRecord } from '@app/ctim';
import type { Alert, FileProfile, HuntingEvent, Machine } from '@app/defender';

// What observe fetches once per request besides the alerts and events, and the indexes it hands
// the sighting mappers. Pure: the service makes the calls.

/** Every device id the alerts (`machineId`) and events (`DeviceId`) refer to. */
export function machineIdsOf(alerts: readonly Alert[], events: readonly HuntingEvent[]): Set<string> {
  const ids = new Set<string>();
  for (const id of [...alerts.map((a) => a.machineId), ...events.map((e) => e.DeviceId)]) {
    const trimmed = typeof id === 'string' ? id.trim() : '';
    if (trimmed !== '') ids.add(trimmed);
  }
  return ids;
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
 * one key per file (sha1 when known, else sha256), each fetched once as `files/{hash}`. md5-only
 * files are not looked up.
 */
export function hashesNeedingCompletion(
  alerts: readonly Alert[],
  events: readonly HuntingEvent[],
  known: ReadonlyMap<string, FileProfile> = new Map(),
): Set<string> {
  const needed = new Set<string>();
  const add = (hashes: FileHashes): void => {
    if (isComplete(hashes) || Object.values(hashes).some((hash) => known.has(hash))) return;
    const key = hashes.sha1 ?? hashes.sha256;
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

/** File profiles by every lower-case hash they carry (the first profile wins), as the sighting mappers read them. */
export function fileProfileIndex(profiles: Iterable<FileProfile>): Map<string, FileProfile> {
  const index = new Map<string, FileProfile>();
  for (const profile of profiles) {
    for (const hash of Object.values(fileHashes(profile.sha1, profile.sha256, profile.md5))) {
      if (!index.has(hash)) index.set(hash, profile);
    }
  }
  return index;
}

/**
 * Machine profiles by the (lower-case) id each was requested with: `profiles[i]` answers
 * `requestedIds[i]`. The profile's own `id` is not trusted, as some answers lack it; answers that
 * are not objects are dropped, so they cost only their device's target fields.
 */
export function machineIndex(requestedIds: readonly string[], profiles: readonly unknown[]): Map<string, Machine> {
  const index = new Map<string, Machine>();
  requestedIds.forEach((id, i) => {
    const profile = profiles[i];
    if (isRecord(profile)) index.set(id.toLowerCase(), profile as Machine);
  });
  return index;
}
