import { Deadline } from '../limits/deadline';
import { CallCoalescer, CoalescerLimits } from './call-coalescer';

// Which callers share a call, driven by hand: every call stays pending until the test settles it.

interface Call {
  inputs: readonly string[];
  deadline: Deadline;
  resolve: (value: string[]) => void;
  reject: (error: Error) => void;
}

const LIMITS: CoalescerLimits = { maxInFlight: 1, maxMembers: 3, maxWeight: 10, minWaitMs: 1_000 };
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('CallCoalescer', () => {
  let calls: Call[];
  let coalescer: CallCoalescer<string, string[]>;
  const deadlines: Deadline[] = [];
  const deadline = (ms = 10_000) => {
    const d = Deadline.in(ms);
    deadlines.push(d);
    return d;
  };

  const make = (limits: CoalescerLimits) =>
    new CallCoalescer<string, string[]>(
      (inputs, callDeadline) => new Promise<string[]>((resolve, reject) => calls.push({ inputs, deadline: callDeadline, resolve, reject })),
      limits,
      () => new Error('timeout'),
    );

  beforeEach(() => {
    calls = [];
    coalescer = make(LIMITS);
  });
  afterEach(() => deadlines.splice(0).forEach((d) => d.dispose()));

  it('sends work of the same turn together at once, and every member gets the shared answer', async () => {
    const a = coalescer.submit('k', 'a', 1, deadline());
    const b = coalescer.submit('k', 'b', 1, deadline());
    await nextTurn();
    expect(calls.map((c) => c.inputs)).toEqual([['a', 'b']]);
    calls[0].resolve(['rows']);
    await expect(Promise.all([a, b])).resolves.toEqual([['rows'], ['rows']]);
    expect(coalescer.activeKeys).toBe(0);
  });

  it('never lets two keys share a call', async () => {
    void coalescer.submit('k1', 'a', 1, deadline());
    void coalescer.submit('k2', 'b', 1, deadline());
    await nextTurn();
    expect(calls.map((c) => c.inputs)).toEqual([['a'], ['b']]);
    calls.forEach((c) => c.resolve([]));
  });

  it('while a call is in flight, later work waits and goes as one call when it returns', async () => {
    const first = coalescer.submit('k', 'a', 1, deadline());
    await nextTurn();
    const later = [coalescer.submit('k', 'b', 1, deadline()), coalescer.submit('k', 'c', 1, deadline())];
    await nextTurn();
    expect(calls).toHaveLength(1);
    calls[0].resolve(['first']);
    await first;
    await nextTurn();
    expect(calls.map((c) => c.inputs)).toEqual([['a'], ['b', 'c']]);
    calls[1].resolve(['second']);
    await expect(Promise.all(later)).resolves.toEqual([['second'], ['second']]);
  });

  it('sends a full batch at once, and bounds a batch by members and by weight', async () => {
    void coalescer.submit('k', 'a', 1, deadline());
    await nextTurn();
    for (const input of ['b', 'c', 'd']) void coalescer.submit('k', input, 1, deadline());
    expect(calls.map((c) => c.inputs)).toEqual([['a'], ['b', 'c', 'd']]);
    void coalescer.submit('k', 'heavy', 8, deadline());
    void coalescer.submit('k', 'e', 3, deadline());
    expect(calls.map((c) => c.inputs)).toEqual([['a'], ['b', 'c', 'd'], ['heavy']]);
    void coalescer.submit('k', 'huge', 50, deadline());
    expect(calls.map((c) => c.inputs)).toEqual([['a'], ['b', 'c', 'd'], ['heavy'], ['e'], ['huge']]);
    calls.forEach((c) => c.resolve([]));
  });

  it('a member with little time left does not wait for a batch, and the call has its own deadline', async () => {
    void coalescer.submit('k', 'a', 1, deadline());
    await nextTurn();
    const near = deadline(500);
    void coalescer.submit('k', 'hurried', 1, near);
    expect(calls.map((c) => c.inputs)).toEqual([['a'], ['hurried']]);
    expect(calls[1].deadline).toBe(near);
    calls.forEach((c) => c.resolve([]));
  });

  it('a shared call runs until the latest deadline of its members', async () => {
    const late = deadline(20_000);
    void coalescer.submit('k', 'a', 1, deadline(5_000));
    void coalescer.submit('k', 'b', 1, late);
    await nextTurn();
    expect(calls[0].deadline.at).toBe(late.at);
    calls[0].resolve([]);
  });

  it('answers a member at its own deadline while the others keep waiting for the call', async () => {
    coalescer = make({ ...LIMITS, minWaitMs: 0 });
    const short = deadline(50);
    const hurried = coalescer.submit('k', 'a', 1, short);
    const patient = coalescer.submit('k', 'b', 1, deadline());
    await nextTurn();
    await expect(hurried).rejects.toThrow('timeout');
    calls[0].resolve(['late']);
    await expect(patient).resolves.toEqual(['late']);
  });

  it('gives a failed call to every member, and an expired deadline is refused at once', async () => {
    const a = coalescer.submit('k', 'a', 1, deadline());
    const b = coalescer.submit('k', 'b', 1, deadline());
    await nextTurn();
    calls[0].reject(new Error('upstream down'));
    await expect(a).rejects.toThrow('upstream down');
    await expect(b).rejects.toThrow('upstream down');
    const gone = new Deadline(Date.now() - 1);
    deadlines.push(gone);
    await expect(coalescer.submit('k', 'c', 1, gone)).rejects.toThrow('timeout');
    expect(calls).toHaveLength(1);
  });
});
