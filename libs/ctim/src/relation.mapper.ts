import type { Alert, AlertEvidence, AnyHuntingColumns, FileProfile, HuntingEvent } from '@app/defender/models';
import { SOURCE } from './ctim.constants';
import { CtimObservable, Relation } from './ctim.types';
import { FileHashes, completeHashes, eventFileHashes, evidenceHashes, initiatingProcessHashes } from './file-hashes.helpers';
import { HASH_TYPES, ipObservable, sameObservable, text, urlObservable } from './observable.helpers';

/** File profiles by each of their lower-case hashes. */
export interface RelationContext {
  files: ReadonlyMap<string, FileProfile>;
}

export const RELATIONS = {
  fileNameOf: 'File_Name_Of',
  filePathOf: 'File_Path_Of',
  parentOf: 'Parent_Of',
  injectedInto: 'Injected_Into',
  connectTo: 'Connect_To',
  resolvedTo: 'Resolved_To',
  downloadedFrom: 'Downloaded_From',
  refersTo: 'Refers_To',
  renamedTo: 'Renamed_To',
} as const;

// Length-prefixed free-form values cannot collide; cheaper than JSON.stringify for every relation.
function relationKey(relation: Relation): string {
  const { origin, source, related } = relation;
  return `${relation.relation} ${source.type} ${related.type} ${origin.length}:${origin}${source.value.length}:${source.value}${related.value}`;
}

/** Keeps the first of each repeated relation; the original relay repeated them many times per sighting. */
export function dedupeRelations(relations: readonly Relation[]): Relation[] {
  const seen = new Set<string>();
  const unique: Relation[] = [];
  for (const relation of relations) {
    const key = relationKey(relation);
    if (!seen.has(key)) {
      seen.add(key);
      unique.push(relation);
    }
  }
  return unique;
}

class RelationSet {
  private readonly relations: Relation[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly origin: string) {}

  add(relation: string, source: CtimObservable | undefined, related: CtimObservable | undefined): void {
    if (!source || !related || !source.value || !related.value) return;
    if (sameObservable(source, related)) return;
    const entry: Relation = {
      origin: this.origin,
      relation,
      source: { type: source.type, value: source.value },
      related: { type: related.type, value: related.value },
    };
    const key = relationKey(entry);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.relations.push(entry);
  }

  addToEach(relation: string, source: CtimObservable | undefined, related: readonly CtimObservable[]): void {
    for (const target of related) this.add(relation, source, target);
  }

  // Like-typed hash pairs; every pair only when the files share no hash type.
  addBetweenFiles(relation: string, sources: readonly CtimObservable[], related: readonly CtimObservable[]): void {
    const paired = sources.filter((s) => related.some((r) => r.type === s.type));
    if (paired.length > 0) {
      for (const source of paired) this.add(relation, source, related.find((r) => r.type === source.type));
      return;
    }
    for (const source of sources) this.addToEach(relation, source, related);
  }

  toArray(): Relation[] {
    return [...this.relations];
  }
}

function hashObservables(hashes: FileHashes): CtimObservable[] {
  const observables: CtimObservable[] = [];
  for (const type of HASH_TYPES) {
    const value = hashes[type];
    if (value !== undefined) observables.push({ type, value });
  }
  return observables;
}

function fileName(value: unknown): CtimObservable | undefined {
  const name = text(value);
  return name === undefined ? undefined : { type: 'file_name', value: name };
}

function filePath(value: unknown): CtimObservable | undefined {
  const path = text(value);
  return path === undefined ? undefined : { type: 'file_path', value: path };
}

/** Evidence `filePath` is the folder; CTIM's `file_path` is the file's full path. */
export function joinEvidencePath(folder: unknown, name: unknown): string | undefined {
  const dir = text(folder);
  const file = text(name);
  if (dir === undefined || file === undefined) return undefined;
  const separator = dir.includes('/') && !dir.includes('\\') ? '/' : '\\';
  const trimmed = dir.replace(/[\\/]+$/, '');
  if (trimmed.toLowerCase().endsWith(`${separator}${file}`.toLowerCase())) return trimmed;
  return `${trimmed}${separator}${file}`;
}

function isFileEvidence(evidence: AlertEvidence): boolean {
  const type = text(evidence.entityType)?.toLowerCase();
  return type === 'process' || type === 'file';
}

function entityTypeIs(evidence: AlertEvidence, wanted: string): boolean {
  return text(evidence.entityType)?.toLowerCase() === wanted;
}

