import { ACCESS } from '../auth/permissions';
import { ApiError } from '../http/api-error';
import { CallContext, RouteDefinition, RouteResult } from '../http/route.pipeline';
import { SandboxServices } from '../http/sandbox.services';
import { Alert, AlertStatus } from '../model/entities';
import { TenantData } from '../state/sandbox.state';
import { asRecord } from '../util/guards.util';
import { isoTime } from '../util/time.util';
import { API_PREFIXES, callerTenant, odataContext, ok } from './route.helpers';

// Alert updates through Defender (`alerts/batchUpdate`, `PATCH alerts/{id}`) and Microsoft Graph
// (`security/alerts_v2`, its comments and JSON `$batch`). Both write the one alert the tenant
// holds, so every alert route, Defender's or Graph's, shows the same state.

const STATUSES: readonly AlertStatus[] = ['New', 'InProgress', 'Resolved'];
const CLASSIFICATIONS = ['TruePositive', 'InformationalExpectedActivity', 'FalsePositive'] as const;
/** Defender's determinations; `ConfirmedActivity` and `NotMalicious` are the update page's other spellings. */
const DETERMINATIONS = [
  'MultiStagedAttack',
  'MaliciousUserActivity',
  'CompromisedUser',
  'Malware',
  'Phishing',
  'UnwantedSoftware',
  'SecurityTesting',
  'LineOfBusinessApplication',
  'ConfirmedUserActivity',
  'ConfirmedActivity',
  'Clean',
  'NotMalicious',
  'InsufficientData',
  'Other',
];

/** Graph's determination enum, and the Defender name each stands for where the two differ. */
const GRAPH_DETERMINATIONS: Readonly<Record<string, string>> = {
  unknown: 'Other',
  apt: 'MultiStagedAttack',
  malware: 'Malware',
  securityPersonnel: 'SecurityTesting',
  securityTesting: 'SecurityTesting',
  unwantedSoftware: 'UnwantedSoftware',
  other: 'Other',
  multiStagedAttack: 'MultiStagedAttack',
  compromisedAccount: 'CompromisedUser',
  phishing: 'Phishing',
  maliciousUserActivity: 'MaliciousUserActivity',
  notMalicious: 'Clean',
  notEnoughDataToValidate: 'InsufficientData',
  confirmedActivity: 'ConfirmedUserActivity',
  lineOfBusinessApplication: 'LineOfBusinessApplication',
};
const GRAPH_NAME_OF: Readonly<Record<string, string>> = {
  CompromisedUser: 'compromisedAccount',
  Clean: 'notMalicious',
  NotMalicious: 'notMalicious',
  InsufficientData: 'notEnoughDataToValidate',
  ConfirmedUserActivity: 'confirmedActivity',
  ConfirmedActivity: 'confirmedActivity',
};

interface AlertChange {
  status?: AlertStatus;
  classification?: Alert['classification'];
  determination?: string;
  assignedTo?: string;
  comment?: string;
}

