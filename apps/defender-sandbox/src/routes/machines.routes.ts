import { ACCESS } from '../auth/permissions';
import { ApiError } from '../http/api-error';
import { CallContext, RouteDefinition } from '../http/route.pipeline';
import { SandboxServices } from '../http/sandbox.services';
import { isIP } from 'node:net';
import { Machine, MachineAction } from '../model/entities';
import { applyODataQuery, parseODataQuery } from '../odata/odata-query';
import { TenantData } from '../state/sandbox.state';
import { API_PREFIXES, callerTenant, collection, lookupResult, odataContext, ok } from './route.helpers';

const FIND_BY_IP = /^findbyip\(ip='([^']*)',timestamp=([^)]*)\)$/i;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * `machines/findbyip(ip='…',timestamp=…)`: devices seen with that internal IP within 15 minutes
 * either side of the timestamp, which must lie within the last 30 days (else 400, as Defender).
 * The seed's times are fixed in the past, so an Active device counts as still reporting its
 * addresses; any other is seen only until its lastSeen.
 */
function findByIp(tenant: TenantData, call: string, now: number): Machine[] {
  const match = FIND_BY_IP.exec(call);
  if (!match) throw new ApiError(400, 'InvalidRequestBody', 'findbyip takes ip and timestamp.');
  const [, ip, timestamp] = match;
  const at = Date.parse(timestamp);
  if (isIP(ip) === 0) throw new ApiError(400, 'InvalidIpAddress', `Invalid IP address: ${ip.slice(0, 60)}`);
  if (Number.isNaN(at)) throw new ApiError(400, 'InvalidTimestamp', `Invalid timestamp: ${timestamp.slice(0, 40)}`);
  if (at < now - 30 * DAY) throw new ApiError(400, 'InvalidTimestamp', 'The timestamp must be within the last 30 days.');
  const canonical = (value: string) => (isIP(value) === 6 ? new URL(`http://[${value}]`).hostname : value).toLowerCase();
  const wanted = canonical(ip);
  return tenant.machines.filter(
    (m) =>
      (m.ipAddresses ?? []).some((a) => typeof a.ipAddress === 'string' && isIP(a.ipAddress) !== 0 && canonical(a.ipAddress) === wanted) &&
      Date.parse(m.firstSeen) <= at + 15 * MINUTE &&
      (m.healthStatus === 'Active' || Date.parse(m.lastSeen) >= at - 15 * MINUTE),
  );
}

const MACHINE_FILTERABLE = [
  'id',
  'computerDnsName',
  'lastSeen',
  'healthStatus',
  'osPlatform',
  'onboardingStatus',
  'riskScore',
  'exposureLevel',
  'rbacGroupId',
  'machineTags',
  'lastIpAddress',
  'version',
  'deviceValue',
  'aadDeviceId',
];
const ACTION_FILTERABLE = ['id', 'status', 'machineId', 'type', 'requestor', 'creationDateTimeUtc'];

/** A machine by its 40-hex id or its computer DNS name (both case-insensitive). */
/** The device of the `:id` path parameter (its id or DNS name), or Defender's 404. */
export function pathMachine(tenant: TenantData, call: CallContext): Machine {
  const key = call.params.id.toLowerCase();
  const machine = tenant.machines.find((m) => m.id === key || m.computerDnsName.toLowerCase() === key);
  if (!machine) throw new ApiError(404, 'ResourceNotFound', `Machine ${call.params.id.slice(0, 100)} was not found`);
  return machine;
}

/** Newest first by creation time; among equal times the later-created action first. */
export function newestFirst(actions: MachineAction[]): MachineAction[] {
  return actions
    .map((action, index) => ({ action, index }))
    .sort((a, b) => b.action.creationDateTimeUtc.localeCompare(a.action.creationDateTimeUtc) || b.index - a.index)
    .map((x) => x.action);
}

