import { MAX_WINDOW_LOGS, MemoryWindowStore } from './sliding-window';

const PER_MINUTE_AND_HOUR = [
  { limit: 100, windowMs: 60_000 },
  { limit: 1_500, windowMs: 3_600_000 },
];

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

  it('says how many calls it would admit now, by the tightest window, without taking any', async () => {
    let now = 1_000_000;
    const store = new MemoryWindowStore(() => now);
    const windows = [
      { limit: 5, windowMs: 1000 },
      { limit: 3, windowMs: 10_000 },
    ];
    expect(await store.available('t', windows)).toBe(3);
    expect(await store.tryAcquire('t', windows, 2)).toBe(0);
    expect(await store.available('t', windows)).toBe(1);
    expect(await store.available('t', windows)).toBe(1); // asking took nothing
    expect(await store.available('other', windows)).toBe(3);
    now += 10_000; // both calls have left every window
    expect(await store.available('t', windows)).toBe(3);
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

describe('MemoryWindowStore bounds (keys are chosen by callers)', () => {
  it('holds at most MAX_WINDOW_LOGS logs after 30,000 distinct tenants within one window', async () => {
    let now = 0;
    const store = new MemoryWindowStore(() => now);
    let refused = 0;
    let largest = 0;
    for (let i = 0; i < 30_000; i++) {
      if ((await store.tryAcquire(`general:alerts:tenant-${i}`, PER_MINUTE_AND_HOUR)) !== 0) refused++;
      now += 1;
      largest = Math.max(largest, store.size);
    }
    expect({ refused, largest }).toEqual({ refused: 0, largest: MAX_WINDOW_LOGS });
    expect(store.size).toBeGreaterThanOrEqual(0.9 * MAX_WINDOW_LOGS);
  });

  it('sweeps logs whose calls have all left their window, and keeps the ones still limiting', async () => {
    let now = 0;
    const store = new MemoryWindowStore(() => now);
    const minute = [{ limit: 2, windowMs: 60_000 }];
    const hour = [{ limit: 2, windowMs: 3_600_000 }];
    for (let i = 0; i < 1_000; i++) await store.tryAcquire(`idle-${i}`, minute);
    await store.tryAcquire('busy', hour);
    await store.tryAcquire('busy', hour);
    expect(store.size).toBe(1_001);
    now = 61_000;
    await store.tryAcquire('other', minute);
    expect(store.size).toBe(2);
    expect(await store.tryAcquire('busy', hour)).toBe(3_600_000 - 61_000);
  });

  it('drops the least recently used log at the bound, never the one limiting a busy tenant', async () => {
    let now = 0;
    const store = new MemoryWindowStore(() => now, 3);
    const windows = [{ limit: 1, windowMs: 60_000 }];
    await store.tryAcquire('a', windows);
    await store.tryAcquire('b', windows);
    await store.tryAcquire('c', windows);
    now = 10;
    expect(await store.tryAcquire('a', windows)).toBe(59_990); // refused, and now the most recently used
    await store.tryAcquire('d', windows); // drops b
    expect(store.size).toBe(3);
    expect(await store.tryAcquire('a', windows)).toBe(59_990);
    expect(await store.tryAcquire('c', windows)).toBe(59_990);
    expect(await store.tryAcquire('b', windows)).toBe(0);
  });
});
