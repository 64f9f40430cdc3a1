import { ErrorList, RelayError } from '@app/common';
import { Injectable } from '@nestjs/common';
import { isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';
import { DefenderContext } from '../http/defender-context';
import { DefenderHttpClient } from '../http/defender-http.client';
import { apiPath, odataDateTime, odataString } from '../http/encode';
import { listPages, PagesRead, readPages } from '../http/paging';
import { Alert } from '../models';

interface AlertList {
  value?: Alert[];
}

@Injectable()
export class AlertsRepository {
  constructor(private readonly client: DefenderHttpClient) {}

  /** Alerts of a file, by SHA-1 only (Defender's rule). */
  forFile(ctx: DefenderContext, sha1: string): Promise<Alert[]> {
    return this.list(ctx, apiPath`files/${sha1}/alerts`);
  }

  /** The path takes the ASCII (punycode) form of an international domain name. */
  forDomain(ctx: DefenderContext, domain: string): Promise<Alert[]> {
    return this.list(ctx, apiPath`domains/${domainToASCII(domain) || domain}/alerts`);
  }

  /** Defender answers 400 for any IPv6 here; for IPv6 that means "no alerts". */
  async forIp(ctx: DefenderContext, ip: string): Promise<Alert[]> {
    try {
      return await this.list(ctx, apiPath`ips/${ip}/alerts`);
    } catch (error) {
      if (isIPv6(ip) && error instanceof RelayError && error.upstreamStatus === 400) return [];
      throw error;
    }
  }

  forMachine(ctx: DefenderContext, machineId: string): Promise<Alert[]> {
    return this.list(ctx, apiPath`machines/${machineId}/alerts`);
  }

  /** A user's alerts, by account name without domain (Defender's rule: `jdoe`, not `jdoe@contoso.com`). */
  forUser(ctx: DefenderContext, account: string): Promise<Alert[]> {
    return this.list(ctx, apiPath`users/${account}/alerts`);
  }

  /** Whole alerts by id, ALERT_BATCH_SIZE per call; a failed batch is reported to `errors` and costs only its own alerts. */
  async byIds(ctx: DefenderContext, ids: Iterable<string>, errors: ErrorList): Promise<Map<string, Alert>> {
    const batches = alertIdBatches(ids);
    const fetched = await Promise.all(batches.map((batch) => errors.capture(() => this.batch(ctx, batch), [] as Alert[])));
    return new Map(fetched.flat().map((alert) => [alert.id, alert]));
  }

  private async batch(ctx: DefenderContext, ids: readonly string[]): Promise<Alert[]> {
    const filter = ids.map((id) => `id eq ${odataString(id)}`).join(' or ');
    const { data } = await this.client.request<AlertList>(ctx, {
      method: 'GET',
      path: 'alerts',
      query: { $filter: filter, $expand: 'evidence', $top: ids.length },
    });
    return Array.isArray(data?.value) ? data.value : [];
  }

  /** Covered by the relay's own permissions (Alert.Read.All), unlike exposureScore (Score.Read.All). */
  async probe(ctx: DefenderContext): Promise<void> {
    await this.client.request(ctx, { method: 'GET', path: 'alerts', query: { $top: 1 } });
  }

  // Documented: 200 with an empty list for an unseen file, domain or IP; older Defender answered 404.
  private async list(ctx: DefenderContext, path: string): Promise<Alert[]> {
    const { data } = await this.client.request<AlertList>(ctx, { method: 'GET', path, notFoundIsEmpty: true });
    return Array.isArray(data?.value) ? data.value : [];
  }

  /** `$select` is not documented for alerts, so whole alerts come back (evidence only with `$expand`). */
  createdSince(ctx: DefenderContext, since: number, add: (page: Alert[]) => void): Promise<PagesRead> {
    return readPages(listPages<Alert>(this.client, ctx, { path: 'alerts', filter: `alertCreationTime ge ${odataDateTime(since)}`, noun: 'alerts' }), add);
  }
}

/** Keeps a batch's `$filter` (about 50 characters an id) well inside Defender's URL length limits. */
export const ALERT_BATCH_SIZE = 25;

export function alertIdBatches(ids: Iterable<string>, size = ALERT_BATCH_SIZE): string[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a positive integer, got ${size}`);
  const unique = [...new Set(ids)];
  return Array.from({ length: Math.ceil(unique.length / size) }, (_, b) => unique.slice(b * size, (b + 1) * size));
}
