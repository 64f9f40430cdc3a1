import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type Redis from 'ioredis';
import { stateConfig } from '../config';
import { KeyValueStore, MemoryKeyValueStore } from './key-value';
import { RedisKeyValueStore, RedisWindowStore } from './redis-stores';
import { MemoryWindowStore, Window, WindowStore } from './sliding-window';

const PREFIX = 'defender-relay:';

/** Memory, or Redis shared by replicas; an unreachable Redis falls back to memory so requests keep being served. */
@Injectable()
export class SharedStateService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SharedStateService.name);
  private readonly redisUrl?: string;
  private redis?: Redis;
  private readonly memoryWindows = new MemoryWindowStore();
  private readonly memoryKv = new MemoryKeyValueStore();
  private redisWindows?: RedisWindowStore;
  private redisKv?: RedisKeyValueStore;
  private degraded = false;

  readonly windows: WindowStore = {
    tryAcquire: (key, windows, count) => this.tryAcquire(key, windows, count),
    available: (key, windows) =>
      this.withFallback(() => this.redisWindows?.available(key, windows), () => this.memoryWindows.available(key, windows)),
  };
  readonly kv: KeyValueStore = {
    get: (key) => this.withFallback(() => this.redisKv?.get(key), () => this.memoryKv.get(key)),
    set: (key, value, ttl) => this.withFallback(() => this.redisKv?.set(key, value, ttl), () => this.memoryKv.set(key, value, ttl)),
    setIfAbsent: (key, value, ttl) =>
      this.withFallback(() => this.redisKv?.setIfAbsent(key, value, ttl), () => this.memoryKv.setIfAbsent(key, value, ttl)),
    delete: (key) => this.withFallback(() => this.redisKv?.delete(key), () => this.memoryKv.delete(key)),
  };

  constructor(@Inject(stateConfig.KEY) config: ConfigType<typeof stateConfig>) {
    this.redisUrl = config.redisUrl;
  }

  async onModuleInit(): Promise<void> {
    if (!this.redisUrl) return;
    // Loaded only when configured: most relays run without Redis, and ioredis costs a few MB.
    const { default: RedisClient } = await import('ioredis');
    const redis = new RedisClient(this.redisUrl, {
      // Fail fast while disconnected, so a request falls back to memory instead of waiting.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      commandTimeout: 1_000,
      retryStrategy: () => 1_000,
      lazyConnect: false,
    });
    redis.on('error', () => this.markDegraded('connection error'));
    redis.on('ready', () => {
      if (this.degraded) this.logger.warn('Redis is reachable again: shared state resumes');
      this.degraded = false;
    });
    this.redis = redis;
    this.redisWindows = new RedisWindowStore(redis, PREFIX);
    this.redisKv = new RedisKeyValueStore(redis, PREFIX);
    if (redis.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        redis.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, 3_000);
      redis.once('ready', done);
    });
  }

  get shared(): boolean {
    return this.redisUrl !== undefined;
  }

  private tryAcquire(key: string, windows: readonly Window[], count = 1): Promise<number> {
    return this.withFallback(() => this.redisWindows?.tryAcquire(key, windows, count), () => this.memoryWindows.tryAcquire(key, windows, count));
  }

  private async withFallback<T>(shared: () => Promise<T> | undefined, local: () => Promise<T>): Promise<T> {
    if (this.redis && this.redis.status === 'ready') {
      try {
        const result = shared();
        if (result) return await result;
      } catch (error) {
        this.markDegraded(error instanceof Error ? error.message : 'command failed');
      }
    } else if (this.redis) {
      this.markDegraded(`status ${this.redis.status}`);
    }
    return local();
  }

  private markDegraded(reason: string): void {
    if (this.degraded) return;
    this.degraded = true;
    this.logger.warn(`Redis unavailable (${reason}): rate limits and caches fall back to this process's memory`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.redis) return;
    if (this.redis.status !== 'ready') return this.redis.disconnect();
    const quit = this.redis.quit().catch(() => undefined);
    const timeout = new Promise((resolve) => setTimeout(resolve, 1_000).unref());
    await Promise.race([quit, timeout]);
    this.redis.disconnect();
  }
}
