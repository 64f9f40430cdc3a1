import type { AlertsApiName, HuntingApi } from '@app/common';

export const GRAPH_HUNTING_PERMISSION = 'ThreatHunting.Read.All';

export type PermissionApi = 'defender' | 'graph';

/** The permission each alert writer needs, by `ALERTS_API`. */
export const ALERT_WRITE_PERMISSIONS: Readonly<Record<AlertsApiName, string>> = { defender: 'Alert.ReadWrite.All', graph: 'SecurityAlert.ReadWrite.All' };

export interface PermissionSettings {
  huntingApi: HuntingApi;
  alertsApi?: AlertsApiName;
  /** ISO day the retiring Defender hunting API stops answering (passed in: this table is also compiled into `npm run doctor`, which loads no library index). */
  huntingRetirement: string;
}

export interface Permission {
  api: PermissionApi;
  name: string;
  when?: (settings: PermissionSettings) => boolean;
  retiring?: true;
}

export type CapabilityGroup = 'observe' | 'deliberate' | 'refer' | 'respond' | 'tiles';

export interface Capability {
  id: string;
  group: CapabilityGroup;
  label: string;
  /** Every entry must be granted, each by any one of its permissions; the first one is the one to grant. */
  needs: readonly (readonly Permission[])[];
  /** Observe cannot work without it: /health fails and `npm run doctor` exits non-zero. */
  essential?: boolean;
}

const api = (name: string, more: Partial<Permission> = {}): Permission => ({ api: 'defender', name, ...more });
const graph = (name: string, more: Partial<Permission> = {}): Permission => ({ api: 'graph', name, ...more });

const ALERTS_READ = [api('Alert.Read.All'), api('Alert.ReadWrite.All')];
const MACHINES_READ = [api('Machine.Read.All'), api('Machine.ReadWrite.All')];
const FILES_READ = [api('File.Read.All')];
const INDICATORS = [api('Ti.ReadWrite.All'), api('Ti.ReadWrite')];

/** Every capability and the application permissions it needs: /health, respond, doctor, README and module_type.json follow it. */
export const CAPABILITIES: readonly Capability[] = [
  { id: 'observe.alerts', group: 'observe', label: 'alerts', needs: [ALERTS_READ], essential: true },
  { id: 'observe.machines', group: 'observe', label: 'machines', needs: [MACHINES_READ] },
  { id: 'observe.files', group: 'observe', label: 'files', needs: [FILES_READ] },
  { id: 'observe.file-prevalence', group: 'observe', label: 'file prevalence', needs: [FILES_READ] },
  { id: 'observe.ip-prevalence', group: 'observe', label: 'IP prevalence', needs: [[api('Ip.Read.All')]] },
  { id: 'observe.domain-prevalence', group: 'observe', label: 'domain prevalence', needs: [[api('URL.Read.All')]] },
  {
    id: 'observe.hunting',
    group: 'observe',
    label: 'advanced hunting',
    needs: [
      [
        graph(GRAPH_HUNTING_PERMISSION, { when: (s) => s.huntingApi !== 'defender' }),
        api('AdvancedQuery.Read.All', { when: (s) => s.huntingApi !== 'graph', retiring: true }),
      ],
    ],
  },
  { id: 'deliberate', group: 'deliberate', label: 'verdicts', needs: [FILES_READ, INDICATORS] },
  { id: 'refer', group: 'refer', label: 'device links', needs: [MACHINES_READ] },
  { id: 'respond.isolate', group: 'respond', label: 'isolate / release', needs: [MACHINES_READ, [api('Machine.Isolate')]] },
  { id: 'respond.restrict', group: 'respond', label: 'restrict / unrestrict app execution', needs: [MACHINES_READ, [api('Machine.RestrictExecution')]] },
  { id: 'respond.scan', group: 'respond', label: 'antivirus scan', needs: [MACHINES_READ, [api('Machine.Scan')]] },
  { id: 'respond.collect', group: 'respond', label: 'collect investigation package', needs: [MACHINES_READ, [api('Machine.CollectForensics')]] },
  { id: 'respond.investigate', group: 'respond', label: 'automated investigation', needs: [MACHINES_READ, [api('Alert.ReadWrite.All')]] },
  {
    id: 'respond.cancel',
    group: 'respond',
    label: 'cancel a pending action',
    needs: [MACHINES_READ, ['Machine.Isolate', 'Machine.RestrictExecution', 'Machine.Scan', 'Machine.CollectForensics', 'Machine.StopAndQuarantine'].map((n) => api(n))],
  },
  { id: 'respond.quarantine', group: 'respond', label: 'stop & quarantine file', needs: [FILES_READ, [api('Machine.StopAndQuarantine')]] },
  { id: 'respond.tags', group: 'respond', label: 'device tags', needs: [[api('Machine.ReadWrite.All')]] },
  { id: 'respond.indicators', group: 'respond', label: 'indicators', needs: [INDICATORS] },
  {
    id: 'respond.alert-triage',
    group: 'respond',
    label: 'alert triage',
    needs: [[api(ALERT_WRITE_PERMISSIONS.defender, { when: (s) => s.alertsApi !== 'graph' }), graph(ALERT_WRITE_PERMISSIONS.graph, { when: (s) => s.alertsApi === 'graph' })]],
  },
  { id: 'tiles', group: 'tiles', label: 'dashboard tiles', needs: [ALERTS_READ, MACHINES_READ, INDICATORS] },
];

