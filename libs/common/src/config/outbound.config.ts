import { Expose } from 'class-transformer';
import { IsOptional, IsString } from 'class-validator';
import { isIP } from 'node:net';
import { configNamespace, ConfigValidationError, Env, validateEnv } from './validate-config';

class OutboundEnv {
  @Expose() @IsOptional() @IsString()
  NODE_ENV?: string;

  // Parsed below, so a bad value is reported without echoing the credentials it may hold.
  @Expose() @IsOptional() @IsString()
  OUTBOUND_PROXY?: string;
}

export interface OutboundProxy {
  protocol: 'http' | 'https';
  host: string;
  port: number;
  auth?: { username: string; password: string };
}

export interface OutboundConfig {
  // `false` ignores HTTP(S)_PROXY: an inherited variable must not reroute credentials.
  proxy: OutboundProxy | false;
  warnings: string[];
}

const PROXY_MESSAGE = 'OUTBOUND_PROXY: must be an http:// or https:// proxy origin such as http://proxy.example.com:3128';

export function isProductionMode(env: Env): boolean {
  return env.NODE_ENV?.trim().toLowerCase() === 'production';
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

// Plain http to another machine would carry secrets unencrypted: fatal in production, a warning otherwise.
export function checkPlainHttp(env: Env, upstreams: Record<string, string | undefined>): { problems: string[]; warnings: string[] } {
  const production = isProductionMode(env);
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const [name, value] of Object.entries(upstreams)) {
    if (value === undefined || !/^http:\/\//i.test(value)) continue;
    const url = new URL(value);
    if (isLoopback(url.hostname)) continue;
    const host = url.host;
    if (production) problems.push(`${name}: plain http:// to ${host} is refused when NODE_ENV=production; use https:// (http:// is allowed only to 127.0.0.1, ::1 or localhost)`);
    else warnings.push(`${name} is plain http:// to ${host}: secrets and tokens would cross the network unencrypted (refused when NODE_ENV=production)`);
  }
  return { problems, warnings };
}

function parseProxy(raw: string): OutboundProxy {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigValidationError([PROXY_MESSAGE]);
  }
  const protocol = url.protocol.slice(0, -1);
  if ((protocol !== 'http' && protocol !== 'https') || !url.hostname || url.pathname !== '/' || url.search || url.hash) {
    throw new ConfigValidationError([PROXY_MESSAGE]);
  }
  const auth = url.username ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) } : undefined;
  return {
    protocol,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : protocol === 'https' ? 443 : 80,
    ...(auth ? { auth } : {}),
  };
}

export function loadOutboundConfig(env: Env): OutboundConfig {
  const e = validateEnv(OutboundEnv, env);
  // A plain-http proxy is fine: HTTPS upstreams cross it only in a CONNECT tunnel.
  const proxy = e.OUTBOUND_PROXY === undefined ? false : parseProxy(e.OUTBOUND_PROXY);
  return { proxy, warnings: [] };
}

export const outboundConfig = configNamespace('outbound', loadOutboundConfig);
