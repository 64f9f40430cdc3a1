import type { Observable } from '@app/common';
import type { DefenderApi } from '../limits/api-names';
import { searchRow } from './search-table';

// How each observable's alerts are found, chosen before any call is sent
// (docs/observe-planning.md). Pure: the search asks the limiter for the free slots.

export type AlertRoute =
  /** Its related-alerts REST API (full alert objects), and first its file profile for a sha256/md5. */
  | { kind: 'rest'; calls: readonly DefenderApi[] }
  /** `AlertEvidence` rows in the request's hunting query, then the alerts by id in batches. */
  | { kind: 'evidence' }
  /** No alert lookup by the observable itself (none, or through its devices). */
  | { kind: 'none' };

/** Free slots of each Defender API now, by the limiter's API name. */
export type FreeSlots = Readonly<Partial<Record<DefenderApi, number>>>;

/**
 * Slots of each API left for what comes after the alert lookups (file profiles that complete
 * evidence hashes, the alert batches, concurrent requests of the same tenant).
 */
export const PLANNING_HEADROOM = 10;

/** The REST calls an observable's alerts cost, by API. */
export function restCalls(observable: Observable): readonly DefenderApi[] {
  return searchRow(observable.type).rest?.apis ?? [];
}

/**
 * Each observable's route to its alerts: REST (full alert objects at once) while every API it
 * needs has a free slot beyond the headroom, `AlertEvidence` for the rest. Observables without an
 * evidence route (md5, user) are planned first and go to REST even past the budget (the limiter
 * then waits or answers `too many requests` for them alone). Otherwise input order decides, so
 * the plan is deterministic. The answer is in input order.
 */
export function planAlertLookups(observables: readonly Observable[], free: FreeSlots, headroom = PLANNING_HEADROOM): AlertRoute[] {
  const left = new Map(Object.entries(free).map(([api, slots]) => [api, (slots ?? 0) - headroom]));
  const fits = (calls: readonly string[]) => calls.every((api) => (left.get(api) ?? 0) > 0);
  const take = (calls: readonly string[]) => calls.forEach((api) => left.set(api, (left.get(api) ?? 0) - 1));
  const routes: AlertRoute[] = observables.map(() => ({ kind: 'none' }));
  const order = observables.map((observable, i) => ({ row: searchRow(observable.type), i }));
  const restOnly = (o: (typeof order)[number]) => o.row.rest !== undefined && o.row.evidence === undefined;
  for (const { row, i } of [...order.filter(restOnly), ...order.filter((o) => !restOnly(o))]) {
    const calls = row.rest?.apis ?? [];
    if (calls.length > 0 && (row.evidence === undefined || fits(calls))) {
      take(calls);
      routes[i] = { kind: 'rest', calls };
    } else if (row.evidence !== undefined) routes[i] = { kind: 'evidence' };
  }
  return routes;
}

/** Statistics while their API has slots beyond the headroom after the alert lookups; a sha256/md5 only when REST resolves its SHA-1. */
export function planPrevalence(observables: readonly Observable[], routes: readonly AlertRoute[], free: FreeSlots, headroom = PLANNING_HEADROOM): boolean[] {
  const left = new Map(Object.entries(free).map(([api, slots]) => [api, (slots ?? 0) - headroom]));
  for (const route of routes) if (route.kind === 'rest') route.calls.forEach((api) => left.set(api, (left.get(api) ?? 0) - 1));
  return observables.map((observable, i) => {
    const row = searchRow(observable.type);
    const stats = row.prevalence?.api;
    if (stats === undefined || (row.rest?.lookup === 'fileByHash' && routes[i].kind !== 'rest') || (left.get(stats) ?? 0) <= 0) return false;
    left.set(stats, (left.get(stats) ?? 0) - 1);
    return true;
  });
}

/** The APIs whose free slots the plan needs for these observables. */
export function plannedApis(observables: readonly Observable[], prevalence = true): DefenderApi[] {
  const stats = (o: Observable): DefenderApi[] => {
    const api = searchRow(o.type).prevalence?.api;
    return prevalence && api ? [api] : [];
  };
  return [...new Set(observables.flatMap((o) => [...restCalls(o), ...stats(o)]))].sort();
}