/** Machines, machine-action history and the undocumented availableMachineActions. */
export function machineRoutes(services: SandboxServices): RouteDefinition[] {
  const base = { prefixes: API_PREFIXES, family: 'defender' as const, rateBuckets: ['general' as const] };
  const listActions = (call: CallContext, actions: MachineAction[]) => {
    const q = parseODataQuery(call.query, { filterable: ACTION_FILTERABLE });
    const found = applyODataQuery(newestFirst(actions), q);
    // A filtered list is a lookup; the whole list is not.
    return q.filter ? lookupResult(services, call, 'MachineActions', found, 'No machine action matches the filter') : collection(call, 'MachineActions', found);
  };

  return [
    {
      ...base,
      key: 'machines.list',
      method: 'GET',
      path: '/machines',
      access: ACCESS.machineRead,
      handler: (call) => {
        const q = parseODataQuery(call.query, { filterable: MACHINE_FILTERABLE });
        return collection(call, 'Machines', applyODataQuery(callerTenant(services, call).machines, q));
      },
    },
    {
      ...base,
      key: 'machines.get',
      method: 'GET',
      path: '/machines/:id',
      access: ACCESS.machineRead,
      handler: (call) => {
        const machine = pathMachine(callerTenant(services, call), call);
        return ok({ '@odata.context': odataContext(call, 'Machines/$entity'), ...machine });
      },
    },
    {
      ...base,
      key: 'machines.findByIp',
      method: 'GET',
      // A function call in the path: the regex keeps it apart from `machines/{id}`.
      path: '/machines/:call(^findbyip.*)',
      access: ACCESS.machineRead,
      handler: (call) => collection(call, 'Machines', findByIp(callerTenant(services, call), call.params.call, services.clock())),
    },
    {
      ...base,
      key: 'alerts.byMachine',
      method: 'GET',
      path: '/machines/:id/alerts',
      access: ACCESS.alertsRead,
      handler: (call) => {
        const tenant = callerTenant(services, call);
        const machine = pathMachine(tenant, call);
        return collection(
          call,
          'Alerts',
          tenant.alerts.filter((a) => a.machineId === machine.id),
        );
      },
    },
    {
      ...base,
      key: 'machineactions.list',
      method: 'GET',
      path: '/machineactions',
      access: ACCESS.machineRead,
      handler: (call) => listActions(call, callerTenant(services, call).machineActions),
    },
    {
      ...base,
      key: 'machineactions.get',
      method: 'GET',
      path: '/machineactions/:id',
      access: ACCESS.machineRead,
      handler: (call) => {
        const action = callerTenant(services, call).machineActions.find((a) => a.id === call.params.id.toLowerCase());
        if (!action) throw new ApiError(404, 'ResourceNotFound', `MachineAction ${call.params.id.slice(0, 100)} was not found`);
        return ok({ '@odata.context': odataContext(call, 'MachineActions/$entity'), ...action });
      },
    },
    {
      ...base,
      key: 'machines.machineactions',
      method: 'GET',
      path: '/machines/:id/machineactions',
      access: ACCESS.machineRead,
      handler: (call) => {
        const tenant = callerTenant(services, call);
        const machine = pathMachine(tenant, call);
        return listActions(
          call,
          tenant.machineActions.filter((a) => a.machineId === machine.id),
        );
      },
    },
    {
      ...base,
      key: 'machines.availableActions',
      method: 'GET',
      path: '/machines/:id/availableMachineActions',
      access: ACCESS.machineRead,
      handler: (call) => {
        // Undocumented API: absent unless switched on, so the relay's documented fallback runs.
        if (!services.config.availableMachineActions) {
          throw new ApiError(404, 'NotFound', 'No HTTP resource was found that matches the request URI.');
        }
        const machine = pathMachine(callerTenant(services, call), call);
        const windows = machine.osPlatform.startsWith('Windows');
        const status = (action: string, isAvailable: boolean) => ({
          action,
          isAvailable,
          notSupportedReason: isAvailable ? null : 'OsPlatformNotSupported',
        });
        return ok({
          '@odata.context': odataContext(call, 'Collection(microsoft.windowsDefenderATP.api.ActionAvailabilityStatus)'),
          value: [
            status('FullIsolation', true),
            status('SelectiveIsolation', windows),
            status('RunAntiVirusScan', true),
            status('CollectInvestigationPackage', true),
            status('StopAndQuarantineFile', windows),
            status('RestrictCodeExecution', windows),
            status('InitiateInvestigation', windows),
            status('OffBoard', true),
            status('RunCustomPlaybook', windows),
          ],
        });
      },
    },
  ];
}
