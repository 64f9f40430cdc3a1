import { defenderConfig } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DefenderContext } from '../http/defender-context';
import { DefenderHttpClient } from '../http/defender-http.client';
import { apiPath } from '../http/encode';
import { TtlCache } from '../http/ttl-cache';
import { FileProfile } from '../models';

/** File profiles (`/api/files/{sha1|sha256|md5}`): fetched once per request, cached briefly across requests. */
@Injectable()
export class FilesRepository {
  private readonly cache: TtlCache<FileProfile | null>;

  constructor(
    private readonly client: DefenderHttpClient,
    @Inject(defenderConfig.KEY) config: ConfigType<typeof defenderConfig>,
  ) {
    this.cache = new TtlCache(config.profileCacheTtlMs);
  }

  /** The profile, or undefined when Defender has never seen the file (404 means "nothing found"). */
  profile(ctx: DefenderContext, hash: string): Promise<FileProfile | undefined> {
    const key = `${ctx.credentials.tenantId}:${hash.toLowerCase()}`;
    return ctx.once(`file:${key}`, async () => {
      const profile = await this.cache.getOrFetch(key, async () => {
        const { data } = await this.client.request<FileProfile>(ctx, { method: 'GET', path: apiPath`files/${hash}`, notFoundIsEmpty: true });
        return data ?? null;
      });
      return profile ?? undefined;
    });
  }
}
