import { defenderConfig } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DefenderContext } from '../http/defender-context';
import { DefenderHttpClient } from '../http/defender-http.client';
import { apiPath } from '../http/encode';
import { listPages, PagesRead, readPages } from '../http/paging';
import { ProfileReader } from '../http/profile-reader';
import { Machine } from '../models';

@Injectable()
export class MachinesRepository {
  private readonly reader: ProfileReader<Machine>;

  constructor(
    private readonly client: DefenderHttpClient,
    @Inject(defenderConfig.KEY) config: ConfigType<typeof defenderConfig>,
  ) {
    this.reader = new ProfileReader(client, 'machine', config.profileCacheTtlMs);
  }

  machine(ctx: DefenderContext, id: string): Promise<Machine | undefined> {
    return this.reader.read(ctx, id, apiPath`machines/${id}`);
  }

  /** Every device of the tenant, a page at a time; always fresh. */
  all(ctx: DefenderContext, add: (page: Machine[]) => void): Promise<PagesRead> {
    return readPages(listPages<Machine>(this.client, ctx, { path: 'machines', noun: 'devices' }), add);
  }

  /** The machine read now, not from the profile cache: its tags decide what is offered. */
  current(ctx: DefenderContext, id: string): Promise<Machine | undefined> {
    return this.reader.read(ctx, id, apiPath`machines/${id}`, { fresh: true });
  }
}