export function alertUpdateRoutes(services: SandboxServices): RouteDefinition[] {
  const defender = { prefixes: API_PREFIXES, family: 'defender' as const };
  const graph = { prefixes: ['/v1.0', '/beta'], family: 'graph' as const, rateBuckets: ['graphAlerts' as const] };
  const author = (call: CallContext, tenant: TenantData): string => tenant.apps.find((a) => a.clientId === call.token?.clientId)?.displayName ?? 'API-App';
  const apply = (call: CallContext, alert: Alert, change: AlertChange): void => {
    const now = isoTime(services.clock());
    if (change.status !== undefined) {
      alert.status = change.status;
      alert.resolvedTime = change.status === 'Resolved' ? now : null;
    }
    if (change.classification !== undefined) alert.classification = change.classification;
    if (change.determination !== undefined) alert.determination = change.determination;
    if (change.assignedTo !== undefined) alert.assignedTo = change.assignedTo;
    if (change.comment !== undefined) alert.comments.push({ comment: change.comment, createdBy: author(call, callerTenant(services, call)), createdTime: now });
    alert.lastUpdateTime = now;
  };
  const defenderAlert = (call: CallContext): Alert => {
    const alert = callerTenant(services, call).alerts.find((a) => a.id === call.params.id);
    if (!alert) throw new ApiError(404, 'ResourceNotFound', `Alert ${call.params.id.slice(0, 100)} was not found`);
    return alert;
  };
  const defenderEntity = (call: CallContext, alert: Alert) => ok({ '@odata.context': odataContext(call, 'Alerts/$entity'), ...alert, evidence: [] });
  const graphAlert = (call: CallContext): Alert => {
    const alert = callerTenant(services, call).alerts.find((a) => a.id === call.params.id);
    if (!alert) throw new ApiError(404, 'NotFound', `Alert ${call.params.id.slice(0, 100)} was not found.`);
    return alert;
  };

  return [
    {
      ...defender,
      key: 'alerts.get',
      method: 'GET',
      path: '/alerts/:id',
      access: ACCESS.alertsRead,
      rateBuckets: ['general'],
      handler: (call) => defenderEntity(call, defenderAlert(call)),
    },
    {
      ...defender,
      key: 'alerts.batchUpdate',
      method: 'POST',
      path: '/alerts/batchUpdate',
      access: ACCESS.alertsWrite,
      rateBuckets: ['alertUpdates'],
      handler: (call) => {
        const body = asRecord(call.body);
        const ids = body?.alertIds;
        if (ids === undefined) throw new ApiError(400, 'MissingRequiredParameter', 'alertIds is required.');
        if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string' && id !== '')) {
          throw new ApiError(400, 'InvalidRequestBody', 'alertIds must be a non-empty list of alert ids.');
        }
        const max = services.config.alertBatchMaxIds;
        if (ids.length > max) throw new ApiError(400, 'MaximumBatchSizeExceeded', `Maximum batch size exceeded. Received: ${ids.length}, allowed: ${max}`);
        const change = defenderChange(body ?? {});
        const tenant = callerTenant(services, call);
        const alerts = (ids as string[]).map((id) => tenant.alerts.find((a) => a.id === id));
        const unknown = (ids as string[]).filter((_, i) => alerts[i] === undefined);
        // Undocumented for ids Defender does not know: the sandbox refuses the whole batch.
        if (unknown.length > 0) throw new ApiError(404, 'ResourceNotFound', `Alerts were not found: ${unknown.slice(0, 5).join(', ').slice(0, 300)}`);
        for (const alert of alerts as Alert[]) apply(call, alert, change);
        return { status: 200 };
      },
    },
    {
      ...defender,
      key: 'alerts.update',
      method: 'PATCH',
      path: '/alerts/:id',
      access: ACCESS.alertsWrite,
      rateBuckets: ['general'],
      handler: (call) => {
        const alert = defenderAlert(call);
        apply(call, alert, defenderChange(asRecord(call.body) ?? {}));
        return defenderEntity(call, alert);
      },
    },
    {
      ...graph,
      key: 'graph.alerts.list',
      method: 'GET',
      path: '/security/alerts_v2',
      access: ACCESS.graphAlertsRead,
      handler: (call) => {
        const top = call.query.$top === undefined ? 2000 : Number(call.query.$top);
        if (!Number.isInteger(top) || top < 1) throw new ApiError(400, 'BadRequest', 'Invalid $top.');
        return ok({ '@odata.context': `${call.origin}${call.prefix}/$metadata#security/alerts_v2`, value: callerTenant(services, call).alerts.slice(0, top).map((a) => toGraph(a, call)) });
      },
    },
    {
      ...graph,
      key: 'graph.alerts.get',
      method: 'GET',
      path: '/security/alerts_v2/:id',
      access: ACCESS.graphAlertsRead,
      handler: (call) => ok(toGraph(graphAlert(call), call)),
    },
    {
      ...graph,
      key: 'graph.alerts.update',
      method: 'PATCH',
      path: '/security/alerts_v2/:id',
      access: ACCESS.graphAlertsWrite,
      handler: (call) => {
        const alert = graphAlert(call);
        apply(call, alert, graphChange(asRecord(call.body) ?? {}));
        return ok(toGraph(alert, call));
      },
    },
    {
      ...graph,
      key: 'graph.alerts.comments',
      method: 'POST',
      path: '/security/alerts_v2/:id/comments',
      access: ACCESS.graphAlertsWrite,
      handler: (call) => {
        const alert = graphAlert(call);
        const comment = asRecord(call.body)?.comment;
        if (typeof comment !== 'string' || comment.trim() === '') throw new ApiError(400, 'BadRequest', 'comment is required.');
        apply(call, alert, { comment });
        return ok({ '@odata.context': `${call.origin}${call.prefix}/$metadata#Collection(microsoft.graph.security.alertComment)`, value: graphComments(alert) });
      },
    },
    {
      key: 'graph.batch',
      method: 'POST',
      path: '/$batch',
      prefixes: ['/v1.0', '/beta'],
      family: 'graph',
      handler: (call) => jsonBatch(call),
    },
  ];
}

