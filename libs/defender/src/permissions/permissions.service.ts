import { BoundedMap, Clock, CLOCK, Credentials, DEFENDER_HUNTING_RETIREMENT, defenderConfig, RelayError, respondConfig } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { TokenService } from '../http/token.service';
import { assessCapabilities, assessCapability, CAPABILITIES, CapabilityReport, GrantedRoles, missingPermissions, PermissionSettings, rolesOf, usesGraph } from './capabilities';

/** How each API's token read: `read` (its roles claim), `unknown` (opaque, encrypted or not obtained), `unused`. */
export type TokenReading = 'read' | 'unknown' | 'unused';

export interface PermissionsReport {
  tokens: { defender: TokenReading; graph: TokenReading };
  capabilities: CapabilityReport[];
}

/** Read from the roles claim of tokens obtained anyway: a diagnosis; Defender's and Graph's 403 stay the authority. */
@Injectable()
export class PermissionsService {
  // A token is reused for up to an hour: its claims are decoded once, not on every /health and listing.
  private readonly decoded = new BoundedMap<string, readonly string[] | undefined>(256);

  constructor(
    private readonly tokens: TokenService,
    @Inject(defenderConfig.KEY) private readonly config: ConfigType<typeof defenderConfig>,
    @Inject(respondConfig.KEY) private readonly respond: ConfigType<typeof respondConfig>,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  get settings(): PermissionSettings {
    return { huntingApi: this.config.huntingApi, alertsApi: this.respond.alertsApi, huntingRetirement: DEFENDER_HUNTING_RETIREMENT };
  }

  async roles(credentials: Credentials, graph = usesGraph(this.settings, this.now())): Promise<GrantedRoles> {
    const [defender, graphRoles] = await Promise.all([
      this.rolesFor(credentials, 'defender'),
      graph ? this.rolesFor(credentials, 'graph').catch(() => undefined) : undefined,
    ]);
    return { defender, graph: graphRoles };
  }

  async report(credentials: Credentials): Promise<PermissionsReport> {
    const graph = usesGraph(this.settings, this.now());
    const roles = await this.roles(credentials, graph);
    const reading = (r: readonly string[] | undefined): TokenReading => (r === undefined ? 'unknown' : 'read');
    return {
      tokens: { defender: reading(roles.defender), graph: graph ? reading(roles.graph) : 'unused' },
      capabilities: assessCapabilities(roles, this.settings, this.now()),
    };
  }

  assess(roles: GrantedRoles, capability: string): CapabilityReport | undefined {
    const row = CAPABILITIES.find((c) => c.id === capability);
    return row && assessCapability(row, roles, this.settings, this.now());
  }

  private async rolesFor(credentials: Credentials, audience: 'defender' | 'graph'): Promise<readonly string[] | undefined> {
    const { accessToken } = await this.tokens.token(credentials, audience);
    if (this.decoded.has(accessToken)) return this.decoded.get(accessToken);
    const roles = rolesOf(accessToken);
    this.decoded.set(accessToken, roles && Object.freeze(roles));
    return roles;
  }
}

export function permissionWarnings(report: PermissionsReport): RelayError[] {
  const warnings = [...missingPermissions(report.capabilities)].map(
    ([permission, enables]) =>
      new RelayError('permission denied', `The app lacks the application permission ${permission} (grant it, then admin consent): disabled ${enables.join(', ')}`, { type: 'warning' }),
  );
  for (const api of ['defender', 'graph'] as const) {
    if (report.tokens[api] !== 'unknown') continue;
    const name = api === 'defender' ? 'Defender' : 'Microsoft Graph';
    warnings.push(new RelayError('unknown', `The ${name} token's permissions cannot be read (not a plain JWT): capabilities that depend on them are unknown; ${name}'s answers tell`, { type: 'warning' }));
  }
  return warnings;
}
