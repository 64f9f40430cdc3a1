import { ACCESS } from '../auth/permissions';
import { ApiError } from '../http/api-error';
import { CallContext, RouteDefinition, RouteResult } from '../http/route.pipeline';
import { SandboxServices } from '../http/sandbox.services';
import { Alert } from '../model/entities';
import { applyODataQuery, parseODataQuery } from '../odata/odata-query';
import { API_PREFIXES, callerTenant, collection, domainParam, hashParam, hostMatches, ipv4Param, isIPv6, lookupResult, odataContext, ok } from './route.helpers';

const ALERT_FILTERABLE = [
  'alertCreationTime',
  'lastUpdateTime',
  'incidentId',
  'investigationId',
  'id',
  'assignedTo',
  'detectionSource',
  'lastEventTime',
  'status',
  'severity',
  'category',
  'machineId',
];

/** Alerts, related alerts (file/domain/IP/user) and file profiles. */
export function alertRoutes(services: SandboxServices): RouteDefinition[] {
  const base = { prefixes: API_PREFIXES, family: 'defender' as const, rateBuckets: ['general' as const] };
  // Related-alert endpoints include evidence (the relay's mocks show it populated).
  const related = (call: CallContext, notFound: string, match: (a: Alert) => boolean, profiled = false): RouteResult => {
    const alerts = callerTenant(services, call).alerts.filter(match);
    return lookupResult(services, call, 'Alerts', alerts, notFound, profiled || alerts.length > 0);
  };

  return [
    {
      ...base,
      key: 'alerts.list',
      method: 'GET',
      path: '/alerts',
      access: ACCESS.alertsRead,
      handler: (call) => {
        const q = parseODataQuery(call.query, { filterable: ALERT_FILTERABLE, expandable: ['evidence'] });
        const withEvidence = q.expand.includes('evidence');
        const alerts = applyODataQuery(callerTenant(services, call).alerts, q);
        return collection(
          call,
          'Alerts',
          alerts.map((a) => (withEvidence ? a : { ...a, evidence: [] })),
        );
      },
    },
    {
      ...base,
      key: 'alerts.byFile',
      method: 'GET',
      path: '/files/:hash/alerts',
      access: ACCESS.alertsRead,
      handler: (call) => {
        const hash = hashParam(call);
        const profiled = callerTenant(services, call).files.some((f) => f.sha1 === hash);
        // Only SHA-1 is supported here; other hashes find nothing. A profiled file is known without alerts.
        return related(call, `File ${hash} was not found`, (a) => a.evidence.some((e) => e.sha1 === hash), profiled);
      },
    },
    {
      ...base,
      key: 'alerts.byDomain',
      method: 'GET',
      path: '/domains/:domain/alerts',
      access: ACCESS.alertsRead,
      handler: (call) => {
        const domain = domainParam(call);
        return related(call, `Domain ${domain} was not found`, (a) => a.evidence.some((e) => hostMatches(e.url, domain)));
      },
    },
    {
      ...base,
      key: 'alerts.byIp',
      method: 'GET',
      path: '/ips/:ip/alerts',
      access: ACCESS.alertsRead,
      handler: (call) => {
        // Real Defender rejects every IPv6 address here.
        if (isIPv6(call.params.ip)) throw new ApiError(400, 'InvalidIpAddress', `IPv6 addresses are not supported: ${call.params.ip.slice(0, 60)}`);
        const ip = ipv4Param(call);
        return related(call, `Ip ${ip} was not found`, (a) => a.evidence.some((e) => e.ipAddress === ip));
      },
    },
    {
      ...base,
      key: 'files.machines',
      method: 'GET',
      path: '/files/:hash/machines',
      access: ACCESS.machineRead,
      handler: (call) => {
        const hash = hashParam(call);
        const tenant = callerTenant(services, call);
        // The devices that saw the file: its alerts' devices and the devices of its events. SHA-1 only.
        const seen = new Map<string, string>(tenant.alerts.filter((a) => a.evidence.some((e) => e.sha1 === hash)).map((a) => [a.machineId, a.computerDnsName ?? a.machineId]));
        for (const row of Object.values(tenant.hunting).flat()) {
          if (String(row.SHA1 ?? '').toLowerCase() === hash && row.DeviceId) seen.set(String(row.DeviceId), String(row.DeviceName ?? row.DeviceId));
        }
        // A device whose events remain after it left the inventory is listed by what the events say;
        // acting on it then answers 404, as Defender does for a removed device.
        const machines = [...seen].map(([id, name]) => tenant.machines.find((m) => m.id === id) ?? { id, computerDnsName: name, healthStatus: 'Inactive' });
        const profiled = tenant.files.some((f) => f.sha1 === hash);
        return lookupResult(services, call, 'Machines', machines, `File ${hash} was not found`, profiled || machines.length > 0);
      },
    },
    {
      ...base,
      key: 'alerts.byUser',
      method: 'GET',
      path: '/users/:user/alerts',
      access: ACCESS.alertsRead,
      handler: (call) => {
        // The bare account name, as Defender documents; a UPN or DOMAIN\name finds nothing.
        const user = call.params.user.toLowerCase();
        return related(call, `User ${user.slice(0, 80)} was not found`, (a) => a.relatedUser?.userName.toLowerCase() === user);
      },
    },
    {
      ...base,
      key: 'files.get',
      method: 'GET',
      path: '/files/:hash',
      access: ACCESS.fileRead,
      handler: (call) => {
        const hash = hashParam(call);
        const file = callerTenant(services, call).files.find((f) => f.sha1 === hash || f.sha256 === hash || f.md5 === hash);
        if (!file) throw new ApiError(404, 'ResourceNotFound', `File ${hash} was not found`);
        return ok({ '@odata.context': odataContext(call, 'Files/$entity'), ...file });
      },
    },
  ];
}
