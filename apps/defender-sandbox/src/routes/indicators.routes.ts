import { ACCESS } from '../auth/permissions';
import { ApiError } from '../http/api-error';
import { CallContext, RouteDefinition, RouteResult } from '../http/route.pipeline';
import { SandboxServices } from '../http/sandbox.services';
import { Indicator, IndicatorAction, IndicatorType } from '../model/entities';
import { newIndicator } from '../model/indicator.entity';
import { applyODataQuery, parseODataQuery } from '../odata/odata-query';
import { asRecord } from '../util/guards.util';
import { isoTime } from '../util/time.util';
import {
  API_PREFIXES,
  callerTenant,
  collection,
  hostOf,
  isDomainName,
  isIPv4,
  isIPv6,
  isMd5,
  isSha1,
  isSha256,
  lookupResult,
  odataContext,
} from './route.helpers';

const INDICATOR_FILTERABLE = [
  'id',
  'application',
  'createdByDisplayName',
  'expirationTime',
  'generateAlert',
  'title',
  'rbacGroupNames',
  'rbacGroupIds',
  'indicatorValue',
  'indicatorType',
  'creationTimeDateTimeUtc',
  'createdBy',
  'action',
  'severity',
  'sourceType',
];

const TYPES: IndicatorType[] = ['FileSha1', 'FileSha256', 'FileMd5', 'CertificateThumbprint', 'IpAddress', 'DomainName', 'Url'];
const FILE_TYPES: IndicatorType[] = ['FileSha1', 'FileSha256', 'FileMd5'];
// AlertAndBlock is legacy but still accepted by the API; plain Alert is not.
const ACTIONS: IndicatorAction[] = ['Allowed', 'Audit', 'Warn', 'Block', 'BlockAndRemediate', 'AlertAndBlock'];
const SEVERITIES: Indicator['severity'][] = ['Informational', 'Low', 'Medium', 'High'];

const VALUE_CHECKS: Record<IndicatorType, (v: string) => boolean> = {
  FileSha1: isSha1,
  FileSha256: isSha256,
  FileMd5: isMd5,
  CertificateThumbprint: isSha1,
  IpAddress: (v) => isIPv4(v) || isIPv6(v),
  DomainName: (v) => isDomainName(v) && v.includes('.'),
  Url: (v) => v.length <= 2048 && (hostOf(v)?.includes('.') ?? false),
};

const invalid = (message: string): ApiError => new ApiError(400, 'InvalidInput', message);

