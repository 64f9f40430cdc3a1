import { Expose, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { checkEnv, configNamespace, ConfigValidationError, Env } from './validate-config';
import { ToBoolean, ToByteSize, ToInteger, ToLowerCase, ToOrigin } from './transforms';

export const DEFAULT_MAX_OBSERVABLES = 1000;
// Half the shipped 512Mi pod limit (docs/security.md).
export const DEFAULT_BODY_MEMORY_BUDGET = 256 * 1024 * 1024;
export const MAX_DERIVED_CONNECTIONS = 1024;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const PORT_RANGE = { message: 'must be a port number from 0 to 65535' };

class ServerEnv {
  @Expose() @ToInteger() @IsInt({ message: 'must be an integer port number' }) @Min(0, PORT_RANGE) @Max(65535, PORT_RANGE)
  PORT = 9090;

  @Expose() @IsString()
  HOST = '0.0.0.0';

  @Expose() @ToByteSize()
  @IsInt({ message: "must be a size in bytes, e.g. 1048576, '512kb' or '1mb'" })
  @Min(64, { message: 'must be at least 64 bytes' })
  @Max(100 * 1024 * 1024, { message: 'must be at most 100mb' })
  BODY_LIMIT = 1024 * 1024;

  @Expose() @ToInteger() @IsInt({ message: 'must be a whole number of observables' })
  @Min(1, { message: 'must be at least 1' }) @Max(100_000, { message: 'must be at most 100000' })
  MAX_OBSERVABLES = DEFAULT_MAX_OBSERVABLES;

  @Expose() @ToInteger() @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(1000, { message: 'must be at least 1000 ms' }) @Max(600_000, { message: 'must be at most 600000 ms' })
  REQUEST_TIMEOUT_MS = 30_000;

  @Expose() @ToInteger() @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(1000, { message: 'must be at least 1000 ms' }) @Max(600_000, { message: 'must be at most 600000 ms' })
  HEADERS_TIMEOUT_MS = 10_000;

  @Expose() @ToInteger() @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(1000, { message: 'must be at least 1000 ms' }) @Max(600_000, { message: 'must be at most 600000 ms' })
  KEEP_ALIVE_TIMEOUT_MS = 72_000;

  @Expose() @IsOptional() @ToInteger() @IsInt({ message: 'must be a whole number of connections' })
  @Min(1, { message: 'must be at least 1' }) @Max(1_000_000, { message: 'must be at most 1000000' })
  MAX_CONNECTIONS?: number;

  @Expose() @ToByteSize()
  @IsInt({ message: "must be a size in bytes, e.g. 268435456, '256mb'" })
  @Min(1024 * 1024, { message: 'must be at least 1mb' })
  @Max(64 * 1024 * 1024 * 1024, { message: 'must be at most 65536mb' })
  BODY_MEMORY_BUDGET = DEFAULT_BODY_MEMORY_BUDGET;

  @Expose() @ToBoolean() @IsBoolean({ message: 'must be true or false (also on/off, 1/0, yes/no)' })
  TRUST_PROXY = false;

  @Expose() @ToBoolean() @IsBoolean({ message: 'must be true or false (also on/off, 1/0, yes/no)' })
  DOCS_ENABLED = true;

  @Expose() @IsOptional() @ToOrigin()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'must be an http(s) URL such as https://relay.example.com' })
  RELAY_PUBLIC_URL?: string;

  @Expose() @IsOptional() @ToInteger() @IsInt({ message: 'must be an integer port number (0 picks a free one)' }) @Min(0, PORT_RANGE) @Max(65535, PORT_RANGE)
  METRICS_PORT?: number;

  // /metrics has no authentication: loopback unless opened (the Kubernetes manifests do, behind a NetworkPolicy).
  @Expose() @IsString()
  METRICS_HOST = '127.0.0.1';

  // `warning` is what many tools call pino's `warn`.
  @Expose() @Transform(({ value }) => (typeof value === 'string' && value.toLowerCase() === 'warning' ? 'warn' : value)) @ToLowerCase() @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';
}

export interface ServerConfig {
  port: number;
  host: string;
  bodyLimit: number;
  maxObservables: number;
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
  bodyMemoryBudget: number;
  trustProxy: boolean;
  docsEnabled: boolean;
  /** The relay's public base URL without trailing slash; the RS256 `aud` must equal it. */
  publicUrl?: string;
  logLevel: LogLevel;
  metricsPort?: number;
  metricsHost: string;
}

export function loadServerConfig(env: Env): ServerConfig {
  const { values: e, problems, invalid } = checkEnv(ServerEnv, env);
  const valid = (...names: string[]) => names.every((n) => !invalid.has(n));
  // Node refuses a header timeout longer than the whole-request one.
  if (valid('HEADERS_TIMEOUT_MS', 'REQUEST_TIMEOUT_MS') && e.HEADERS_TIMEOUT_MS > e.REQUEST_TIMEOUT_MS) {
    problems.push(`HEADERS_TIMEOUT_MS: ${e.HEADERS_TIMEOUT_MS} ms is longer than REQUEST_TIMEOUT_MS (${e.REQUEST_TIMEOUT_MS} ms); set it to at most that`);
  }
  // Port 0 picks a free port for each, so only a fixed port can collide.
  if (valid('METRICS_PORT', 'PORT') && e.METRICS_PORT !== undefined && e.METRICS_PORT !== 0 && e.METRICS_PORT === e.PORT) {
    problems.push(`METRICS_PORT: must differ from PORT (both are ${e.PORT}); metrics have a port of their own so they are never served publicly`);
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return {
    port: e.PORT,
    host: e.HOST,
    bodyLimit: e.BODY_LIMIT,
    maxObservables: e.MAX_OBSERVABLES,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    headersTimeoutMs: e.HEADERS_TIMEOUT_MS,
    keepAliveTimeoutMs: e.KEEP_ALIVE_TIMEOUT_MS,
    maxConnections: e.MAX_CONNECTIONS ?? Math.max(1, Math.min(MAX_DERIVED_CONNECTIONS, Math.floor(e.BODY_MEMORY_BUDGET / e.BODY_LIMIT))),
    bodyMemoryBudget: e.BODY_MEMORY_BUDGET,
    trustProxy: e.TRUST_PROXY,
    docsEnabled: e.DOCS_ENABLED,
    publicUrl: e.RELAY_PUBLIC_URL,
    logLevel: e.LOG_LEVEL,
    metricsPort: e.METRICS_PORT,
    metricsHost: e.METRICS_HOST,
  };
}

export const serverConfig = configNamespace('server', loadServerConfig);
