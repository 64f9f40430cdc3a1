import { Deadline } from '../limits/deadline';

export interface CoalescerLimits {
  maxInFlight: number;
  maxMembers: number;
  maxWeight: number;
  minWaitMs: number;
}

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
  open?: Batch<I, R>;
  inFlight: number;
}

/** One upstream call for concurrent callers of a key; below `maxInFlight` work is sent at once, so an idle key adds no latency. */
export class CallCoalescer<I, R> {
  private readonly lanes = new Map<string, Lane<I, R>>();

  constructor(
    private readonly call: CoalescedCall<I, R>,
    private readonly limits: CoalescerLimits,
    private readonly onTimeout: () => Error,
  ) {}

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

function withinDeadline<R>(result: Promise<R>, deadline: Deadline, onTimeout: () => Error): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const abort = () => reject(onTimeout());
    if (deadline.signal.aborted) return abort();
    deadline.signal.addEventListener('abort', abort, { once: true });
    result.then(resolve, reject).finally(() => deadline.signal.removeEventListener('abort', abort));
  });
}