function oneOf<T extends string>(body: Record<string, unknown>, key: string, allowed: readonly T[], code: string): T | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ApiError(400, code, `Invalid value for ${key}: ${JSON.stringify(value).slice(0, 60)}. Allowed: ${allowed.join(', ')}.`);
  }
  return value as T;
}

/** Defender's body: camelCase, case-sensitive keys; values spelled as its enums. */
function defenderChange(body: Record<string, unknown>): AlertChange {
  const assignedTo = body.assignedTo;
  if (assignedTo !== undefined && (typeof assignedTo !== 'string' || assignedTo.length > 320)) throw new ApiError(400, 'InvalidRequestBody', 'assignedTo must be a string.');
  const comment = body.comment;
  if (comment !== undefined && typeof comment !== 'string') throw new ApiError(400, 'InvalidRequestBody', 'comment must be a string.');
  return {
    status: oneOf(body, 'status', STATUSES, 'InvalidRequestBody'),
    classification: oneOf(body, 'classification', CLASSIFICATIONS, 'InvalidRequestBody'),
    determination: oneOf(body, 'determination', DETERMINATIONS, 'InvalidRequestBody'),
    assignedTo: assignedTo as string | undefined,
    comment: comment as string | undefined,
  };
}

const GRAPH_STATUSES = ['new', 'inProgress', 'resolved'] as const;
const GRAPH_CLASSIFICATIONS = ['unknown', 'falsePositive', 'truePositive', 'informationalExpectedActivity'] as const;

/** Graph's PATCH body: its camelCase enums, mapped onto the Defender alert. */
function graphChange(body: Record<string, unknown>): AlertChange {
  const status = oneOf(body, 'status', GRAPH_STATUSES, 'BadRequest');
  const classification = oneOf(body, 'classification', GRAPH_CLASSIFICATIONS, 'BadRequest');
  const determination = oneOf(body, 'determination', Object.keys(GRAPH_DETERMINATIONS), 'BadRequest');
  const assignedTo = body.assignedTo;
  if (assignedTo !== undefined && typeof assignedTo !== 'string') throw new ApiError(400, 'BadRequest', 'assignedTo must be a string.');
  return {
    status: status === undefined ? undefined : (upperFirst(status) as AlertStatus),
    classification: classification === undefined ? undefined : classification === 'unknown' ? null : (upperFirst(classification) as Alert['classification']),
    determination: determination === undefined ? undefined : GRAPH_DETERMINATIONS[determination],
    assignedTo: assignedTo as string | undefined,
  };
}

const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

