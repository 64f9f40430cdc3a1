import { Injectable } from '@nestjs/common';
import { DefenderContext } from '../http/defender-context';
import { DefenderHttpClient } from '../http/defender-http.client';
import { apiPath, odataDateTime, odataString } from '../http/encode';
import { listPages } from '../http/paging';
import { Indicator } from '../models';

interface IndicatorList {
  value?: Indicator[];
}

/** Custom indicators (`/api/indicators`); always read fresh (C-95). */
@Injectable()
export class IndicatorsRepository {
  constructor(private readonly client: DefenderHttpClient) {}

  /**
   * Indicators whose value is exactly `value` (OData literal with doubled quotes, C-23); none when
   * Defender answers 404 for a value it knows nothing of.
   */
  async byValue(ctx: DefenderContext, value: string): Promise<Indicator[]> {
    const { data } = await this.client.request<IndicatorList>(ctx, {
      method: 'GET',
      path: 'indicators',
      query: { $filter: `indicatorValue eq ${odataString(value)}` },
      notFoundIsEmpty: true,
    });
    return Array.isArray(data?.value) ? data.value : [];
  }

  /** Submits (or updates: Defender upserts by value and type) an indicator. */
  async create(ctx: DefenderContext, body: Record<string, unknown>): Promise<Indicator | undefined> {
    const { data } = await this.client.request<Indicator>(ctx, { method: 'POST', path: 'indicators', body });
    return data;
  }

  async delete(ctx: DefenderContext, id: string): Promise<void> {
    await this.client.request(ctx, { method: 'DELETE', path: apiPath`indicators/${id}` });
  }

  /** Indicators created at or after `since` (epoch ms), a page at a time. */
  createdSince(ctx: DefenderContext, since: number): AsyncGenerator<Indicator[]> {
    return listPages<Indicator>(this.client, ctx, { path: 'indicators', filter: `creationTimeDateTimeUtc ge ${odataDateTime(since)}`, noun: 'indicators' });
  }
}
