import { Semaphore } from './semaphore';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Semaphore', () => {
  it('runs up to its limit at once and queues the rest', async () => {
    const slots = new Semaphore(2);
    const gates = [deferred(), deferred(), deferred()];
    let running = 0;
    let most = 0;
    const runs = gates.map((gate) =>
      slots.run(async () => {
        running++;
        most = Math.max(most, running);
        await gate.promise;
        running--;
      }),
    );
    await Promise.resolve();
    expect(running).toBe(2);
    gates.forEach((gate) => gate.resolve());
    await Promise.all(runs);
    expect(most).toBe(2);
    expect(slots.idle).toBe(true);
  });

  it('gives a freed slot to the caller waiting for it, not to one arriving before that caller resumes', async () => {
    const slots = new Semaphore(1);
    const first = deferred();
    const started: string[] = [];
    const runs = [slots.run(() => first.promise), slots.run(async () => void started.push('waiting'))];
    first.resolve();
    let newcomer: Promise<void> | undefined;
    queueMicrotask(() => (newcomer = slots.run(async () => void started.push('newcomer'))));
    await Promise.all(runs);
    await newcomer;
    expect(started).toEqual(['waiting', 'newcomer']);
    expect(slots.idle).toBe(true);
  });

  it('frees the slot when the task fails', async () => {
    const slots = new Semaphore(1);
    await expect(slots.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slots.run(async () => 'next')).resolves.toBe('next');
    expect(slots.idle).toBe(true);
  });
});