/** Relations from an alert's evidence (docs/sightings.md lists them). */
export function relationsFromAlert(alert: Alert, ctx: RelationContext): Relation[] {
  const relations = new RelationSet(text(alert.detectionSource) ?? SOURCE);
  const evidence = alert.evidence ?? [];
  const files = evidence.filter(isFileEvidence);
  const hashesOf = new Map<AlertEvidence, CtimObservable[]>(
    files.map((item) => [item, hashObservables(completeHashes(evidenceHashes(item), ctx.files))]),
  );

  for (const item of files) {
    const hashes = hashesOf.get(item) ?? [];
    for (const hash of hashes) {
      relations.add(RELATIONS.fileNameOf, fileName(item.fileName), hash);
      relations.add(RELATIONS.filePathOf, filePath(joinEvidencePath(item.filePath, item.fileName)), hash);
      relations.add(RELATIONS.parentOf, fileName(item.parentProcessFileName), hash);
    }
    const parent = parentEvidence(item, files);
    if (parent) {
      const parentHashes = hashesOf.get(parent) ?? [];
      relations.addBetweenFiles(RELATIONS.parentOf, parentHashes, hashes);
      relations.addBetweenFiles(RELATIONS.injectedInto, hashes, parentHashes);
    }
  }

  const urls = evidence
    .filter((item) => entityTypeIs(item, 'url'))
    .map((item) => urlObservable(item.url))
    .filter(isDefined);
  const ips = evidence
    .filter((item) => entityTypeIs(item, 'ip'))
    .map((item) => ipObservable(item.ipAddress))
    .filter(isDefined);

  for (const url of urls) {
    if (url.type === 'domain' || url.type === 'url') relations.addToEach(RELATIONS.resolvedTo, url, ips);
  }
  for (const item of files) {
    for (const hash of hashesOf.get(item) ?? []) {
      relations.addToEach(RELATIONS.connectTo, hash, urls);
      relations.addToEach(RELATIONS.connectTo, hash, ips);
    }
  }
  return relations.toArray();
}

function parentEvidence(item: AlertEvidence, candidates: readonly AlertEvidence[]): AlertEvidence | undefined {
  const parentId = item.parentProcessId;
  if (parentId === null || parentId === undefined) return undefined;
  return candidates.find((other) => other !== item && other.processId === parentId);
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

function isInbound(actionType: string | undefined): boolean {
  return actionType !== undefined && /^inbound/i.test(actionType);
}

/** Relations from one advanced-hunting row (docs/sightings.md lists them). */
export function relationsFromEvent(event: HuntingEvent, ctx: RelationContext): Relation[] {
  const row = event as AnyHuntingColumns;
  const relations = new RelationSet(SOURCE);
  const fileHashes = hashObservables(completeHashes(eventFileHashes(event), ctx.files));
  const processHashes = hashObservables(completeHashes(initiatingProcessHashes(event), ctx.files));

  const originUrl = urlObservable(row.FileOriginUrl);
  for (const hash of fileHashes) {
    relations.add(RELATIONS.fileNameOf, fileName(row.FileName), hash);
    relations.add(RELATIONS.filePathOf, filePath(row.FolderPath), hash);
    relations.add(RELATIONS.downloadedFrom, hash, originUrl);
  }
  if (originUrl) relations.add(RELATIONS.refersTo, urlObservable(row.FileOriginReferrerUrl), originUrl);
  const previousName = fileName(row.PreviousFileName);
  if (previousName && previousName.value !== text(row.FileName)) {
    relations.add(RELATIONS.renamedTo, previousName, fileName(row.FileName));
  }

  for (const hash of processHashes) {
    relations.add(RELATIONS.fileNameOf, fileName(row.InitiatingProcessFileName), hash);
    relations.add(RELATIONS.filePathOf, filePath(row.InitiatingProcessFolderPath), hash);
    relations.add(RELATIONS.parentOf, fileName(row.InitiatingProcessParentFileName), hash);
  }
  relations.addBetweenFiles(RELATIONS.parentOf, processHashes, fileHashes);

  const remoteUrl = urlObservable(row.RemoteUrl);
  const remoteIp = ipObservable(row.RemoteIP);
  const localIp = ipObservable(row.LocalIP);
  if (remoteUrl && remoteUrl.type !== 'ip' && remoteUrl.type !== 'ipv6') {
    relations.add(RELATIONS.resolvedTo, remoteUrl, remoteIp);
  }
  if (isInbound(text(row.ActionType))) relations.add(RELATIONS.connectTo, remoteIp, localIp);
  else relations.add(RELATIONS.connectTo, localIp, remoteIp);
  for (const hash of processHashes) {
    relations.add(RELATIONS.connectTo, hash, remoteUrl);
    relations.add(RELATIONS.connectTo, hash, remoteIp);
  }
  return relations.toArray();
}
