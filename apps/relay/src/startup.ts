import { AuthConfig, DEFENDER_HUNTING_RETIREMENT, DefenderConfig, ServerConfig, StateConfig } from '@app/common';

export interface StartupFacts {
  version: string;
  port: number;
  server: ServerConfig;
  auth: AuthConfig;
  defender: DefenderConfig;
  state: StateConfig;
  metricsPort?: number;
}

export interface StartupSummary {
  message: string;
  details: Record<string, unknown>;
  warnings: string[];
}

export function startupSummary(f: StartupFacts): StartupSummary {
  const hs256 = f.auth.secretKey !== undefined;
  const rs256 = f.server.publicUrl !== undefined;
  const address = `http://${hostForUrl(f.server.host)}:${f.port}`;
  const hunting = {
    auto: `auto (Graph ${f.defender.graphUrl}; Defender's retiring API only for apps Graph refuses, until ${DEFENDER_HUNTING_RETIREMENT})`,
    graph: `graph (${f.defender.graphUrl})`,
    defender: `defender (${f.defender.apiUrl}; retiring, no data after ${DEFENDER_HUNTING_RETIREMENT})`,
  }[f.defender.huntingApi];
  const state = f.state.redisUrl ? `redis ${withoutCredentials(f.state.redisUrl)}` : 'memory (one replica)';
  const metrics = f.metricsPort === undefined ? 'off' : `http://${hostForUrl(f.server.metricsHost)}:${f.metricsPort}/metrics`;
  const auth = [
    `HS256 ${hs256 ? 'on' : 'off (SECRET_KEY unset)'}`,
    `RS256 ${rs256 ? `on (aud ${f.server.publicUrl}, JWKS ${f.auth.jwksHosts.map((h) => h.match).join(', ')})` : 'off (RELAY_PUBLIC_URL unset)'}`,
  ].join(', ');
  const microsoft = `${f.defender.cloud} cloud: login ${f.defender.loginUrl}, API ${f.defender.apiUrl}, portal ${f.defender.portalUrl}`;

  const warnings: string[] = [];
  if (!hs256 && !rs256) {
    warnings.push('Neither SECRET_KEY nor RELAY_PUBLIC_URL is set: every module JWT will be refused (set SECRET_KEY for HS256, RELAY_PUBLIC_URL for RS256)');
  } else if (!hs256) {
    warnings.push('SECRET_KEY is not set: every HS256 token will be refused (npm run jwt makes a key and a module JWT)');
  }
  if (f.state.redisUrl && f.state.stateKey === undefined && rs256) {
    warnings.push('REDIS_URL is set but neither STATE_KEY nor SECRET_KEY: JWKS key sets are not shared through Redis, since they could not be authenticated');
  }
  return {
    message: `Defender Relay ${f.version} listening on ${address}; auth: ${auth}; ${microsoft}; hunting: ${hunting}; state: ${state}; metrics: ${metrics}`,
    details: {
      version: f.version,
      address,
      auth: { hs256, rs256 },
      cloud: f.defender.cloud,
      hosts: { login: f.defender.loginUrl, api: f.defender.apiUrl, portal: f.defender.portalUrl, graph: f.defender.graphUrl },
      hunting: f.defender.huntingApi,
      state: f.state.redisUrl ? 'redis' : 'memory',
      metrics: f.metricsPort === undefined ? 'off' : metrics,
    },
    warnings,
  };
}

/** Why listening failed, in the variable's terms (`PORT`, `METRICS_PORT`); undefined when not about the address. */
export function listenError(error: unknown, variable: string, port: number | undefined, host: string): Error | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  const where = `${hostForUrl(host)}:${port}`;
  switch (code) {
    case 'EADDRINUSE':
      return new Error(`${variable}=${port} is already in use on ${host} (another relay or service listens on ${where}); stop it or set ${variable} to a free port`);
    case 'EACCES':
      return new Error(`${variable}=${port} needs privileges this process lacks (ports below 1024 usually do); set ${variable} to 1024 or above`);
    case 'EADDRNOTAVAIL':
      return new Error(`cannot listen on ${where}: ${host} is not an address of this machine; check HOST${variable === 'METRICS_PORT' ? ' / METRICS_HOST' : ''}`);
    default:
      return undefined;
  }
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** A Redis URL's scheme, host and port: its password never reaches a log. */
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return '(REDIS_URL)';
  }
}
