import type { Observable } from '@app/common';
import type { EventFilter, HuntingEvent } from '@app/defender';

// How observe finds the alerts of each observable, chosen before any call is sent
// (docs/observe-planning.md). Pure: the service asks the limiter for the free slots.

/** The `AlertEvidence` column an observable's alerts can be found by in advanced hunting. */
export type EvidenceColumn = 'SHA1' | 'SHA256' | 'RemoteIP' | 'RemoteUrl';

export type AlertRoute =
  /** Its related-alerts REST API (full alert objects), and first its file profile for a sha256/md5. */
  | { kind: 'rest'; calls: readonly string[] }
  /** `AlertEvidence` rows in the request's hunting query, then the alerts by id in batches. */
  | { kind: 'hunting'; column: EvidenceColumn }
  /** Defender has no alerts for this type of observable. */
  | { kind: 'none' };

export interface PlannedObservable {
  observable: Observable;
  route: AlertRoute;
}

/** Free slots of each Defender API now, by the limiter's API name (`files/alerts`, `files`, …). */
export type FreeSlots = Readonly<Record<string, number>>;

/**
 * Slots of each API left for what comes after the alert lookups (file profiles that complete
 * evidence hashes, the alert batches, concurrent requests of the same tenant).
 */
export const PLANNING_HEADROOM = 10;

/** The REST calls an observable's alerts cost, by API; a sha256/md5 is resolved to its SHA-1 first. */
export function restCalls(observable: Observable): readonly string[] {
  switch (observable.type) {
    case 'sha1':
      return ['files/alerts'];
    case 'sha256':
    case 'md5':
      return ['files', 'files/alerts'];
    case 'domain':
      return ['domains/alerts'];
    case 'ip':
    case 'ipv6':
      return ['ips/alerts'];
    default:
      return [];
  }
}

/** Advanced hunting's evidence has no MD5 column: an md5's alerts are found only through REST. */
const EVIDENCE_COLUMN: Partial<Record<Observable['type'], EvidenceColumn>> = {
  sha1: 'SHA1',
  sha256: 'SHA256',
  ip: 'RemoteIP',
  ipv6: 'RemoteIP',
  domain: 'RemoteUrl',
};

/**
 * Each observable's route to its alerts: REST (full alert objects at once) while every API it
 * needs has a free slot beyond the headroom, hunting for the rest. md5s are planned first, as
 * REST is their only route; they go to REST even past the budget (the limiter then waits or
 * answers `too many requests` for them alone). Otherwise input order decides, so the plan is
 * deterministic. The answer is in input order.
 */
export function planAlertLookups(observables: readonly Observable[], free: FreeSlots, headroom = PLANNING_HEADROOM): PlannedObservable[] {
  const left = new Map(Object.entries(free).map(([api, slots]) => [api, slots - headroom]));
  const fits = (calls: readonly string[]) => calls.every((api) => (left.get(api) ?? 0) > 0);
  const take = (calls: readonly string[]) => calls.forEach((api) => left.set(api, (left.get(api) ?? 0) - 1));
  const routes = new Map<number, AlertRoute>();
  const order = observables.map((observable, i) => ({ observable, i }));
  const md5First = [...order.filter((o) => o.observable.type === 'md5'), ...order.filter((o) => o.observable.type !== 'md5')];
  for (const { observable, i } of md5First) {
    const calls = restCalls(observable);
    const column = EVIDENCE_COLUMN[observable.type];
    if (calls.length === 0) routes.set(i, { kind: 'none' });
    else if (column === undefined || fits(calls)) {
      take(calls);
      routes.set(i, { kind: 'rest', calls });
    } else routes.set(i, { kind: 'hunting', column });
  }
  return observables.map((observable, i) => ({ observable, route: routes.get(i) ?? { kind: 'none' } }));
}

/** The APIs whose free slots `planAlertLookups` needs for these observables. */
export function plannedApis(observables: readonly Observable[]): string[] {
  return [...new Set(observables.flatMap(restCalls))].sort();
}

/** Alert ids in batches of at most `size`, each fetched as one `alerts?$filter=id eq … or id eq …` call. */
export function alertIdBatches(ids: Iterable<string>, size = ALERT_BATCH_SIZE): string[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a positive integer, got ${size}`);
  const unique = [...new Set(ids)];
  return Array.from({ length: Math.ceil(unique.length / size) }, (_, b) => unique.slice(b * size, (b + 1) * size));
}

/** Keeps a batch's `$filter` (about 50 characters an id) well inside Defender's URL length limits. */
export const ALERT_BATCH_SIZE = 25;

/**
 * The ids of the alerts an observable's `AlertEvidence` rows name, each once, in row order. A
 * domain's rows were matched as a term (`has`), which also matches `example.com.evil.net`: only
 * URLs whose host is the domain or one of its subdomains are kept, as the domain's related-alerts
 * API counts them.
 */
export function evidenceAlertIds(rows: readonly HuntingEvent[], filter: Pick<EventFilter, 'column' | 'value'>): string[] {
  const domain = filter.value.toLowerCase();
  const ids = rows
    .filter((row) => filter.column !== 'RemoteUrl' || isDomainOrSubdomain(hostOf(cell(row, 'RemoteUrl')), domain))
    .map((row) => cell(row, 'AlertId'))
    .filter((id) => id !== '');
  return [...new Set(ids)];
}

function cell(row: HuntingEvent, column: string): string {
  const value = (row as Record<string, unknown>)[column];
  return typeof value === 'string' ? value : '';
}

/** The host of a URL as evidence spells it, with or without a scheme; undefined when it has none. */
export function hostOf(url: string): string | undefined {
  if (url.trim() === '') return undefined;
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return undefined;
  }
}

function isDomainOrSubdomain(host: string | undefined, domain: string): boolean {
  return host !== undefined && (host === domain || host.endsWith(`.${domain}`));
}
