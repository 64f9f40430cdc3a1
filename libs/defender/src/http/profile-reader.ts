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

  read(ctx: DefenderContext, id: string, path: string): Promise<T | undefined> {
    const key = `${ctx.identity}:${id.toLowerCase()}`;
    return ctx.once(`${this.kind}:${key}`, async () => {
      await this.client.authenticate(ctx);
      const found = await this.cache.getOrFetch(key, async () => {
        const { data } = await this.client.request<T>(ctx, { method: 'GET', path, notFoundIsEmpty: true });
        return data ?? null;
      });
      return found ?? undefined;
    });
  }
}
