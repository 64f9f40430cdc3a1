import { MemoryWindowStore, RelayError } from '@app/common';
import { apiName } from './api-names';
import { Deadline } from './deadline';
import { TenantRateLimiter } from './rate-limiter';

describe('TenantRateLimiter', () => {
  it('waits for a slot when the deadline allows, and counts the wait', async () => {
    const waits: number[] = [];
    const store = { tryAcquire: jest.fn().mockResolvedValueOnce(300).mockResolvedValueOnce(0), available: jest.fn() };
    const limiter = new TenantRateLimiter(() => store, async (ms) => void waits.push(ms));
    const waited = await limiter.acquire('t', 'hunting', Deadline.in(5000));
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(300);
    expect(waited).toBe(waits[0]);
  });

  it('answers too many requests with the retry time when the wait would pass the deadline', async () => {
    const store = { tryAcquire: jest.fn().mockResolvedValue(42_000), available: jest.fn() };
    const limiter = new TenantRateLimiter(() => store);
    const error = await limiter.acquire('t', 'hunting', Deadline.in(1000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RelayError);
    expect(error).toMatchObject({ code: 'too many requests', retryAfterSeconds: 42 });
    expect((error as RelayError).message).toBe('Advanced Hunting API rate limit for this tenant is reached; retry after 42 s');
  });
});

describe('per-API general quota', () => {
  it('names the API of a path as Defender counts it', () => {
    expect(apiName('files/abc/alerts')).toBe('files/alerts');
    expect(apiName('ips/10.0.0.1/alerts')).toBe('ips/alerts');
    expect(apiName('machines/abc/isolate')).toBe('machines/isolate');
    expect(apiName('machines/abc')).toBe('machines');
    expect(apiName('alerts')).toBe('alerts');
    expect(apiName('indicators/12')).toBe('indicators');
  });

  it('counts the general quota per API and the hunting quota per tenant', async () => {
    const keys: string[] = [];
    const limiter = new TenantRateLimiter(() => ({ tryAcquire: async (key: string) => (keys.push(key), 0), available: async () => 0 }));
    await limiter.acquire('t', 'general', Deadline.in(1000), 'files/alerts');
    await limiter.acquire('t', 'hunting', Deadline.in(1000), 'advancedqueries/run');
    expect(keys).toEqual(['general:files/alerts:t', 'hunting:t']);
  });
});

describe('free slots', () => {
  it('answers the free slots of the same quota acquire takes from, and takes none', async () => {
    const store = new MemoryWindowStore();
    const limiter = new TenantRateLimiter(() => store);
    await limiter.acquire('t', 'general', Deadline.in(1000), 'files/alerts', 30);
    expect(await limiter.available('t', 'general', 'files/alerts')).toBe(70);
    expect(await limiter.available('t', 'general', 'files/alerts')).toBe(70);
    expect(await limiter.available('t', 'general', 'ips/alerts')).toBe(100);
    expect(await limiter.available('t', 'hunting')).toBe(45);
    expect(await limiter.available('other', 'general', 'files/alerts')).toBe(100);
  });
});
