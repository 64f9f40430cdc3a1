import { Expose } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Max, MaxLength, Min } from 'class-validator';
import { CLOUD_ENDPOINTS, DEFENDER_API_REGIONS, DEFENDER_CLOUDS, DEFENDER_HUNTING_RETIREMENT, DefenderApiRegion, DefenderCloud, regionalApiUrl } from './clouds';
import { ToBoolean, ToInteger, ToLowerCase, ToOrigin } from './transforms';
import { checkPlainHttp } from './outbound.config';
import { checkEnv, collectProblems, configNamespace, ConfigValidationError, Env } from './validate-config';

/** `auto`: Microsoft Graph, falling back to the retiring Defender hunting API while it still answers. */
export const HUNTING_APIS = ['auto', 'graph', 'defender'] as const;
export type HuntingApi = (typeof HUNTING_APIS)[number];

export const DEFAULT_ENTITIES_LIMIT = 100;
export const MAX_ENTITIES_LIMIT = 1000;

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };
const URL_MESSAGE = { message: 'must be an http(s) origin such as https://host or http://127.0.0.1:9191' };

class DefenderEnv {
  @Expose() @ToLowerCase() @IsIn(DEFENDER_CLOUDS, { message: `must be one of ${DEFENDER_CLOUDS.join(', ')}` })
  DEFENDER_CLOUD: DefenderCloud = 'commercial';

  @Expose() @IsOptional() @ToOrigin() @IsUrl(URL_OPTIONS, URL_MESSAGE)
  DEFENDER_LOGIN_URL?: string;

  @Expose() @IsOptional() @ToOrigin() @IsUrl(URL_OPTIONS, URL_MESSAGE)
  DEFENDER_API_URL?: string;

  @Expose() @IsOptional() @ToLowerCase() @IsIn(DEFENDER_API_REGIONS, { message: `must be one of ${DEFENDER_API_REGIONS.join(', ')}` })
  DEFENDER_API_REGION?: DefenderApiRegion;

  @Expose() @IsOptional() @ToOrigin() @IsUrl(URL_OPTIONS, URL_MESSAGE)
  DEFENDER_PORTAL_URL?: string;

  @Expose() @IsOptional() @ToOrigin() @IsUrl(URL_OPTIONS, URL_MESSAGE)
  GRAPH_API_URL?: string;

  @Expose() @ToLowerCase() @IsIn(HUNTING_APIS, { message: `must be one of ${HUNTING_APIS.join(', ')}` })
  HUNTING_API: HuntingApi = 'auto';

  @Expose() @ToInteger() @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(1, { message: 'must be a positive number of milliseconds' }) @Max(300_000, { message: 'must be at most 300000 ms' })
  UPSTREAM_TIMEOUT_MS = 10_000;

  @Expose() @ToInteger() @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(1, { message: 'must be a positive number of milliseconds' }) @Max(600_000, { message: 'must be at most 600000 ms' })
  REQUEST_DEADLINE_MS = 25_000;

  @Expose() @ToBoolean() @IsBoolean({ message: 'must be on or off' })
  DEFENDER_RATE_LIMIT = true;

  /** Read leniently below: a bad value falls back to the default with a warning. */
  @Expose() @IsOptional() @IsString()
  CTR_ENTITIES_LIMIT?: string;

  @Expose() @ToInteger() @IsInt() @Min(0) @Max(3_600_000)
  PROFILE_CACHE_TTL_MS = 300_000;

  @Expose() @ToInteger() @IsInt() @Min(1) @Max(64)
  DEFENDER_CONCURRENCY = 16;

  @Expose() @ToInteger() @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(0, { message: 'must be 0 or more milliseconds' }) @Max(3_600_000, { message: 'must be at most 3600000 ms' })
  TILES_CACHE_TTL_MS = 60_000;

  @Expose() @IsString() @MaxLength(1000)
  ACTION_COMMENT = 'Performed via SecureX Threat Response';

  @Expose() @IsString() @MaxLength(500)
  INDICATOR_TITLE = 'From SecureX Threat Response';

  @Expose() @IsString() @MaxLength(5000)
  INDICATOR_DESCRIPTION = 'Indicator created from Cisco XDR / SecureX Threat Response';
}

