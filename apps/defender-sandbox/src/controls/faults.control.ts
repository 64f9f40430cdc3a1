import { isRouteKey, RouteKey } from '../model/route-key';
import { asRecord, isInteger } from '../util/guards.util';

export interface FaultSpec {
  /** The route it applies to, or `*` for every route. */
  route: RouteKey | '*';
  /** Answer with this status (default body: the route's error envelope for it). */
  status?: number;
  /** Answer body; a string is sent as-is (e.g. an HTML error page of a front door). */
  body?: unknown;
  /** Seconds; sets the Retry-After header. */
  retryAfter?: number;
  /** Never answer (until the sandbox closes). */
  hang?: boolean;
  /** How many calls it applies to; unlimited when absent. */
  times?: number;
  /** Lets this many calls of the route through untouched first (e.g. fail the second page of a list). */
  after?: number;
  /** Wait this long first; without status/hang the call then proceeds normally. */
  delayMs?: number;
}

export interface ActiveFault extends FaultSpec {
  id: string;
  /** Calls it has applied to so far. */
  hits: number;
  /** Calls it let through because of `after`. */
  passed: number;
}

export interface FaultsApi {
  /** Adds a fault and returns its id. Faults apply in the order they were added. */
  add(spec: FaultSpec): string;
  remove(id: string): boolean;
  clear(): void;
  list(): ActiveFault[];
}

export class FaultsControl implements FaultsApi {
  private faults: ActiveFault[] = [];
  private seq = 0;

  add(spec: FaultSpec): string {
    const valid = validateFault(spec);
    this.seq += 1;
    const id = `fault-${this.seq}`;
    this.faults.push({ ...valid, id, hits: 0, passed: 0 });
    return id;
  }

  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length !== before;
  }

  clear(): void {
    this.faults = [];
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** The fault to apply to one call of `route`, counting it against `times`. */
  take(route: RouteKey): ActiveFault | undefined {
    const fault = this.faults.find((f) => f.route === route) ?? this.faults.find((f) => f.route === '*');
    if (!fault) return undefined;
    if (fault.passed < (fault.after ?? 0)) {
      fault.passed += 1;
      return undefined;
    }
    fault.hits += 1;
    if (fault.times !== undefined && fault.hits >= fault.times) this.remove(fault.id);
    return { ...fault };
  }
}

/** Validates a fault coming from code or from `POST /_sandbox/faults`. */
export function validateFault(input: unknown): FaultSpec {
  const f = asRecord(input);
  if (!f) throw new TypeError('fault must be an object');
  const route = f.route ?? '*';
  if (route !== '*' && !isRouteKey(route)) throw new TypeError(`unknown route key '${String(route)}'`);
  const spec: FaultSpec = { route };
  if (f.status !== undefined) {
    if (!isInteger(f.status) || f.status < 100 || f.status > 599) throw new TypeError('status must be an HTTP status code');
    spec.status = f.status;
  }
  if (f.body !== undefined) spec.body = f.body;
  if (f.retryAfter !== undefined) spec.retryAfter = nonNegative(f.retryAfter, 'retryAfter');
  if (f.hang !== undefined) {
    if (typeof f.hang !== 'boolean') throw new TypeError('hang must be a boolean');
    spec.hang = f.hang;
  }
  if (f.times !== undefined) {
    if (!isInteger(f.times) || f.times < 1) throw new TypeError('times must be a positive integer');
    spec.times = f.times;
  }
  if (f.delayMs !== undefined) spec.delayMs = nonNegative(f.delayMs, 'delayMs');
  if (f.after !== undefined) {
    if (!isInteger(f.after) || f.after < 0) throw new TypeError('after must be a non-negative integer');
    spec.after = f.after;
  }
  if (spec.status === undefined && !spec.hang && spec.delayMs === undefined) {
    throw new TypeError('a fault needs status, hang or delayMs');
  }
  return spec;
}

function nonNegative(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new TypeError(`${name} must be a non-negative number`);
  return value;
}
