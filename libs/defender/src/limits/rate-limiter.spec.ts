import { RelayError } from '@app/common';
import { Deadline } from '../http/deadline';
import { TenantRateLimiter } from './rate-limiter';

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
