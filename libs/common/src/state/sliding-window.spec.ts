import { MemoryWindowStore } from './sliding-window';

describe('MemoryWindowStore', () => {
  it('admits up to the limit in any sliding window, then says how long to wait', async () => {
    let now = 1_000_000;
    const store = new MemoryWindowStore(() => now);
    const windows = [{ limit: 3, windowMs: 1000 }];
    for (let i = 0; i < 3; i++) {
      expect(await store.tryAcquire('t', windows)).toBe(0);
      now += 100;
    }
    expect(await store.tryAcquire('t', windows)).toBe(700); // the first call leaves the window at +1000
    now += 700;
    expect(await store.tryAcquire('t', windows)).toBe(0);
  });

  it('never lets 2× the limit through across a window boundary', async () => {
    let now = 0;
    const store = new MemoryWindowStore(() => now);
    const windows = [{ limit: 10, windowMs: 1000 }];
    let admitted = 0;
    for (now = 900; now < 1100; now += 5) if ((await store.tryAcquire('t', windows)) === 0) admitted++;
    expect(admitted).toBe(10);
  });

  it('checks every window and keeps tenants apart', async () => {
    const store = new MemoryWindowStore(() => 0);
    const windows = [
      { limit: 5, windowMs: 1000 },
      { limit: 2, windowMs: 60_000 },
    ];
    expect(await store.tryAcquire('a', windows)).toBe(0);
    expect(await store.tryAcquire('a', windows)).toBe(0);
    expect(await store.tryAcquire('a', windows)).toBe(60_000);
    expect(await store.tryAcquire('b', windows)).toBe(0);
  });
});

describe('MemoryWindowStore, several calls at once', () => {
  it('admits a group of calls all or none', async () => {
    let now = 0;
    const store = new MemoryWindowStore(() => now);
    const windows = [{ limit: 5, windowMs: 1000 }];
    expect(await store.tryAcquire('t', windows, 3)).toBe(0);
    now = 100;
    expect(await store.tryAcquire('t', windows, 3)).toBe(900); // needs the first three to leave
    expect(await store.tryAcquire('t', windows, 2)).toBe(0);
    expect(await store.tryAcquire('t', windows, 1)).toBe(900); // full: the oldest leaves at 1000
    expect(await store.tryAcquire('t', windows, 6)).toBe(1000); // never fits: a whole window
  });
});
