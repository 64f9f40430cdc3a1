import { defenderConfig } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DefenderContext } from '../http/defender-context';
import { DefenderHttpClient } from '../http/defender-http.client';
import { apiPath } from '../http/encode';
import { ProfileReader } from '../http/profile-reader';
import { FileProfile, Machine } from '../models';

@Injectable()
export class FilesRepository {
  private readonly reader: ProfileReader<FileProfile>;

  constructor(
    private readonly client: DefenderHttpClient,
    @Inject(defenderConfig.KEY) config: ConfigType<typeof defenderConfig>,
  ) {
    this.reader = new ProfileReader(client, 'file', config.profileCacheTtlMs);
  }

  /** The profile, or undefined when Defender has never seen the file (404 means "nothing found"). */
  profile(ctx: DefenderContext, hash: string, options: { fresh?: boolean } = {}): Promise<FileProfile | undefined> {
    return this.reader.read(ctx, hash, apiPath`files/${hash}`, options);
  }

  /** The devices that have the file (SHA-1 only); none for a file Defender does not know (200 empty or 404). Always fresh. */
  async machines(ctx: DefenderContext, sha1: string): Promise<Machine[]> {
    const { data } = await this.client.request<{ value?: Machine[] }>(ctx, { method: 'GET', path: apiPath`files/${sha1}/machines`, notFoundIsEmpty: true });
    return Array.isArray(data?.value) ? data.value : [];
  }
}
