import { randomUUID } from 'node:crypto';
import { AccessRequirement } from '../auth/bearer.guard';
import { ACCESS } from '../auth/permissions';
import { ApiError } from '../http/api-error';
import { CallContext, RouteDefinition, RouteResult } from '../http/route.pipeline';
import { SandboxServices } from '../http/sandbox.services';
import { Investigation, Machine, MachineAction, MachineActionType } from '../model/entities';
import { RouteKey } from '../model/route-key';
import { asRecord } from '../util/guards.util';
import { isoTime } from '../util/time.util';
import { API_PREFIXES, callerTenant, odataContext } from './route.helpers';
import { findMachine, machineNotFound } from './machines.routes';

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
];

/** Reads the PascalCase body every action shares; `Comment` is required and case-sensitive. */
function actionBody(call: CallContext): Record<string, unknown> {
  const body = asRecord(call.body);
  if (!body) throw invalidBody();
  if (typeof body.Comment !== 'string' || body.Comment.trim() === '') throw invalidBody('Comment is required');
  return body;
}

function targetMachine(services: SandboxServices, call: CallContext): Machine {
  const machine = findMachine(callerTenant(services, call), call.params.id);
  if (!machine) throw machineNotFound(call.params.id);
  return machine;
}

/** POST machines/{id}/{action}: 201 MachineAction (startInvestigation: 201 Investigation). */
export function machineActionRoutes(services: SandboxServices): RouteDefinition[] {
  const base = { prefixes: API_PREFIXES, family: 'defender' as const, method: 'POST' as const };

  const run = (spec: ActionSpec, call: CallContext): RouteResult => {
    const tenant = callerTenant(services, call);
    const machine = targetMachine(services, call);
    const body = actionBody(call);
    const scope = spec.scope ? spec.scope(body) : null;
    if (spec.windowsOnly && !machine.osPlatform.startsWith('Windows')) {
      throw new ApiError(400, 'OsPlatformNotSupported', `Action ${spec.type} is not supported for OS platform ${machine.osPlatform}`);
    }
    if (spec.family !== null) {
      const sameFamily = ACTIONS.filter((a) => a.family === spec.family).map((a) => a.type);
      const active = tenant.machineActions.some(
        (a) => a.machineId === machine.id && sameFamily.includes(a.type) && (a.status === 'Pending' || a.status === 'InProgress'),
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
      relatedFileInfo: null,
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
    const machine = targetMachine(services, call);
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
  ];
}
