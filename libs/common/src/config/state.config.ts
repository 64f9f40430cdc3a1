import { Expose, Transform } from 'class-transformer';
import { IsOptional, IsString, Matches } from 'class-validator';
import { weakKeyWarning } from './auth.config';
import { configNamespace, Env, validateEnv } from './validate-config';

class StateEnv {
  // ioredis turns TLS on only for a lower-case `rediss://`, so the scheme is lower-cased here.
  @Expose() @IsOptional() @Transform(({ value }) => (typeof value === 'string' ? value.replace(/^rediss?:/i, (s) => s.toLowerCase()) : value))
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @Expose() @IsOptional() @IsString()
  STATE_KEY?: string;

  /** Read here only as STATE_KEY's default; the auth namespace owns it. */
  @Expose() @IsOptional() @IsString()
  SECRET_KEY?: string;
}

/** Where state shared by requests lives (rate-limit windows, token and JWKS caches), and how what comes back from it is authenticated. */
export interface StateConfig {
  /** Redis shared by every replica; undefined keeps state in this process's memory. */
  redisUrl?: string;
  /**
   * Authenticates what the relay reads back from Redis (JWKS key sets, sealed tokens):
   * STATE_KEY, else SECRET_KEY; undefined when neither is set.
   */
  stateKey?: string;
  /** Non-fatal problems, logged at start. */
  warnings: string[];
}

export function loadStateConfig(env: Env): StateConfig {
  const e = validateEnv(StateEnv, env);
  const warning = weakKeyWarning('STATE_KEY', e.STATE_KEY);
  return { redisUrl: e.REDIS_URL, stateKey: e.STATE_KEY ?? e.SECRET_KEY, warnings: warning ? [warning] : [] };
}

export const stateConfig = configNamespace('state', loadStateConfig);