const isOneOf = <T extends string>(list: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (list as readonly string[]).includes(value);

function optionalString(body: Record<string, unknown>, name: string): string | null {
  const value = body[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalid(`${name} must be a string`);
  return value;
}

interface ValidIndicator {
  indicatorValue: string;
  indicatorType: IndicatorType;
  action: IndicatorAction;
  title: string;
  description: string;
  severity: Indicator['severity'];
  generateAlert: boolean;
  expirationTime: string | null;
  application: string | null;
  recommendedActions: string | null;
  educateUrl: string | null;
  rbacGroupNames: string[];
}

/** Validates a POST indicators body as Defender does. */
function validateIndicator(raw: unknown): ValidIndicator {
  const body = asRecord(raw);
  if (!body) throw new ApiError(400, 'InvalidRequestBody', 'Request body is incorrect');
  for (const name of ['indicatorValue', 'indicatorType', 'action', 'title', 'description']) {
    const value = body[name];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ApiError(400, 'MissingRequiredParameter', `The ${name} field is required.`);
    }
  }
  const { indicatorType, action } = body;
  if (!isOneOf(TYPES, indicatorType)) {
    throw invalid(`Invalid indicatorType '${String(indicatorType).slice(0, 40)}'. Possible values: ${TYPES.join(', ')}`);
  }
  if (action === 'Alert') throw invalid("The 'Alert' action is no longer supported; use 'Audit' with generateAlert set to true.");
  if (!isOneOf(ACTIONS, action)) throw invalid(`Invalid action '${String(action).slice(0, 40)}'. Possible values: ${ACTIONS.join(', ')}`);
  let indicatorValue = String(body.indicatorValue).trim();
  if (FILE_TYPES.includes(indicatorType) || indicatorType === 'CertificateThumbprint') indicatorValue = indicatorValue.toLowerCase();
  if (!VALUE_CHECKS[indicatorType](indicatorValue)) {
    throw invalid(`The indicatorValue is not a valid ${indicatorType}${indicatorType === 'IpAddress' ? ' (CIDR ranges are not supported)' : ''}.`);
  }
  if ((action === 'BlockAndRemediate' || action === 'AlertAndBlock') && !FILE_TYPES.includes(indicatorType) && indicatorType !== 'CertificateThumbprint') {
    throw invalid(`The ${action} action is supported only for file and certificate indicators; use Block for ${indicatorType}.`);
  }
  if (body.generateAlert !== undefined && body.generateAlert !== null && typeof body.generateAlert !== 'boolean') {
    throw invalid('generateAlert must be a boolean');
  }
  const generateAlert = body.generateAlert === true || action === 'AlertAndBlock';
  if (action === 'Audit' && !generateAlert) throw invalid('generateAlert must be true when the action is Audit.');
  const severity = body.severity ?? 'Informational';
  if (!isOneOf(SEVERITIES, severity)) throw invalid(`Invalid severity. Possible values: ${SEVERITIES.join(', ')}`);
  const expirationTime = optionalString(body, 'expirationTime');
  if (expirationTime !== null && Number.isNaN(Date.parse(expirationTime))) throw invalid('expirationTime is not a valid date.');
  const groups = body.rbacGroupNames ?? [];
  if (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string')) throw invalid('rbacGroupNames must be an array of strings');
  return {
    indicatorValue,
    indicatorType,
    action,
    title: String(body.title),
    description: String(body.description),
    severity,
    generateAlert,
    expirationTime,
    application: optionalString(body, 'application'),
    recommendedActions: optionalString(body, 'recommendedActions'),
    educateUrl: optionalString(body, 'educateUrl'),
    rbacGroupNames: groups.map(String),
  };
}

/** Custom indicators: list with $filter, upsert, delete. */
export function indicatorRoutes(services: SandboxServices): RouteDefinition[] {
  const base = { prefixes: API_PREFIXES, family: 'defender' as const, access: ACCESS.indicators, rateBuckets: ['general' as const] };

  const upsert = (call: CallContext): RouteResult => {
    const tenant = callerTenant(services, call);
    const input = validateIndicator(call.body);
    const now = isoTime(services.clock());
    const clientId = call.token?.clientId ?? '';
    const appName = call.token?.appName ?? '';
    const existing = tenant.indicators.find(
      (i) => i.indicatorType === input.indicatorType && i.indicatorValue.toLowerCase() === input.indicatorValue.toLowerCase(),
    );
    let indicator: Indicator;
    if (existing) {
      // Same value + type updates the indicator in place (id and creation kept).
      Object.assign(existing, input, { lastUpdateTime: now, lastUpdatedBy: clientId });
      indicator = existing;
    } else {
      indicator = newIndicator({
        ...input,
        id: services.state.nextIndicatorId(),
        createdBy: clientId,
        source: appName,
        sourceType: 'AadApp',
        createdByDisplayName: appName,
        createdBySource: 'PublicApi',
        created: now,
      });
      tenant.indicators.push(indicator);
    }
    return { status: 200, body: { '@odata.context': odataContext(call, 'Indicators/$entity'), ...indicator } };
  };

  return [
    {
      ...base,
      key: 'indicators.list',
      method: 'GET',
      path: '/indicators',
      handler: (call) => {
        const q = parseODataQuery(call.query, { filterable: INDICATOR_FILTERABLE });
        const found = applyODataQuery(callerTenant(services, call).indicators, q);
        // A filtered list is a lookup; the whole list is not.
        return q.filter ? lookupResult(services, call, 'Indicators', found, 'No indicator matches the filter') : collection(call, 'Indicators', found);
      },
    },
    { ...base, key: 'indicators.create', method: 'POST', path: '/indicators', handler: upsert },
    {
      ...base,
      key: 'indicators.delete',
      method: 'DELETE',
      path: '/indicators/:id',
      handler: (call) => {
        const tenant = callerTenant(services, call);
        const index = tenant.indicators.findIndex((i) => i.id === call.params.id);
        if (index === -1) throw new ApiError(404, 'ResourceNotFound', `Indicator ${call.params.id.slice(0, 40)} was not found`);
        tenant.indicators.splice(index, 1);
        return { status: 204 };
      },
    },
  ];
}
