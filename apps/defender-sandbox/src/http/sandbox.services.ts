import { TokenStore } from '../auth/token.store';
import { FaultsControl } from '../controls/faults.control';
import { LatencyControl } from '../controls/latency.control';
import { RateLimiter } from '../controls/rate-limit.control';
import { StatsControl } from '../controls/stats.control';
import { JwksHelper } from '../jwks/jwks.keys';
import { SandboxState } from '../state/sandbox.state';
import { Clock } from '../util/time.util';

/** Behaviour switches that tests and scripts may change at run time. */
export interface SandboxConfig {
  /** How long a new machine action stays Pending; 0 = it is complete on the next read. */
  machineActionDelayMs: number;
  /** Final status of new machine actions. */
  machineActionOutcome: 'Succeeded' | 'Failed';
  /** Serve the undocumented `machines/{id}/availableMachineActions` (404 when off, as today). */
  availableMachineActions: boolean;
  /** `expires_in` of issued tokens, in seconds. */
  tokenLifetimeSeconds: number;
  /**
   * How lookups of something Defender knows nothing of answer (related alerts of a file, domain or
   * IP; indicators and machine actions by `$filter`): `empty` is the documented 200 with an empty
   * list; `notFound` is 404 ResourceNotFound, as older Defender (and some fakes) answer.
   */
  unknownLookups: 'empty' | 'notFound';
  /** Most `alertIds` one `alerts/batchUpdate` takes before its 400 `MaximumBatchSizeExceeded` (Microsoft documents none). */
  alertBatchMaxIds: number;
}

export const DEFAULT_CONFIG: SandboxConfig = {
  machineActionDelayMs: 0,
  machineActionOutcome: 'Succeeded',
  availableMachineActions: false,
  tokenLifetimeSeconds: 3599,
  unknownLookups: 'empty',
  alertBatchMaxIds: 100,
};

/** Everything a route needs; one instance per sandbox. */
export interface SandboxServices {
  state: SandboxState;
  tokens: TokenStore;
  faults: FaultsControl;
  latency: LatencyControl;
  rateLimiter: RateLimiter;
  stats: StatsControl;
  jwks: JwksHelper;
  clock: Clock;
  config: SandboxConfig;
  /** Aborted when the sandbox closes: releases hanging and delayed calls. */
  shutdown: AbortSignal;
}
