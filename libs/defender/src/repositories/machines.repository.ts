import { defenderConfig } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DefenderContext } from '../http/defender-context';
import { DefenderHttpClient } from '../http/defender-http.client';
import { apiPath } from '../http/encode';
import { TtlCache } from '../http/ttl-cache';
import { Machine } from '../models';

/** Machine profiles (`/api/machines/{id}`): once per request, cached briefly across requests (C-95). */
@Injectable()
export class MachinesRepository {
  private readonly cache: TtlCache<Machine | null>;

  constructor(
    private readonly client: DefenderHttpClient,
    @Inject(defenderConfig.KEY) config: ConfigType<typeof defenderConfig>,
  ) {
    this.cache = new TtlCache(config.profileCacheTtlMs);
  }

  /** The machine, or undefined when Defender does not know it. */
  machine(ctx: DefenderContext, id: string): Promise<Machine | undefined> {
    const key = `${ctx.credentials.tenantId}:${id.toLowerCase()}`;
    return ctx.once(`machine:${key}`, async () => {
      const machine = await this.cache.getOrFetch(key, async () => {
        const { data } = await this.client.request<Machine>(ctx, { method: 'GET', path: apiPath`machines/${id}`, notFoundIsEmpty: true });
        return data ?? null;
      });
      return machine ?? undefined;
    });
  }
}
