import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { KeyValueStore } from './key-value';
import { Window, WindowStore } from './sliding-window';

// `MemoryWindowStore`'s log, atomic in Redis; Redis's own clock keeps replicas consistent.
const SLIDING_LOG = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wanted = tonumber(ARGV[2])
local wait = 0
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[2 * i + 1])
  local window = tonumber(ARGV[2 * i + 2])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local excess = redis.call('ZCARD', key) + wanted - limit
  if excess > 0 then
    local w = window
    if wanted <= limit then
      local oldest = redis.call('ZRANGE', key, excess - 1, excess - 1, 'WITHSCORES')
      w = tonumber(oldest[2]) + window - now
    end
    if w > wait then wait = w end
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  for n = 1, wanted do
    redis.call('ZADD', key, now, ARGV[1] .. ':' .. n)
  end
  redis.call('PEXPIRE', key, tonumber(ARGV[2 * i + 2]))
end
return 0
`;

const FREE_SLOTS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local free = nil
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[2 * i - 1])
  local window = tonumber(ARGV[2 * i])
  local held = redis.call('ZCOUNT', key, '(' .. (now - window), '+inf')
  local left = math.max(0, limit - held)
  if free == nil or left < free then free = left end
end
return free or 0
`;

export class RedisWindowStore implements WindowStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async tryAcquire(key: string, windows: readonly Window[], count = 1): Promise<number> {
    // One hash tag per tenant bucket keeps a script's keys in one cluster slot.
    const keys = windows.map((w) => `${this.prefix}rl:{${key}}:${w.windowMs}`);
    const args = [randomUUID(), String(count), ...windows.flatMap((w) => [String(w.limit), String(w.windowMs)])];
    const wait = await this.redis.eval(SLIDING_LOG, keys.length, ...keys, ...args);
    return Number(wait);
  }

  async available(key: string, windows: readonly Window[]): Promise<number> {
    const keys = windows.map((w) => `${this.prefix}rl:{${key}}:${w.windowMs}`);
    const args = windows.flatMap((w) => [String(w.limit), String(w.windowMs)]);
    return Number(await this.redis.eval(FREE_SLOTS, keys.length, ...keys, ...args));
  }
}

export class RedisKeyValueStore implements KeyValueStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + key, value, 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.prefix + key, value, 'PX', Math.max(1, Math.round(ttlMs)), 'NX')) === 'OK';
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}