/** Positive integer, default 100, capped at 1000; anything else falls back with a warning. */
export function parseEntitiesLimit(raw: string | number | undefined, fallback = DEFAULT_ENTITIES_LIMIT): { value: number; warning?: string } {
  if (raw === undefined || raw === '') return { value: fallback };
  const text = String(raw).trim();
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n <= 0) {
    return { value: fallback, warning: `CTR_ENTITIES_LIMIT '${text.slice(0, 20)}' is not a positive integer; using ${fallback}` };
  }
  if (n > MAX_ENTITIES_LIMIT) {
    return { value: MAX_ENTITIES_LIMIT, warning: `CTR_ENTITIES_LIMIT ${n} is above the maximum; using ${MAX_ENTITIES_LIMIT}` };
  }
  return { value: n };
}

export function loadDefenderConfig(env: Env) {
  const { values: e, problems, invalid } = checkEnv(DefenderEnv, env);
  // The portal URL only builds links for the user's browser; the relay never calls it.
  const upstreams = { DEFENDER_LOGIN_URL: e.DEFENDER_LOGIN_URL, DEFENDER_API_URL: e.DEFENDER_API_URL, GRAPH_API_URL: e.GRAPH_API_URL };
  const plainHttp = checkPlainHttp(env, Object.fromEntries(Object.entries(upstreams).filter(([name]) => !invalid.has(name))));
  problems.push(...plainHttp.problems);
  const api = invalid.has('DEFENDER_CLOUD') || invalid.has('DEFENDER_API_REGION') ? undefined : collectProblems(problems, () => apiUrl(e));
  if (problems.length > 0 || !api) throw new ConfigValidationError(problems);
  const preset = CLOUD_ENDPOINTS[e.DEFENDER_CLOUD];
  const limit = parseEntitiesLimit(e.CTR_ENTITIES_LIMIT);
  return {
    cloud: e.DEFENDER_CLOUD,
    apiRegion: e.DEFENDER_API_REGION,
    loginUrl: e.DEFENDER_LOGIN_URL ?? preset.loginUrl,
    apiUrl: api.url,
    apiResource: preset.apiResource,
    portalUrl: e.DEFENDER_PORTAL_URL ?? preset.portalUrl,
    graphUrl: e.GRAPH_API_URL ?? preset.graphUrl,
    graphResource: preset.graphResource,
    huntingApi: e.HUNTING_API,
    // A call can never outlive its request, so a short deadline alone is a valid setting.
    upstreamTimeoutMs: Math.min(e.UPSTREAM_TIMEOUT_MS, e.REQUEST_DEADLINE_MS),
    requestDeadlineMs: e.REQUEST_DEADLINE_MS,
    rateLimit: e.DEFENDER_RATE_LIMIT,
    entitiesLimit: limit.value,
    profileCacheTtlMs: e.PROFILE_CACHE_TTL_MS,
    tilesCacheTtlMs: e.TILES_CACHE_TTL_MS,
    concurrency: e.DEFENDER_CONCURRENCY,
    actionComment: e.ACTION_COMMENT,
    indicatorTitle: e.INDICATOR_TITLE,
    indicatorDescription: e.INDICATOR_DESCRIPTION,
    /** Non-fatal problems found while reading the environment, logged at start. */
    warnings: [...plainHttp.warnings, limit.warning, api.warning, huntingWarning(e.HUNTING_API)].filter((w): w is string => w !== undefined),
  };
}

function huntingWarning(api: HuntingApi): string | undefined {
  return api === 'defender'
    ? `HUNTING_API=defender uses the Defender hunting API, which returns no data from ${DEFENDER_HUNTING_RETIREMENT}; auto or graph use Microsoft Graph (ThreatHunting.Read.All)`
    : undefined;
}

/** An explicit DEFENDER_API_URL wins; else the region's host; else the cloud's documented host. */
function apiUrl(e: DefenderEnv): { url: string; warning?: string } {
  const region = e.DEFENDER_API_REGION;
  if (region && e.DEFENDER_CLOUD !== 'commercial') {
    throw new ConfigValidationError([
      `DEFENDER_API_REGION: regional hosts exist only in the commercial cloud; DEFENDER_CLOUD=${e.DEFENDER_CLOUD} has its own host (got '${region}')`,
    ]);
  }
  if (e.DEFENDER_API_URL) {
    return { url: e.DEFENDER_API_URL, warning: region ? `DEFENDER_API_REGION=${region} is ignored: DEFENDER_API_URL is set` : undefined };
  }
  return { url: region ? regionalApiUrl(region) : CLOUD_ENDPOINTS[e.DEFENDER_CLOUD].apiUrl };
}

export type DefenderConfig = ReturnType<typeof loadDefenderConfig>;

export const defenderConfig = configNamespace('defender', loadDefenderConfig);
