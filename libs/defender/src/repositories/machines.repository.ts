import { defenderConfig } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DefenderContext } from '../http/defender-context';
import { DefenderHttpClient } from '../http/defender-http.client';
import { apiPath } from '../http/encode';
import { ProfileReader } from '../http/profile-reader';
import { Machine } from '../models';

/** Machine profiles (`/api/machines/{id}`). */
@Injectable()
export class MachinesRepository {
  private readonly reader: ProfileReader<Machine>;

  constructor(client: DefenderHttpClient, @Inject(defenderConfig.KEY) config: ConfigType<typeof defenderConfig>) {
    this.reader = new ProfileReader(client, 'machine', config.profileCacheTtlMs);
  }

  /** The machine, or undefined when Defender does not know it. */
  machine(ctx: DefenderContext, id: string): Promise<Machine | undefined> {
    return this.reader.read(ctx, id, apiPath`machines/${id}`);
  }

  /** The machine read now, not from the profile cache: its tags decide what is offered (C-95). */
  current(ctx: DefenderContext, id: string): Promise<Machine | undefined> {
    return this.reader.read(ctx, id, apiPath`machines/${id}`, { fresh: true });
  }
}
