import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { sign } from 'jsonwebtoken';
import { generateKeyPairSync } from 'node:crypto';
import { RedisWindowStore } from '../libs/common/src/state/redis-stores';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID, Sandbox, startSandbox } from '../apps/defender-sandbox/src';
import { attachRelay, RelayHarness } from './support/relay-harness';
import { describeWithRedis, RedisServer, startRedis } from './support/redis';
import { DEMO_CLAIMS, TEST_PUBLIC_URL } from './support/tokens';

describeWithRedis('shared state in Redis across replicas', () => {
  let redis: RedisServer;
  let sandbox: Sandbox;
  let replicas: RelayHarness[];

  beforeAll(async () => {
    redis = await startRedis();
    sandbox = await startSandbox({ rateLimits: true });
    // A deadline that admitted requests cannot run out of on a busy machine; refused ones are
    // refused at once all the same, as a slot frees only a minute after it was taken.
    const env = { REDIS_URL: redis.url, DEFENDER_RATE_LIMIT: 'on', REQUEST_DEADLINE_MS: '20000' };
    replicas = [await attachRelay(sandbox, env), await attachRelay(sandbox, env)];
  });
  afterAll(async () => {
    await Promise.all((replicas ?? []).map((r) => r.close()));
    await sandbox?.close();
    await redis?.stop();
  });

  it('fetches one token per API between two replicas, even when both miss at once', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => replicas[i % 2].post('/health')));
    expect(results.map((r) => r.body)).toEqual(Array(10).fill({ data: expect.objectContaining({ status: 'ok', hunting: 'graph' }) }));
    // /health learns the hunting API through Graph, which has its own token.
    expect(sandbox.stats.entries('token').map((e) => (e.body as { resource?: string }).resource).sort()).toEqual([
      'https://api.securitycenter.microsoft.com',
      'https://graph.microsoft.com',
    ]);
  });

  it('keeps tokens sealed in Redis under keys namespaced by tenant and client', async () => {
    const client = new Redis(redis.url);
    try {
      const keys = await client.keys('defender-relay:token:*');
      const key = expect.stringMatching(new RegExp(`^defender-relay:token:${DEMO_TENANT_ID}:${DEMO_CLIENT_ID}:[0-9a-f]{32}$`));
      expect(keys).toEqual([key, key]);
      for (const k of keys) {
        const stored = (await client.get(k)) ?? '';
        expect(stored).not.toContain(DEMO_CLIENT_SECRET);
        const { sealed, refreshAt } = JSON.parse(stored) as { sealed: string; refreshAt: number };
        expect(refreshAt).toBeGreaterThan(Date.now());
        // AES-GCM output: no readable run that could be a token.
        expect(Buffer.from(sealed, 'base64').toString('latin1')).not.toMatch(/[A-Za-z0-9_.-]{16,}/);
      }
    } finally {
      client.disconnect();
    }
  });

  it('answers the free slots of a quota in Redis, by the tightest window, without taking any', async () => {
    const client = new Redis(redis.url);
    try {
      const store = new RedisWindowStore(client, 'free-slots-test:');
      const windows = [
        { limit: 5, windowMs: 60_000 },
        { limit: 3, windowMs: 3_600_000 },
      ];
      expect(await store.available('t', windows)).toBe(3);
      expect(await store.tryAcquire('t', windows, 2)).toBe(0);
      expect(await store.available('t', windows)).toBe(1);
      expect(await store.available('t', windows)).toBe(1);
      expect(await store.available('other', windows)).toBe(3);
    } finally {
      client.disconnect();
    }
  });

  it('keeps two replicas together under the tenant limit: the relay refuses, Defender never answers 429', async () => {
    sandbox.stats.reset();
    // 100 general calls a minute per tenant; each /health makes one. 130 requests spread over two
    // replicas: the shared limiter admits at most the remaining slots and refuses the rest, whose
    // wait for a free slot would pass the request deadline.
    const results = await Promise.all(Array.from({ length: 130 }, (_, i) => replicas[i % 2].post('/health')));
    const ok = results.filter((r) => r.body.data?.status === 'ok').length;
    const limited = results.filter((r) => r.body.errors?.[0]?.code === 'too many requests');
    expect(ok + limited.length).toBe(130);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0].body.errors[0].message).toMatch(/rate limit for this tenant is reached; retry after \d+ s$/);
    expect(sandbox.stats.entries().filter((e) => e.status === 429)).toHaveLength(0);
    expect(sandbox.stats.count('alerts.list')).toBeLessThanOrEqual(100);
  });

  it('does not take a key set written into Redis by someone else: RS256 tokens signed with it are refused', async () => {
    const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = attacker.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const name = `defender-relay:jwks:${sandbox.url}/.well-known/jwks`;
    const claims = { ...DEMO_CLAIMS, jwks_host: new URL(sandbox.url).host, aud: TEST_PUBLIC_URL };
    const client = new Redis(redis.url);
    try {
      const planted = JSON.stringify({ keys: { evil: pem }, fetchedAt: Date.now() });
      for (const value of [planted, JSON.stringify({ body: planted, mac: 'AAAA' })]) {
        // A fresh replica has no key set in memory, so it reads the shared one.
        const fresh = await attachRelay(sandbox, { REDIS_URL: redis.url });
        try {
          await client.set(name, value, 'PX', 60_000);
          const forged = sign(claims, attacker.privateKey, { algorithm: 'RS256', keyid: 'evil' });
          const res = await fresh.post('/refer/observables', [], { token: forged });
          expect(res.body).toEqual({ errors: [{ type: 'fatal', code: 'authorization error', message: 'Authorization failed: kid from JWT header not found in API response' }] });
          // The relay replaced the planted value with the real key set, sealed; the sandbox's keys work.
          const stored = JSON.parse((await client.get(name)) ?? '{}') as { body?: string; mac?: string };
          expect(stored.mac).toMatch(/^[A-Za-z0-9+/]{43}=$/);
          expect(Object.keys(JSON.parse(stored.body ?? '{}').keys)).toEqual(sandbox.jwks.kids);
          expect((await fresh.post('/refer/observables', [], { token: sandbox.jwks.sign(claims) })).body).toEqual({ data: [] });
        } finally {
          await fresh.close();
        }
      }
    } finally {
      client.disconnect();
    }
  });

  it('falls back to memory with a logged warning when Redis goes away, and keeps serving', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    await redis.stop();
    const results = await Promise.all(replicas.map((r) => r.post('/refer/observables', [{ type: 'ip', value: '10.0.0.1' }])));
    for (const r of results) expect(r.body.data).toHaveLength(1);
    const deliberate = await replicas[0].post('/deliberate/observables', [{ type: 'domain', value: 'nothing-here.example' }]);
    expect(deliberate.body.errors?.filter((e: { code: string }) => e.code !== 'too many requests') ?? []).toEqual([]);
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual(expect.arrayContaining([expect.stringMatching(/^Redis unavailable .*fall back to this process's memory$/)]));
    warn.mockRestore();
  });
});
