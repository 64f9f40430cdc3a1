import { Sandbox, startSandbox } from '../apps/defender-sandbox/src';
import { relayEnv, request } from './support/relay-harness';
import { describeWithRedis, RedisServer, startRedis, waitForRedisClients } from './support/redis';
import { RelayProcess, startRelayProcess } from '../scripts/relay-process';
import { bearer, hsToken } from './support/tokens';

describeWithRedis('two relay processes sharing one Redis (production entry point)', () => {
  let redis: RedisServer;
  let sandbox: Sandbox;
  let relays: RelayProcess[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    sandbox = await startSandbox({ rateLimits: true });
    // A deadline that admitted requests cannot run out of on a busy machine; refused ones are
    // refused at once all the same, as a slot frees only a minute after it was taken.
    const env = relayEnv(sandbox.url, { REDIS_URL: redis.url, DEFENDER_RATE_LIMIT: 'on', REQUEST_DEADLINE_MS: '20000' });
    relays = await Promise.all([startRelayProcess(env), startRelayProcess(env)]);
    await waitForRedisClients(redis.url, 2);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(relays.map((r) => r.stop()));
    await sandbox?.close();
    await redis?.stop();
  });

  it('fetch one token per API between them and together stay under the tenant limit', async () => {
    const health = (i: number) => request(`${relays[i % 2].url}/health`, { method: 'POST', headers: bearer(hsToken()) });
    const first = await Promise.all(Array.from({ length: 10 }, (_, i) => health(i)));
    expect(first.map((r) => r.body)).toEqual(Array(10).fill({ data: expect.objectContaining({ status: 'ok', hunting: 'graph' }) }));
    // Defender's and Graph's (/health learns the hunting API through Graph).
    expect(sandbox.stats.count('token')).toBe(2);

    // 130 more /health (one general Defender call each) against a 100-a-minute tenant limit.
    const burst = await Promise.all(Array.from({ length: 130 }, (_, i) => health(i)));
    const ok = burst.filter((r) => r.body.data?.status === 'ok').length;
    const limited = burst.filter((r) => r.body.errors?.[0]?.code === 'too many requests').length;
    expect(ok + limited).toBe(130);
    expect(ok).toBe(90);
    expect(sandbox.stats.entries().filter((e) => e.status === 429)).toHaveLength(0);
    expect(sandbox.stats.count('token')).toBe(2);
  });
});
