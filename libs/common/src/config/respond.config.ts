import { Expose } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { ToInteger } from './transforms';
import { checkEnv, ConfigValidationError, Env } from './validate-config';

export const INDICATOR_SEVERITIES = ['Informational', 'Low', 'Medium', 'High'] as const;
export type IndicatorSeverityName = (typeof INDICATOR_SEVERITIES)[number];

export const DEFAULT_QUARANTINE_MAX_DEVICES = 25;
const MAX_TAG_LENGTH = 200;
const MAX_GROUP_LENGTH = 256;
/** Ten years: a longer indicator lifetime is a typo rather than a policy. */
const MAX_EXPIRATION_MS = 3650 * 24 * 3_600_000;

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
}

/** Settings of the response actions beyond the comment and indicator texts. */
export interface RespondConfig {
  /** Most devices one stop-and-quarantine trigger acts on; more are refused before anything is sent. */
  quarantineMaxDevices: number;
  /** Tags offered to add to / remove from a device; none means no tag actions. */
  deviceTags: string[];
  /** How long an added indicator lives, as configured (ISO-8601) and in milliseconds. */
  indicatorExpiration?: { iso: string; ms: number };
  /** Severity of every added indicator; unset keeps the per-policy default. */
  indicatorSeverity?: IndicatorSeverityName;
  /** Device groups an added indicator applies to; none means every device. */
  indicatorRbacGroups: string[];
}

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i;
const UNIT_MS = [7 * 24 * 3_600_000, 24 * 3_600_000, 3_600_000, 60_000, 1000];

/**
 * An ISO-8601 duration in weeks, days, hours, minutes and seconds (`P30D`, `PT12H`, `P1DT6H`) in
 * milliseconds; undefined when malformed or zero. Years and months are refused: their length varies.
 */
export function parseIsoDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match || text.toUpperCase().endsWith('T')) return undefined;
  const ms = UNIT_MS.reduce((sum, unit, i) => sum + Number(match[i + 1] ?? 0) * unit, 0);
  return ms > 0 ? ms : undefined;
}

/** A comma-separated list: trimmed, empty entries dropped, each checked, no duplicates (case-insensitive). */
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

  if (problems.length > 0) throw new ConfigValidationError(problems);
  return { quarantineMaxDevices: e.QUARANTINE_MAX_DEVICES, deviceTags, indicatorExpiration, indicatorSeverity, indicatorRbacGroups };
}
