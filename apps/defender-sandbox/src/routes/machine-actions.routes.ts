import { randomUUID } from 'node:crypto';
import { AccessRequirement } from '../auth/bearer.guard';
import { ACCESS } from '../auth/permissions';
import { ApiError } from '../http/api-error';
import { CallContext, RouteDefinition, RouteResult } from '../http/route.pipeline';
import { SandboxServices } from '../http/sandbox.services';
import { Investigation, MachineAction, MachineActionType } from '../model/entities';
import { RouteKey } from '../model/route-key';
import { asRecord } from '../util/guards.util';
import { isoTime } from '../util/time.util';
import { API_PREFIXES, callerTenant, isSha1, odataContext } from './route.helpers';
import { pathMachine } from './machines.routes';

interface ActionSpec {
  key: RouteKey;
  segment: string;
  type: MachineActionType;
  access: AccessRequirement;
  /** Actions of one family exclude each other while one is Pending/InProgress; null = never. */
  family: string | null;
  windowsOnly?: boolean;
  /** Extra body validation; returns the action's `scope`. */
  scope?(body: Record<string, unknown>): string | null;
  /** The SHA-1 the action is about: one active action per device and file. */
  file?(body: Record<string, unknown>): string;
}

const invalidBody = (message = 'Request body is incorrect'): ApiError => new ApiError(400, 'InvalidRequestBody', message);

function oneOf(body: Record<string, unknown>, name: string, allowed: string[], fallback?: string): string {
  const value = body[name] ?? fallback;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw invalidBody(`${name} must be one of: ${allowed.join(', ')}`);
  }
  return value;
}

const ACTIONS: ActionSpec[] = [
  {
    key: 'machines.isolate',
    segment: 'isolate',
    type: 'Isolate',
    access: ACCESS.isolate,
    family: 'isolation',
    scope: (body) => oneOf(body, 'IsolationType', ['Full', 'Selective', 'UnManagedDevice'], 'Full'),
  },
  { key: 'machines.unisolate', segment: 'unisolate', type: 'Unisolate', access: ACCESS.isolate, family: 'isolation' },
  {
    key: 'machines.restrictCodeExecution',
    segment: 'restrictCodeExecution',
    type: 'RestrictCodeExecution',
    access: ACCESS.restrict,
    family: 'restriction',
    windowsOnly: true,
  },
  {
    key: 'machines.unrestrictCodeExecution',
    segment: 'unrestrictCodeExecution',
    type: 'UnrestrictCodeExecution',
    access: ACCESS.restrict,
    family: 'restriction',
    windowsOnly: true,
  },
  {
    key: 'machines.runAntiVirusScan',
    segment: 'runAntiVirusScan',
    type: 'RunAntiVirusScan',
    access: ACCESS.scan,
    family: null,
    scope: (body) => oneOf(body, 'ScanType', ['Quick', 'Full']),
  },
  {
    key: 'machines.collectInvestigationPackage',
    segment: 'collectInvestigationPackage',
    type: 'CollectInvestigationPackage',
    access: ACCESS.collect,
    family: 'collection',
  },
  {
    key: 'machines.stopAndQuarantineFile',
    segment: 'StopAndQuarantineFile',
    type: 'StopAndQuarantineFile',
    access: ACCESS.quarantine,
    family: 'quarantine',
    file: (body) => {
      if (typeof body.Sha1 !== 'string' || !isSha1(body.Sha1)) throw invalidBody('Sha1 must be a SHA-1 hash');
      return body.Sha1.toLowerCase();
    },
  },
];

/** The permission each action type needs, which cancelling it needs too. */
const CANCEL_ACCESS: Partial<Record<MachineActionType, AccessRequirement>> = Object.fromEntries(ACTIONS.map((a) => [a.type, a.access]));

const isActive = (action: MachineAction): boolean => action.status === 'Pending' || action.status === 'InProgress';

/** Reads the PascalCase body every action shares; `Comment` is required and case-sensitive. */
function actionBody(call: CallContext): Record<string, unknown> {
  const body = asRecord(call.body);
  if (!body) throw invalidBody();
  if (typeof body.Comment !== 'string' || body.Comment.trim() === '') throw invalidBody('Comment is required');
  return body;
}

