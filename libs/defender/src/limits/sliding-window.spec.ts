import { RelayError } from '@app/common';
import { Deadline } from '../http/deadline';
import { TenantRateLimiter } from './rate-limiter';
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

describe('TenantRateLimiter', () => {
  it('waits for a slot when the deadline allows, and counts the wait', async () => {
    const waits: number[] = [];
    const store = { tryAcquire: jest.fn().mockResolvedValueOnce(300).mockResolvedValueOnce(0) };
    const limiter = new TenantRateLimiter(() => store, async (ms) => void waits.push(ms));
    await limiter.acquire('t', 'hunting', Deadline.in(5000));
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(300);
    expect(limiter.stats.waits).toBe(1);
  });

  it('answers too many requests with the retry time when the wait would pass the deadline', async () => {
    const store = { tryAcquire: jest.fn().mockResolvedValue(42_000) };
    const limiter = new TenantRateLimiter(() => store);
    const error = await limiter.acquire('t', 'hunting', Deadline.in(1000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RelayError);
    expect(error).toMatchObject({ code: 'too many requests', retryAfterSeconds: 42 });
    expect((error as RelayError).message).toBe('Advanced Hunting API rate limit for this tenant is reached; retry after 42 s');
  });
});
