import type { Observable } from '@app/common';
import type { DefenderApi } from '../limits/api-names';
import { searchRow } from './search-table';


export type AlertRoute =
  /** Its related-alerts REST API (full alert objects), and first its file profile for a sha256/md5. */
  | { kind: 'rest'; calls: readonly DefenderApi[] }
  /** `AlertEvidence` rows in the request's hunting query, then the alerts by id in batches; `rest` when chosen for size, asked if hunting fails. */
  | { kind: 'evidence'; rest?: readonly DefenderApi[] }
  /** No alert lookup by the observable itself (none, or through its devices). */
  | { kind: 'none' };

export type FreeSlots = Readonly<Partial<Record<DefenderApi, number>>>;

/** Slots left for what follows the alert lookups (profiles, alert batches, concurrent requests). */
export const PLANNING_HEADROOM = 10;

/** Past this many lookups AlertEvidence can take over, a request finds those alerts by hunting (docs/observe-planning.md). */
export const EVIDENCE_AT_SCALE = 100;

export function restCalls(observable: Observable): readonly DefenderApi[] {
  return searchRow(observable.type).rest?.apis ?? [];
}

/** REST while every API has a slot beyond the headroom, else `AlertEvidence`; REST-only types first (docs/observe-planning.md). */
export function planAlertLookups(observables: readonly Observable[], free: FreeSlots, headroom = PLANNING_HEADROOM): AlertRoute[] {
  const left = new Map(Object.entries(free).map(([api, slots]) => [api, (slots ?? 0) - headroom]));
  const fits = (calls: readonly string[]) => calls.every((api) => (left.get(api) ?? 0) > 0);
  const take = (calls: readonly string[]) => calls.forEach((api) => left.set(api, (left.get(api) ?? 0) - 1));
  const routes: AlertRoute[] = observables.map(() => ({ kind: 'none' }));
  const order = observables.map((observable, i) => ({ row: searchRow(observable.type), i }));
  const restOnly = (o: (typeof order)[number]) => o.row.rest !== undefined && o.row.evidence === undefined;
  const large = order.filter((o) => o.row.evidenceAtScale).length > EVIDENCE_AT_SCALE;
  for (const { row, i } of [...order.filter(restOnly), ...order.filter((o) => !restOnly(o))]) {
    const calls = row.rest?.apis ?? [];
    if (large && row.evidenceAtScale && fits(calls)) {
      take(calls);
      routes[i] = { kind: 'evidence', rest: calls };
    }
    else if (calls.length > 0 && (row.evidence === undefined || fits(calls))) {
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

export function plannedApis(observables: readonly Observable[], prevalence = true): DefenderApi[] {
  const stats = (o: Observable): DefenderApi[] => {
    const api = searchRow(o.type).prevalence?.api;
    return prevalence && api ? [api] : [];
  };
  return [...new Set(observables.flatMap((o) => [...restCalls(o), ...stats(o)]))].sort();
}
