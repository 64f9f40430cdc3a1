import { ConfigModule, registerAs } from '@nestjs/config';
import { authConfig } from './auth.config';
import { defenderConfig } from './defender.config';
import { isProductionMode, outboundConfig } from './outbound.config';
import { respondConfig } from './respond.config';
import { serverConfig } from './server.config';
import { stateConfig } from './state.config';
import { ConfigValidationError, Env } from './validate-config';

const NAMESPACES = [serverConfig, authConfig, respondConfig, defenderConfig, outboundConfig, stateConfig] as const;
type Namespace = (typeof NAMESPACES)[number];

export type RelayConfig = { [N in Namespace as N['NAME']]: ReturnType<N> };

/** One ConfigValidationError lists every problem of every namespace, so the operator fixes them all at once. */
export function loadRelayConfig(env: Env): RelayConfig {
  const problems: string[] = [];
  const loaded = NAMESPACES.map((namespace) => {
    try {
      return [namespace.NAME, namespace(env)];
    } catch (error) {
      if (!(error instanceof ConfigValidationError)) throw error;
      problems.push(...error.problems);
      return [namespace.NAME, undefined];
    }
  });
  problems.push(...crossNamespaceProblems(env));
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return Object.fromEntries(loaded) as RelayConfig;
}

/** A production relay that would refuse every caller is a mistake, not a configuration (elsewhere: a start-up warning). */
function crossNamespaceProblems(env: Env): string[] {
  const set = (name: string) => (env[name] ?? '').trim() !== '';
  if (!isProductionMode(env) || set('SECRET_KEY') || set('RELAY_PUBLIC_URL')) return [];
  return [
    'SECRET_KEY / RELAY_PUBLIC_URL: with NODE_ENV=production one of them must be set, or every call is refused: SECRET_KEY for HS256 module JWTs (npm run jwt makes one), RELAY_PUBLIC_URL (the URL Cisco XDR calls) for RS256',
  ];
}

export function configWarnings(config: RelayConfig): string[] {
  return [config.auth, config.defender, config.outbound, config.state].flatMap((namespace) => namespace.warnings);
}

// Nest's own reading of process.env and .env files is off: the app sees only the environment it was built from.
export function relayConfigModule(config: RelayConfig) {
  return ConfigModule.forRoot({
    isGlobal: true,
    ignoreEnvFile: true,
    validatePredefined: false,
    skipProcessEnv: true,
    load: NAMESPACES.map((namespace) => registerAs(namespace.NAME, () => config[namespace.NAME])),
  });
}
