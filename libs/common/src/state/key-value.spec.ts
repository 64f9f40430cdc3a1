import { MemoryKeyValueStore } from './key-value';

describe('MemoryKeyValueStore', () => {
  it('expires values, and setIfAbsent sets only an absent or expired key', async () => {
    const store = new MemoryKeyValueStore();
    await store.set('a', '1', 60_000);
    expect(await store.get('a')).toBe('1');
    expect(await store.setIfAbsent('a', '2', 60_000)).toBe(false);
    await store.set('b', '1', -1);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.setIfAbsent('b', '2', 60_000)).toBe(true);
    expect(await store.get('b')).toBe('2');
  });

  it('stays bounded under 30,000 distinct keys (token cache keys name tenants and clients)', async () => {
    const store = new MemoryKeyValueStore(500);
    for (let i = 0; i < 30_000; i++) await store.set(`token:tenant-${i}:client`, 'sealed', 3_600_000);
    expect(store.size).toBeLessThanOrEqual(500);
    expect(await store.get('token:tenant-0:client')).toBeUndefined();
    expect(await store.get('token:tenant-29999:client')).toBe('sealed');
  });

  it('sweeps expired entries a minute after the last sweep', async () => {
    let now = 0;
    const store = new MemoryKeyValueStore(20_000, () => now);
    for (let i = 0; i < 1_000; i++) await store.set(`lock-${i}`, '1', 10_000);
    await store.set('token', 'sealed', 3_600_000);
    expect(store.size).toBe(1_001);
    now = 60_000;
    await store.set('another', '1', 10_000);
    expect(store.size).toBe(2);
    expect(await store.get('token')).toBe('sealed');
  });
});
