import { TtlCache } from './ttl-cache';

describe('TtlCache', () => {
  it('shares one fetch between concurrent callers and caches its result', async () => {
    const cache = new TtlCache<string>(60_000);
    let fetches = 0;
    const fetch = async () => {
      fetches++;
      await new Promise((r) => setTimeout(r, 10));
      return 'profile';
    };
    expect(await Promise.all([cache.getOrFetch('k', fetch), cache.getOrFetch('k', fetch)])).toEqual(['profile', 'profile']);
    expect(await cache.getOrFetch('k', fetch)).toBe('profile');
    expect(fetches).toBe(1);
  });

  it('does not keep a failed fetch, and with a zero TTL only shares fetches in flight', async () => {
    const cache = new TtlCache<string>(0);
    await expect(cache.getOrFetch('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    let fetches = 0;
    await cache.getOrFetch('k', async () => (fetches++, 'a'));
    await cache.getOrFetch('k', async () => (fetches++, 'b'));
    expect(fetches).toBe(2);
  });

  it('shares a value `keep` refuses with the callers waiting for it, but fetches again next time', async () => {
    const cache = new TtlCache<{ partial: boolean }>(60_000);
    let fetches = 0;
    const fetch = async () => {
      fetches++;
      await new Promise((r) => setTimeout(r, 10));
      return { partial: fetches === 1 };
    };
    const keep = (v: { partial: boolean }) => !v.partial;
    const [a, b] = await Promise.all([cache.getOrFetch('k', fetch, keep), cache.getOrFetch('k', fetch, keep)]);
    expect([a, b, fetches]).toEqual([{ partial: true }, { partial: true }, 1]);
    expect(await cache.getOrFetch('k', fetch, keep)).toEqual({ partial: false });
    expect(await cache.getOrFetch('k', fetch, keep)).toEqual({ partial: false });
    expect(fetches).toBe(2);
  });

  it('stays bounded under 30,000 distinct keys (they name tenants and caller-chosen ids)', async () => {
    const cache = new TtlCache<string>(60_000, 500);
    for (let i = 0; i < 30_000; i++) cache.set(`tenant:${i}`, 'profile');
    expect(cache.get('tenant:29999')).toBe('profile');
    expect(cache.get('tenant:29000')).toBeUndefined();
    let fetches = 0;
    await cache.getOrFetch('tenant:0', async () => (fetches++, 'again'));
    expect(fetches).toBe(1);
  });

  it('expires entries by its clock, and forgets a deleted one at once', () => {
    let now = 1_000;
    const cache = new TtlCache<string>(100, 10, () => now);
    cache.set('a', 'x');
    cache.set('b', 'y');
    now += 99;
    expect(cache.get('a')).toBe('x');
    cache.delete('b');
    expect(cache.get('b')).toBeUndefined();
    now += 1;
    expect(cache.get('a')).toBeUndefined();
  });
});
