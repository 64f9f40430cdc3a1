import { evidenceHashes, eventFileHashes, fileHashes, FileHashes, initiatingProcessHashes, isComplete, isRecord } from '@app/ctim';
import type { Alert, FileProfile, HuntingEvent, Machine } from '@app/defender';


export function machineIdsOf(alerts: readonly Alert[], events: readonly HuntingEvent[]): Set<string> {
  const ids = new Set<string>();
  for (const id of [...alerts.map((a) => a.machineId), ...events.map((e) => e.DeviceId)]) {
    const trimmed = typeof id === 'string' ? id.trim() : '';
    if (trimmed !== '') ids.add(trimmed);
  }
  return ids;
}

// A hunting row's full hash sets complete other mentions of the same file without a file-profile lookup.
export function completeFilesIn(events: readonly HuntingEvent[]): FileHashes[] {
  return events.flatMap((event) => [eventFileHashes(event), initiatingProcessHashes(event)]).filter(isComplete);
}

/** One key per file still missing sibling hashes (sha1, else sha256; md5-only files are not looked up). */
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

export function fileProfileIndex(profiles: Iterable<FileProfile>): Map<string, FileProfile> {
  const index = new Map<string, FileProfile>();
  for (const profile of profiles) {
    for (const hash of Object.values(fileHashes(profile.sha1, profile.sha256, profile.md5))) {
      if (!index.has(hash)) index.set(hash, profile);
    }
  }
  return index;
}

// Keyed by the requested id: some answers lack their own `id`.
export function machineIndex(requestedIds: readonly string[], profiles: readonly unknown[]): Map<string, Machine> {
  const index = new Map<string, Machine>();
  requestedIds.forEach((id, i) => {
    const profile = profiles[i];
    if (isRecord(profile)) index.set(id.toLowerCase(), profile as Machine);
  });
  return index;
}
