import { Expose } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ToInteger, ToLowerCase } from './transforms';
import { checkEnv, configNamespace, ConfigValidationError, Env } from './validate-config';

export const INDICATOR_SEVERITIES = ['Informational', 'Low', 'Medium', 'High'] as const;
export type IndicatorSeverityName = (typeof INDICATOR_SEVERITIES)[number];

export const DEFAULT_QUARANTINE_MAX_DEVICES = 25;
export const DEFAULT_ALERT_TRIAGE_MAX = 100;
/** `defender`: `alerts/batchUpdate`; `graph`: Microsoft Graph `security/alerts_v2`. */
export const ALERTS_APIS = ['defender', 'graph'] as const;
export type AlertsApiName = (typeof ALERTS_APIS)[number];
const MAX_TAG_LENGTH = 200;
const MAX_GROUP_LENGTH = 256;
/** Ten years: a longer indicator lifetime is a typo rather than a policy. */
const MAX_EXPIRATION_MS = 3650 * 24 * 3_600_000;
const MAX_LISTING_CACHE_MS = 60_000;

class RespondEnv {
  @Expose() @ToInteger() @IsInt({ message: 'must be a whole number of devices' })
  @Min(1, { message: 'must be at least 1' }) @Max(1000, { message: 'must be at most 1000' })
  QUARANTINE_MAX_DEVICES = DEFAULT_QUARANTINE_MAX_DEVICES;

  @Expose() @IsOptional() @IsString()
  DEVICE_TAGS?: string;

  @Expose() @IsOptional() @IsString()
  INDICATOR_EXPIRATION?: string;

  @Expose() @IsOptional() @IsString()
  INDICATOR_SEVERITY?: string;

  @Expose() @IsOptional() @IsString()
  INDICATOR_RBAC_GROUPS?: string;

  @Expose() @ToLowerCase() @IsIn(ALERTS_APIS, { message: `must be one of ${ALERTS_APIS.join(', ')}` })
  ALERTS_API: AlertsApiName = 'defender';

  @Expose() @IsOptional() @IsString() @MaxLength(320, { message: 'must be at most 320 characters (an account name or e-mail address)' })
  ALERT_ASSIGNEE?: string;

  @Expose() @ToInteger() @IsInt({ message: 'must be a whole number of alerts' })
  @Min(1, { message: 'must be at least 1' }) @Max(1000, { message: 'must be at most 1000' })
  ALERT_TRIAGE_MAX = DEFAULT_ALERT_TRIAGE_MAX;

  @Expose() @ToInteger() @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(0, { message: 'must be 0 (off) or more' }) @Max(MAX_LISTING_CACHE_MS, { message: `must be at most ${MAX_LISTING_CACHE_MS} (one minute)` })
  RESPOND_LISTING_CACHE_MS = 0;
}

export interface RespondConfig {
  /** Most devices one stop-and-quarantine trigger acts on; more are refused before anything is sent. */
  quarantineMaxDevices: number;
  deviceTags: string[];
  indicatorExpiration?: { iso: string; ms: number };
  indicatorSeverity?: IndicatorSeverityName;
  indicatorRbacGroups: string[];
  alertsApi: AlertsApiName;
  alertAssignee?: string;
  alertTriageMax: number;
  /** How long a listing's reads serve the same app's next listings; 0: every listing reads afresh. */
  listingCacheMs: number;
}

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i;
const UNIT_MS = [7 * 24 * 3_600_000, 24 * 3_600_000, 3_600_000, 60_000, 1000];

/** ISO-8601 duration (weeks to seconds) in ms; years and months are refused as their length varies. */
export function parseIsoDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match || text.toUpperCase().endsWith('T')) return undefined;
  const ms = UNIT_MS.reduce((sum, unit, i) => sum + Number(match[i + 1] ?? 0) * unit, 0);
  return ms > 0 ? ms : undefined;
}

function parseList(name: string, raw: string | undefined, maxLength: number, problems: string[]): string[] {
  const items = (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const seen = new Set<string>();
  for (const item of items) {
    if (item.length > maxLength) problems.push(`${name}: each entry must be at most ${maxLength} characters (got '${item.slice(0, 40)}…')`);
    if (seen.has(item.toLowerCase())) problems.push(`${name}: '${item.slice(0, 40)}' is listed twice`);
    seen.add(item.toLowerCase());
  }
  return items;
}

export function loadRespondConfig(env: Env): RespondConfig {
  const { values: e, problems } = checkEnv(RespondEnv, env);
  const deviceTags = parseList('DEVICE_TAGS', e.DEVICE_TAGS, MAX_TAG_LENGTH, problems);
  const indicatorRbacGroups = parseList('INDICATOR_RBAC_GROUPS', e.INDICATOR_RBAC_GROUPS, MAX_GROUP_LENGTH, problems);

  let indicatorExpiration: RespondConfig['indicatorExpiration'];
  if (e.INDICATOR_EXPIRATION !== undefined) {
    const ms = parseIsoDuration(e.INDICATOR_EXPIRATION);
    if (ms === undefined || ms > MAX_EXPIRATION_MS) {
      problems.push(
        `INDICATOR_EXPIRATION: must be an ISO-8601 duration of weeks, days, hours, minutes or seconds, such as P30D or PT12H, up to P3650D (got '${e.INDICATOR_EXPIRATION.slice(0, 40)}')`,
      );
    } else {
      indicatorExpiration = { iso: e.INDICATOR_EXPIRATION.toUpperCase(), ms };
    }
  }

  let indicatorSeverity: IndicatorSeverityName | undefined;
  if (e.INDICATOR_SEVERITY !== undefined) {
    indicatorSeverity = INDICATOR_SEVERITIES.find((s) => s.toLowerCase() === e.INDICATOR_SEVERITY?.toLowerCase());
    if (!indicatorSeverity) problems.push(`INDICATOR_SEVERITY: must be one of ${INDICATOR_SEVERITIES.join(', ')} (got '${e.INDICATOR_SEVERITY.slice(0, 40)}')`);
  }

  const alertAssignee = e.ALERT_ASSIGNEE?.trim() || undefined;
  if (alertAssignee !== undefined && /[\u0000-\u001f\u007f]/.test(alertAssignee)) problems.push('ALERT_ASSIGNEE: must not contain control characters');

  if (problems.length > 0) throw new ConfigValidationError(problems);
  return {
    quarantineMaxDevices: e.QUARANTINE_MAX_DEVICES,
    deviceTags,
    indicatorExpiration,
    indicatorSeverity,
    indicatorRbacGroups,
    alertsApi: e.ALERTS_API,
    alertAssignee,
    alertTriageMax: e.ALERT_TRIAGE_MAX,
    listingCacheMs: e.RESPOND_LISTING_CACHE_MS,
  };
}

export const respondConfig = configNamespace('respond', loadRespondConfig);
