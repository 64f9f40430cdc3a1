import { TtlCache } from '@app/common';
import { DefenderContext } from './defender-context';
import { DefenderHttpClient } from './defender-http.client';

// Credentials are proven (a token obtained) before the per-credential cache is read: a wrong secret
// never reads what a legitimate caller fetched. A 404 (undefined) is cached too.
export class ProfileReader<T> {
  private readonly cache: TtlCache<T | null>;

  constructor(
    private readonly client: DefenderHttpClient,
    private readonly kind: string,
    ttlMs: number,
  ) {
    this.cache = new TtlCache(ttlMs);
  }

  /** `fresh`: what the caller is about to act on must be current. */
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