export interface GrantedRoles {
  defender?: readonly string[];
  graph?: readonly string[];
}

export type CapabilityState = 'works' | 'missing' | 'unknown';

export interface CapabilityReport {
  capability: string;
  group: CapabilityGroup;
  label: string;
  state: CapabilityState;
  grant?: string[];
}

const API_NAMES: Readonly<Record<PermissionApi, string>> = { defender: 'WindowsDefenderATP', graph: 'Microsoft Graph' };

export function permissionName(permission: Permission): string {
  return `${API_NAMES[permission.api]} ${permission.name}`;
}

export function applicable(permissions: readonly Permission[], settings: PermissionSettings, now: number): Permission[] {
  return permissions.filter((p) => (p.when?.(settings) ?? true) && (!p.retiring || now < Date.parse(`${settings.huntingRetirement}T00:00:00Z`)));
}

/** What the roles allow of one capability: works, missing (with what to grant) or unknown. */
export function assessCapability(capability: Capability, roles: GrantedRoles, settings: PermissionSettings, now: number): CapabilityReport {
  const base = { capability: capability.id, group: capability.group, label: capability.label };
  const grant: string[] = [];
  let unknown = false;
  for (const requirement of capability.needs) {
    const options = applicable(requirement, settings, now);
    if (options.some((p) => roles[p.api]?.includes(p.name))) continue;
    if (options.some((p) => roles[p.api] === undefined)) unknown = true;
    else if (options.length > 0) grant.push(permissionName(options[0]));
  }
  if (grant.length > 0) return { ...base, state: 'missing', grant };
  return { ...base, state: unknown ? 'unknown' : 'works' };
}

export function assessCapabilities(roles: GrantedRoles, settings: PermissionSettings, now: number): CapabilityReport[] {
  return CAPABILITIES.map((c) => assessCapability(c, roles, settings, now));
}

export function usesGraph(settings: PermissionSettings, now: number): boolean {
  return CAPABILITIES.some((c) => c.needs.some((r) => applicable(r, settings, now).some((p) => p.api === 'graph')));
}

/** Every permission the settings use, grouped by capability group, for documentation and tips. */
export function permissionsByGroup(settings: PermissionSettings, now: number): Record<CapabilityGroup, string[]> {
  const groups: Record<CapabilityGroup, string[]> = { observe: [], deliberate: [], refer: [], respond: [], tiles: [] };
  for (const capability of CAPABILITIES) {
    for (const requirement of capability.needs) {
      const first = applicable(requirement, settings, now)[0];
      if (first && !groups[capability.group].includes(permissionName(first))) groups[capability.group].push(permissionName(first));
    }
  }
  return groups;
}

/** A diagnosis only (Microsoft asks clients to treat access tokens as opaque): undefined for an unreadable token. */
export function rolesOf(accessToken: string): string[] | undefined {
  const parts = accessToken.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return undefined;
    const roles = (claims as { roles?: unknown }).roles;
    if (roles === undefined) return [];
    return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : undefined;
  } catch {
    return undefined;
  }
}

/** Each permission to grant with the capabilities it would enable (`respond: isolate / release`), in table order. */
export function missingPermissions(reports: readonly CapabilityReport[]): Map<string, string[]> {
  const missing = new Map<string, string[]>();
  for (const report of reports) {
    for (const permission of report.grant ?? []) {
      const enables = missing.get(permission) ?? [];
      enables.push(`${report.group}${report.group === report.label ? '' : `: ${report.label}`}`);
      missing.set(permission, enables);
    }
  }
  return missing;
}

export function observeBlocked(reports: readonly CapabilityReport[]): boolean {
  return reports.some((r) => r.state === 'missing' && CAPABILITIES.find((c) => c.id === r.capability)?.essential);
}
