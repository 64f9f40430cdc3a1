import { Clock, CLOCK, defenderConfig, TtlCache } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DefenderContext } from '../http/defender-context';
import { DefenderHttpClient } from '../http/defender-http.client';
import { odataString } from '../http/encode';
import { Machine } from '../models';
import { findByIpTimestamp, HOSTNAME_CANDIDATES, hostnameFilter, hostnameMatches, MAX_HOSTNAME_DEVICES, MAX_IP_DEVICES, pickDevices } from './device-resolution';

interface MachineList {
  value?: unknown[];
}

export interface ResolvedDevices {
  devices: Machine[];
  truncated: boolean;
}

const isMachine = (value: unknown): value is Machine => typeof value === 'object' && value !== null && !Array.isArray(value);

// Only exact matches count, whatever Defender's filter let through.
@Injectable()
export class DevicesRepository {
  private readonly cache: TtlCache<ResolvedDevices>;

  constructor(
    private readonly client: DefenderHttpClient,
    @Inject(defenderConfig.KEY) config: ConfigType<typeof defenderConfig>,
    @Inject(CLOCK) private readonly now: Clock,
  ) {
    this.cache = new TtlCache(config.profileCacheTtlMs, 10_000, now);
  }

  byHostname(ctx: DefenderContext, hostname: string): Promise<ResolvedDevices> {
    const name = hostname.toLowerCase();
    return this.resolve(ctx, `hostname:${name}`, async () => {
      const { data } = await this.client.request<MachineList>(ctx, {
        method: 'GET',
        path: 'machines',
        query: { $filter: hostnameFilter(name, odataString), $top: HOSTNAME_CANDIDATES },
      });
      return pickDevices(this.machinesIn(data), (m) => hostnameMatches(m.computerDnsName, name), MAX_HOSTNAME_DEVICES);
    });
  }

  byIp(ctx: DefenderContext, ip: string): Promise<ResolvedDevices> {
    return this.resolve(ctx, `ip:${ip}`, async () => {
      const timestamp = findByIpTimestamp(new Date(this.now()));
      // The IP is a validated address; it is still quoted and percent-encoded like any value.
      const { data } = await this.client.request<MachineList>(ctx, {
        method: 'GET',
        path: `machines/findbyip(ip=${odataString(encodeURIComponent(ip))},timestamp=${timestamp})`,
        notFoundIsEmpty: true,
      });
      return pickDevices(this.machinesIn(data), () => true, MAX_IP_DEVICES);
    });
  }

  private machinesIn(data: MachineList | undefined): Machine[] {
    return Array.isArray(data?.value) ? data.value.filter(isMachine) : [];
  }

  private resolve(ctx: DefenderContext, what: string, fetch: () => Promise<ResolvedDevices>): Promise<ResolvedDevices> {
    const key = `${ctx.identity}:${what}`;
    return ctx.once(`devices:${key}`, async () => {
      await this.client.authenticate(ctx);
      return this.cache.getOrFetch(key, fetch);
    });
  }
}
