import { Deadline } from './deadline';

/** How far concurrent work for one key is shared; see `CallCoalescer`. */
export interface CoalescerLimits {
  /** Calls of one key in flight before new work waits to be sent together. */
  maxInFlight: number;
  /** Members of one call at most. */
  maxMembers: number;
  /** Summed weight (e.g. observables) of one call at most; a heavier single member goes alone. */
  maxWeight: number;
  /** A member with less time left than this never waits for others: it is sent at once, alone. */
  minWaitMs: number;
}

/** Runs one call for all members (in the order they joined), bounded by the latest of their deadlines. */
export type CoalescedCall<I, R> = (inputs: readonly I[], deadline: Deadline) => Promise<R>;

interface Member<I> {
  input: I;
  deadline: Deadline;
}

interface Batch<I, R> {
  members: Member<I>[];
  weight: number;
  result: Promise<R>;
  settle: { resolve: (value: R) => void; reject: (error: unknown) => void };
  sent: boolean;
}

interface Lane<I, R> {
  /** The batch still taking members, if any. */
  open?: Batch<I, R>;
  inFlight: number;
}

/**
 * Shares one call among concurrent callers of the same key (one credential), so that under load
 * many requests cost one upstream call instead of one each. While fewer than `maxInFlight` calls
 * of a key are in flight, work is sent at once (with whatever joined in the same turn of the event
 * loop), so an idle key adds no latency; beyond that, new work waits in one open batch that is
 * sent as soon as a call returns or the batch is full. Every member keeps its own deadline: it is
 * answered (with `onTimeout()`) when its deadline passes, whatever the call does, and a member
 * with little time left never waits for a batch. Keys never share a call; lanes are dropped when
 * idle, and the open batch is bounded, so what waits is bounded by the callers in flight.
 */
export class CallCoalescer<I, R> {
  private readonly lanes = new Map<string, Lane<I, R>>();

  constructor(
    private readonly call: CoalescedCall<I, R>,
    private readonly limits: CoalescerLimits,
    private readonly onTimeout: () => Error,
  ) {}

  /** The result of the call `input` was sent with; `weight` counts towards `maxWeight`. */
  submit(key: string, input: I, weight: number, deadline: Deadline): Promise<R> {
    if (deadline.expired) return Promise.reject(this.onTimeout());
    const lane = this.lanes.get(key) ?? { inFlight: 0 };
    this.lanes.set(key, lane);
    const member = { input, deadline };
    let batch: Batch<I, R>;
    if (deadline.remaining() < this.limits.minWaitMs) {
      batch = newBatch(member, weight);
      this.send(key, lane, batch);
    } else {
      const open = lane.open;
      if (open && open.weight + weight <= this.limits.maxWeight) {
        open.members.push(member);
        open.weight += weight;
        batch = open;
      } else {
        if (open) this.send(key, lane, open);
        batch = newBatch(member, weight);
        lane.open = batch;
        if (lane.inFlight < this.limits.maxInFlight) setImmediate(() => this.send(key, lane, batch));
      }
      if (batch.members.length >= this.limits.maxMembers || batch.weight >= this.limits.maxWeight) this.send(key, lane, batch);
    }
    return withinDeadline(batch.result, deadline, this.onTimeout);
  }

  /** How many keys have work waiting or in flight (for tests). */
  get activeKeys(): number {
    return this.lanes.size;
  }

  private send(key: string, lane: Lane<I, R>, batch: Batch<I, R>): void {
    if (batch.sent) return;
    batch.sent = true;
    if (lane.open === batch) lane.open = undefined;
    // Members whose deadline passed were answered already; nobody is left to wait for the call.
    const waiting = batch.members.filter((m) => !m.deadline.expired);
    if (waiting.length === 0) {
      batch.settle.reject(this.onTimeout());
      this.release(key, lane);
      return;
    }
    lane.inFlight++;
    const latest = waiting.reduce((a, b) => (b.deadline.at > a.at ? b.deadline : a), waiting[0].deadline);
    const own = waiting.length === 1;
    const deadline = own ? latest : new Deadline(latest.at);
    this.call(
      waiting.map((m) => m.input),
      deadline,
    )
      .then(batch.settle.resolve, batch.settle.reject)
      .finally(() => {
        if (!own) deadline.dispose();
        lane.inFlight--;
        if (lane.open && lane.inFlight < this.limits.maxInFlight) this.send(key, lane, lane.open);
        this.release(key, lane);
      });
  }

  private release(key: string, lane: Lane<I, R>): void {
    if (lane.inFlight === 0 && !lane.open && this.lanes.get(key) === lane) this.lanes.delete(key);
  }
}

function newBatch<I, R>(member: Member<I>, weight: number): Batch<I, R> {
  let settle!: Batch<I, R>['settle'];
  const result = new Promise<R>((resolve, reject) => (settle = { resolve, reject }));
  // Members that timed out no longer listen; the call's own outcome must not go unhandled.
  result.catch(() => undefined);
  return { members: [member], weight, result, settle, sent: false };
}

/** `result`, unless `deadline` passes first. */
function withinDeadline<R>(result: Promise<R>, deadline: Deadline, onTimeout: () => Error): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const abort = () => reject(onTimeout());
    if (deadline.signal.aborted) return abort();
    deadline.signal.addEventListener('abort', abort, { once: true });
    result.then(resolve, reject).finally(() => deadline.signal.removeEventListener('abort', abort));
  });
}
