import { ACCESS } from '../auth/permissions';
import { ApiError } from '../http/api-error';
import { CallContext, RouteDefinition } from '../http/route.pipeline';
import { SandboxServices } from '../http/sandbox.services';
import { Alert, HuntingRow } from '../model/entities';
import { TenantData } from '../state/sandbox.state';
import { API_PREFIXES, callerTenant, domainParam, hashParam, hostMatches, ipv4Param, isSha1, odataContext, ok } from './route.helpers';

/** Defender's documented maximum of `lookBackHours` (30 days, also the default). */
const MAX_LOOKBACK_HOURS = 720;

/**
 * The devices of the tenant that saw something, from its alerts (the alert's device, from its
 * first to its last event) and its seeded hunting rows (the row's device at its Timestamp).
 */
export interface Seen {
  devices: Set<string>;
  first?: string;
  last?: string;
  names: string[];
}

export function seenIn(tenant: TenantData, alert: (a: Alert) => boolean, row: (r: HuntingRow) => boolean): Seen {
  const seen: Seen = { devices: new Set(), names: [] };
  const at = (time: unknown) => {
    if (typeof time !== 'string' || Number.isNaN(Date.parse(time))) return;
    if (seen.first === undefined || Date.parse(time) < Date.parse(seen.first)) seen.first = time;
    if (seen.last === undefined || Date.parse(time) > Date.parse(seen.last)) seen.last = time;
  };
  for (const a of tenant.alerts.filter(alert)) {
    seen.devices.add(a.machineId.toLowerCase());
    at(a.firstEventTime ?? a.alertCreationTime);
    at(a.lastEventTime ?? a.alertCreationTime);
  }
  for (const r of Object.values(tenant.hunting).flat().filter(row)) {
    if (typeof r.DeviceId !== 'string' || r.DeviceId === '') continue;
    seen.devices.add(r.DeviceId.toLowerCase());
    at(r.Timestamp);
    if (typeof r.FileName === 'string' && r.FileName !== '' && !seen.names.includes(r.FileName)) seen.names.push(r.FileName);
  }
  return seen;
}

interface OrgStats {
  entity: string;
  field: 'ipAddress' | 'host';
  param: (call: CallContext) => string;
  seen: (tenant: TenantData, value: string) => Seen;
}

const lower = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : '');

/**
 * Defender's statistics of a file (SHA-1), an IP and a domain: how many devices of the organisation
 * saw it, first and last (`lookBackHours` is checked but the seed is answered whole, as it sits
 * at a fixed instant). A file Defender knows nothing of is 404; an IP or domain nobody saw is 200
 * with prevalence 0.
 */
export function statsRoutes(services: SandboxServices): RouteDefinition[] {
  const base = { prefixes: API_PREFIXES, family: 'defender' as const, rateBuckets: ['general' as const], method: 'GET' as const };
  const org = (seen: Seen) => ({
    organizationPrevalence: seen.devices.size,
    orgFirstSeen: seen.first ?? null,
    orgLastSeen: seen.last ?? null,
  });
  // IPs and domains: the organisation's figures only.
  const orgStats = (route: Pick<RouteDefinition, 'key' | 'path' | 'access'>, stats: OrgStats): RouteDefinition => ({
    ...base,
    ...route,
    handler: (call) => {
      lookBack(call);
      const value = stats.param(call);
      const seen = stats.seen(callerTenant(services, call), value);
      return ok({ '@odata.context': odataContext(call, `microsoft.windowsDefenderATP.api.${stats.entity}`), [stats.field]: value, ...org(seen) });
    },
  });
  return [
    {
      ...base,
      key: 'files.stats',
      path: '/files/:hash/stats',
      access: ACCESS.fileRead,
      handler: (call) => {
        lookBack(call);
        const hash = hashParam(call);
        // Statistics are documented for SHA-1 only: another hash finds nothing.
        if (!isSha1(hash)) throw new ApiError(404, 'ResourceNotFound', `File ${hash} was not found`);
        const tenant = callerTenant(services, call);
        const profile = tenant.files.find((f) => f.sha1 === hash);
        const seen = seenIn(
          tenant,
          (a) => a.evidence.some((e) => e.sha1 === hash),
          (r) => lower(r.SHA1) === hash || lower(r.InitiatingProcessSHA1) === hash,
        );
        if (!profile && seen.devices.size === 0) throw new ApiError(404, 'ResourceNotFound', `File ${hash} was not found`);
        return ok({
          '@odata.context': odataContext(call, 'microsoft.windowsDefenderATP.api.InOrgFileStats'),
          sha1: hash,
          ...org(seen),
          globallyPrevalence: Math.max(profile?.globalPrevalence ?? 0, seen.devices.size),
          globalFirstObserved: profile?.globalFirstObserved ?? seen.first ?? null,
          globalLastObserved: profile?.globalLastObserved ?? seen.last ?? null,
          topFileNames: seen.names.slice(0, 5),
        });
      },
    },
    orgStats(
      { key: 'ips.stats', path: '/ips/:ip/stats', access: ACCESS.ipRead },
      {
        entity: 'InOrgIPStats',
        field: 'ipAddress',
        param: ipv4Param,
        seen: (tenant, ip) =>
          seenIn(
            tenant,
            (a) => a.evidence.some((e) => e.ipAddress === ip),
            (r) => r.RemoteIP === ip,
          ),
      },
    ),
    orgStats(
      { key: 'domains.stats', path: '/domains/:domain/stats', access: ACCESS.urlRead },
      {
        entity: 'InOrgDomainStats',
        field: 'host',
        param: domainParam,
        seen: (tenant, domain) =>
          seenIn(
            tenant,
            (a) => a.evidence.some((e) => hostMatches(e.url, domain)),
            (r) => hostMatches(r.RemoteUrl, domain),
          ),
      },
    ),
  ];
}

function lookBack(call: CallContext): void {
  const raw = call.query.lookBackHours;
  if (raw === undefined) return;
  const hours = Number(raw);
  if (!/^\d+$/.test(String(raw)) || hours < 1 || hours > MAX_LOOKBACK_HOURS) {
    throw new ApiError(400, 'InvalidInput', `lookBackHours must be a whole number of hours from 1 to ${MAX_LOOKBACK_HOURS}.`);
  }
}
