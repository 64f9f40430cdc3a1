import { Injectable } from '@nestjs/common';
import { domainToASCII } from 'node:url';
import { DefenderContext } from '../http/defender-context';
import { DefenderHttpClient } from '../http/defender-http.client';
import { apiPath } from '../http/encode';
import { PrevalenceStats } from '../models';

export type PrevalenceOf = 'file' | 'ip' | 'domain';

/** Defender's statistics of a file (by SHA-1), an IP or a domain over its default 30 days; undefined on 404. */
@Injectable()
export class PrevalenceRepository {
  constructor(private readonly client: DefenderHttpClient) {}

  async stats(ctx: DefenderContext, of: PrevalenceOf, value: string): Promise<PrevalenceStats | undefined> {
    const path =
      of === 'file' ? apiPath`files/${value}/stats` : of === 'ip' ? apiPath`ips/${value}/stats` : apiPath`domains/${domainToASCII(value) || value}/stats`;
    const { data } = await this.client.request<PrevalenceStats>(ctx, { method: 'GET', path, notFoundIsEmpty: true });
    return data ?? undefined;
  }
}