/** POST machines/{id}/{action}: 201 MachineAction (startInvestigation: 201 Investigation). */
export function machineActionRoutes(services: SandboxServices): RouteDefinition[] {
  const base = { prefixes: API_PREFIXES, family: 'defender' as const, method: 'POST' as const };

  const run = (spec: ActionSpec, call: CallContext): RouteResult => {
    const tenant = callerTenant(services, call);
    const machine = pathMachine(callerTenant(services, call), call);
    const body = actionBody(call);
    const scope = spec.scope ? spec.scope(body) : null;
    const file = spec.file?.(body);
    if (spec.windowsOnly && !machine.osPlatform.startsWith('Windows')) {
      throw new ApiError(400, 'OsPlatformNotSupported', `Action ${spec.type} is not supported for OS platform ${machine.osPlatform}`);
    }
    if (spec.family !== null) {
      const sameFamily = ACTIONS.filter((a) => a.family === spec.family).map((a) => a.type);
      const active = tenant.machineActions.some(
        (a) => a.machineId === machine.id && sameFamily.includes(a.type) && isActive(a) && (file === undefined || a.relatedFileInfo?.fileIdentifier === file),
      );
      if (active) throw new ApiError(400, 'ActiveRequestAlreadyExists', 'Action is already in progress');
    }
    const now = isoTime(services.clock());
    const action: MachineAction = {
      id: randomUUID(),
      type: spec.type,
      title: null,
      requestor: call.token?.appName ?? '',
      requestorComment: String(body.Comment),
      status: 'Pending',
      machineId: machine.id,
      computerDnsName: machine.computerDnsName,
      creationDateTimeUtc: now,
      lastUpdateDateTimeUtc: now,
      cancellationRequestor: null,
      cancellationComment: null,
      cancellationDateTimeUtc: null,
      errorHResult: 0,
      scope,
      externalId: null,
      requestSource: 'PublicApi',
      relatedFileInfo: file === undefined ? null : { fileIdentifier: file, fileIdentifierType: 'Sha1' },
      commands: [],
      troubleshootInfo: null,
    };
    const response = { '@odata.context': odataContext(call, 'MachineActions/$entity'), ...action };
    tenant.machineActions.push(action);
    services.state.scheduleCompletion(tenant.tenantId, action, services.config.machineActionDelayMs, services.config.machineActionOutcome);
    return { status: 201, body: response };
  };

  const startInvestigation = (call: CallContext): RouteResult => {
    const tenant = callerTenant(services, call);
    const machine = pathMachine(callerTenant(services, call), call);
    actionBody(call);
    const investigation: Investigation = {
      id: services.state.nextInvestigationId(),
      startTime: isoTime(services.clock()),
      endTime: null,
      state: 'Running',
      cancelledBy: null,
      statusDetails: null,
      machineId: machine.id,
      computerDnsName: machine.computerDnsName,
      triggeringAlertId: null,
    };
    tenant.investigations.push(investigation);
    return { status: 201, body: { '@odata.context': odataContext(call, 'Investigations/$entity'), ...investigation } };
  };

  /** POST machineactions/{id}/cancel: a Pending or InProgress action becomes Cancelled (200 with the action). */
  const cancel = (call: CallContext): RouteResult => {
    const tenant = callerTenant(services, call);
    const body = actionBody(call);
    const action = tenant.machineActions.find((a) => a.id === call.params.id.toLowerCase());
    if (!action) throw new ApiError(404, 'ResourceNotFound', `MachineAction ${call.params.id.slice(0, 100)} was not found`);
    const needs = CANCEL_ACCESS[action.type];
    if (needs && !needs.anyOfRoles.some((role) => call.token?.roles.includes(role))) {
      throw new ApiError(403, 'Forbidden', `The application does not have any of the required application permissions (${needs.anyOfRoles.join(', ')}) to access the resource.`);
    }
    if (!isActive(action)) throw new ApiError(400, 'BadRequest', `Action in status ${action.status} cannot be cancelled`);
    const now = isoTime(services.clock());
    Object.assign(action, {
      status: 'Cancelled',
      cancellationRequestor: call.token?.appName ?? '',
      cancellationComment: String(body.Comment),
      cancellationDateTimeUtc: now,
      lastUpdateDateTimeUtc: now,
    });
    return { status: 200, body: { '@odata.context': odataContext(call, 'MachineActions/$entity'), ...action } };
  };

  /** POST machines/{id}/tags {Value, Action}: 200 with the machine. */
  const tags = (call: CallContext): RouteResult => {
    const machine = pathMachine(callerTenant(services, call), call);
    const body = asRecord(call.body);
    if (!body) throw invalidBody();
    if (typeof body.Value !== 'string' || body.Value.trim() === '' || body.Value.length > 200) throw invalidBody('Value must be a tag of 1 to 200 characters');
    const change = oneOf(body, 'Action', ['Add', 'Remove']);
    const value = body.Value;
    // Exact spelling, as real tenants answer: removing `test Tag 2` leaves `test tag 2` in place.
    const others = machine.machineTags.filter((t) => t !== value);
    machine.machineTags = change === 'Add' ? [...others, value] : others;
    return { status: 200, body: { '@odata.context': odataContext(call, 'Machines/$entity'), ...machine } };
  };

  return [
    ...ACTIONS.map(
      (spec): RouteDefinition => ({
        ...base,
        key: spec.key,
        path: `/machines/:id/${spec.segment}`,
        access: spec.access,
        rateBuckets: ['general'],
        handler: (call) => run(spec, call),
      }),
    ),
    {
      ...base,
      key: 'machines.startInvestigation',
      path: '/machines/:id/startInvestigation',
      access: ACCESS.investigate,
      rateBuckets: ['general', 'investigation'],
      handler: startInvestigation,
    },
    { ...base, key: 'machines.tags', path: '/machines/:id/tags', access: ACCESS.tag, rateBuckets: ['general'], handler: tags },
    { ...base, key: 'machineactions.cancel', path: '/machineactions/:id/cancel', access: ACCESS.cancel, rateBuckets: ['general'], handler: cancel },
  ];
}
