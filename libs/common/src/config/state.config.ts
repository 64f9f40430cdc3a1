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

  @Expose() @IsOptional() @IsString()
  SECRET_KEY?: string;
}

export interface StateConfig {
  redisUrl?: string;
  stateKey?: string;
  warnings: string[];
}

export function loadStateConfig(env: Env): StateConfig {
  const e = validateEnv(StateEnv, env);
  const warning = weakKeyWarning('STATE_KEY', e.STATE_KEY);
  return { redisUrl: e.REDIS_URL, stateKey: e.STATE_KEY ?? e.SECRET_KEY, warnings: warning ? [warning] : [] };
}

export const stateConfig = configNamespace('state', loadStateConfig);
