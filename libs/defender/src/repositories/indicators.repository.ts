import { Clock, CLOCK, defenderConfig, RelayError, respondConfig } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DefenderContext } from '../http/defender-context';
import { DefenderHttpClient } from '../http/defender-http.client';
import { apiPath, odataDateTime, odataString } from '../http/encode';
import { listPages, PagesRead, readPages } from '../http/paging';
import { Indicator, IndicatorPolicy } from '../models';
import { indicatorRequest, indicatorTypeFor } from './indicator.requests';

interface IndicatorList {
  value?: Indicator[];
}

/** Always read fresh. */
@Injectable()
export class IndicatorsRepository {
  constructor(
    private readonly client: DefenderHttpClient,
    @Inject(defenderConfig.KEY) private readonly config: ConfigType<typeof defenderConfig>,
    @Inject(respondConfig.KEY) private readonly respond: ConfigType<typeof respondConfig>,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  // Defender answers 404 for a value it knows nothing of.
  async forObservable(ctx: DefenderContext, observable: { type: string; value: string }): Promise<Indicator[]> {
    const type = indicatorTypeFor(observable.type);
    if (type === undefined) return [];
    const { data } = await this.client.request<IndicatorList>(ctx, {
      method: 'GET',
      path: 'indicators',
      query: { $filter: `indicatorValue eq ${odataString(observable.value)}` },
      notFoundIsEmpty: true,
    });
    const value = observable.value.toLowerCase();
    return (Array.isArray(data?.value) ? data.value : []).filter((i) => i.indicatorType === type && String(i.indicatorValue ?? '').toLowerCase() === value);
  }

  /** Defender upserts by value and type. */
  async submit(ctx: DefenderContext, policy: IndicatorPolicy, observable: { type: string; value: string }): Promise<Indicator | undefined> {
    const { indicatorExpiration, indicatorSeverity, indicatorRbacGroups } = this.respond;
    const body = indicatorRequest(policy, observable, {
      title: this.config.indicatorTitle,
      description: this.config.indicatorDescription,
      expirationTime: indicatorExpiration ? new Date(this.now() + indicatorExpiration.ms).toISOString() : undefined,
      severity: indicatorSeverity,
      rbacGroupNames: indicatorRbacGroups,
    });
    if (!body) throw new RelayError('unsupported type', `Observable type '${observable.type}' cannot be an indicator`);
    const { data } = await this.client.request<Indicator>(ctx, { method: 'POST', path: 'indicators', body });
    return data;
  }

  async delete(ctx: DefenderContext, id: string): Promise<void> {
    await this.client.request(ctx, { method: 'DELETE', path: apiPath`indicators/${id}` });
  }

  createdSince(ctx: DefenderContext, since: number, add: (page: Indicator[]) => void): Promise<PagesRead> {
    return readPages(listPages<Indicator>(this.client, ctx, { path: 'indicators', filter: `creationTimeDateTimeUtc ge ${odataDateTime(since)}`, noun: 'indicators' }), add);
  }
}
