import { DefenderContext } from './defender-context';
import { DefenderHttpClient } from './defender-http.client';
import { TtlCache } from './ttl-cache';

/**
 * Reads one slow-changing Defender entity by id (machine or file profile): once per request,
 * shared with concurrent requests of the same credential, cached briefly across requests; 404
 * means "Defender does not know it" (undefined), which is cached too. The caller's credentials are
 * proven (a token obtained) before the cache is consulted, and the cache is keyed by credential:
 * a caller holding another app's id, a wrong secret or no permission never reads what a
 * legitimate caller fetched.
 */
export class ProfileReader<T> {
  private readonly cache: TtlCache<T | null>;

  constructor(
    private readonly client: DefenderHttpClient,
    private readonly kind: string,
    ttlMs: number,
  ) {
    this.cache = new TtlCache(ttlMs);
  }

  /** `fresh` skips the cache (what the caller is about to act on must be current) and refreshes it. */
  read(ctx: DefenderContext, id: string, path: string, { fresh = false } = {}): Promise<T | undefined> {
    const key = `${ctx.identity}:${id.toLowerCase()}`;
    const fetch = async () => {
      const { data } = await this.client.request<T>(ctx, { method: 'GET', path, notFoundIsEmpty: true });
      return data ?? null;
    };
    return ctx.once(`${this.kind}:${fresh ? 'fresh:' : ''}${key}`, async () => {
      await this.client.authenticate(ctx);
      if (!fresh) return (await this.cache.getOrFetch(key, fetch)) ?? undefined;
      const found = await fetch();
      this.cache.set(key, found);
      return found ?? undefined;
    });
  }
}
