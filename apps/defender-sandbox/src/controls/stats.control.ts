import { KqlQuery } from '../kql/kql.ast';
import { ROUTE_KEYS, RouteKey } from '../model/route-key';

export interface StatsEntry {
  route: RouteKey;
  method: string;
  /** URL path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON or form body (a token request's client_secret is redacted). */
  body: unknown;
  /** Tenant of the bearer token (API) or of the URL (token endpoint); null when unknown. */
  tenant: string | null;
  clientId: string | null;
  /** HTTP status answered; 0 while the call is still open (e.g. a hang fault). */
  status: number;
  /** ISO time the call arrived. */
  at: string;
  /** Parsed hunting query (hunting routes, when it parsed). */
  kql?: KqlQuery;
}

export interface StatsApi {
  /** Calls seen, optionally only of one route and/or one tenant. Not bounded by the log size. */
  count(route?: RouteKey, tenant?: string): number;
  /** Calls per route key (every key present, 0 when unused). */
  byRoute(): Record<RouteKey, number>;
  /** The call log, oldest first (bounded to the last 5000 calls). */
  entries(route?: RouteKey): StatsEntry[];
  reset(): void;
}

const MAX_ENTRIES = 5000;

export class StatsControl implements StatsApi {
  private log: StatsEntry[] = [];
  private readonly totals = new Map<RouteKey, number>();
  private readonly perTenant = new Map<string, number>();

  /** Records a call as it arrives; the pipeline fills in tenant and status later. */
  begin(entry: Omit<StatsEntry, 'tenant' | 'clientId' | 'status'>): StatsEntry {
    const full: StatsEntry = { ...entry, tenant: null, clientId: null, status: 0 };
    this.log.push(full);
    if (this.log.length > MAX_ENTRIES) this.log = this.log.slice(-MAX_ENTRIES);
    this.totals.set(entry.route, (this.totals.get(entry.route) ?? 0) + 1);
    return full;
  }

  attribute(entry: StatsEntry, tenant: string, clientId: string | null): void {
    if (entry.tenant !== null) return;
    entry.tenant = tenant;
    entry.clientId = clientId;
    const key = `${entry.route}|${tenant}`;
    this.perTenant.set(key, (this.perTenant.get(key) ?? 0) + 1);
  }

  count(route?: RouteKey, tenant?: string): number {
    if (tenant === undefined) {
      if (route !== undefined) return this.totals.get(route) ?? 0;
      return [...this.totals.values()].reduce((a, b) => a + b, 0);
    }
    let sum = 0;
    for (const [key, n] of this.perTenant) {
      const [r, t] = key.split('|');
      if (t === tenant && (route === undefined || r === route)) sum += n;
    }
    return sum;
  }

  byRoute(): Record<RouteKey, number> {
    const out = {} as Record<RouteKey, number>;
    for (const key of ROUTE_KEYS) out[key] = this.totals.get(key) ?? 0;
    return out;
  }

  entries(route?: RouteKey): StatsEntry[] {
    return route === undefined ? [...this.log] : this.log.filter((e) => e.route === route);
  }

  reset(): void {
    this.log = [];
    this.totals.clear();
    this.perTenant.clear();
  }
}