function graphComments(alert: Alert): unknown[] {
  return alert.comments.map((c) => ({ comment: c.comment, createdByDisplayName: c.createdBy, createdDateTime: c.createdTime }));
}

/** The Defender alert as Graph `alerts_v2` serialises it (the fields the relay and tests read). */
function toGraph(alert: Alert, call: CallContext): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.security.alert',
    id: alert.id,
    providerAlertId: alert.id,
    incidentId: alert.incidentId === null ? null : String(alert.incidentId),
    status: lowerFirst(alert.status),
    severity: lowerFirst(alert.severity),
    classification: alert.classification ? lowerFirst(alert.classification) : 'unknown',
    determination: alert.determination ? (GRAPH_NAME_OF[alert.determination] ?? lowerFirst(alert.determination)) : 'unknown',
    serviceSource: 'microsoftDefenderForEndpoint',
    assignedTo: alert.assignedTo,
    title: alert.title,
    description: alert.description,
    createdDateTime: alert.alertCreationTime,
    lastUpdateDateTime: alert.lastUpdateTime,
    resolvedDateTime: alert.resolvedTime,
    tenantId: call.token?.tenantId,
    alertWebUrl: `https://security.microsoft.com/alerts/${encodeURIComponent(alert.id)}?tid=${call.token?.tenantId ?? ''}`,
    comments: graphComments(alert),
  };
}

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

const MAX_BATCH = 20;

/**
 * Graph JSON batching: each item runs as its own call (authorised, throttled and logged on its
 * own) with the batch's bearer; the outer answer is 200 even when items fail. A malformed batch
 * (more than 20 items, a duplicate or missing id, a body without Content-Type) is 400 as a whole.
 */
async function jsonBatch(call: CallContext): Promise<RouteResult> {
  const requests = asRecord(call.body)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) throw new ApiError(400, 'BadRequest', 'Invalid batch payload format.');
  if (requests.length > MAX_BATCH) throw new ApiError(400, 'BadRequest', `The number of batch requests exceeds the maximum of ${MAX_BATCH}.`);
  const items = requests.map((r) => asRecord(r) ?? {}) as unknown as BatchItem[];
  const ids = new Set<string>();
  for (const item of items) {
    if (typeof item.id !== 'string' || item.id === '' || ids.has(item.id)) throw new ApiError(400, 'BadRequest', 'Each batch request needs a unique id.');
    ids.add(item.id);
    if (typeof item.method !== 'string' || typeof item.url !== 'string' || !item.url.startsWith('/')) throw new ApiError(400, 'BadRequest', `Batch request ${item.id}: method and a relative url are required.`);
    const contentType = Object.entries(item.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
    if (item.body !== undefined && !contentType) throw new ApiError(400, 'BadRequest', `Batch request ${item.id}: a body requires a Content-Type header.`);
  }
  const status = new Map<string, number>();
  const responses = [];
  for (const item of items) {
    if ((item.dependsOn ?? []).some((dep) => (status.get(dep) ?? 424) >= 400)) {
      status.set(item.id, 424);
      responses.push({ id: item.id, status: 424, body: { error: { code: 'FailedDependency', message: 'A request it depends on failed.' } } });
      continue;
    }
    const answer = await call.request.server.inject({
      method: item.method.toUpperCase() as 'GET' | 'POST' | 'PATCH' | 'DELETE',
      url: `${call.prefix}${item.url}`,
      headers: { authorization: call.request.headers.authorization ?? '', host: call.request.host, ...(item.body === undefined ? {} : { 'content-type': 'application/json' }) },
      payload: item.body === undefined ? undefined : JSON.stringify(item.body),
    });
    status.set(item.id, answer.statusCode);
    responses.push({ id: item.id, status: answer.statusCode, headers: { 'Content-Type': 'application/json' }, body: answer.body === '' ? undefined : answer.json() });
  }
  return ok({ responses });
}
