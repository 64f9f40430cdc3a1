import { SandboxSeed, TenantSeed } from './model/sandbox-seed.types';
import { DEMO_ACTION_HISTORY, DEMO_INDICATOR_HISTORY, DEMO_INDICATORS, DEMO_INVESTIGATIONS, DEMO_MACHINE_ACTIONS, OTHER_INDICATORS } from './seed/actions.seed';
import { DEMO_ALERT_HISTORY, DEMO_ALERTS, OTHER_ALERTS } from './seed/alerts.seed';
import { DEMO_FILES, OTHER_FILES } from './seed/files.seed';
import { DEMO_HUNTING, OTHER_HUNTING } from './seed/hunting.seed';
import { DEMO_FLEET, DEMO_MACHINES, OTHER_MACHINES } from './seed/machines.seed';
import { REAL_PAYLOAD_ALERTS, REAL_PAYLOAD_FILES, REAL_PAYLOAD_INDICATORS, REAL_PAYLOAD_MACHINE_ACTIONS } from './seed/real-payloads.seed';
import {
  DEMO_APP_NAME,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_DOMAIN,
  DEMO_TENANT_ID,
  DEMO_TENANT_NAME,
  ALERT_READER_CLIENT_ID,
  ALERT_READER_CLIENT_SECRET,
  DEFENDER_ONLY_CLIENT_ID,
  DEFENDER_ONLY_CLIENT_SECRET,
  NOPERM_CLIENT_ID,
  NOPERM_CLIENT_SECRET,
  OTHER_CLIENT_ID,
  OTHER_CLIENT_SECRET,
  OTHER_TENANT_DOMAIN,
  OTHER_TENANT_ID,
  OPAQUE_CLIENT_ID,
  OPAQUE_CLIENT_SECRET,
  READ_ONLY_CLIENT_ID,
  READ_ONLY_CLIENT_SECRET,
  READ_ONLY_DEFENDER_ROLES,
  RELAY_DEFENDER_ROLES,
  RELAY_GRAPH_ROLES,
} from './seed/seed.constants';

export * from './seed/seed.constants';
export { DEMO_ALERT_HISTORY, DEMO_ALERTS, OTHER_ALERTS } from './seed/alerts.seed';
export { SEED_USERS } from './seed/processes.seed';
export { DEMO_FILES, OTHER_FILES } from './seed/files.seed';
export { DEMO_HUNTING, OTHER_HUNTING } from './seed/hunting.seed';
export { DEMO_FLEET, DEMO_MACHINES, OTHER_MACHINES, SEED_ADAPTERS } from './seed/machines.seed';
export { REAL_PAYLOAD_ALERTS, REAL_PAYLOAD_FILES, REAL_PAYLOAD_INDICATORS, REAL_PAYLOAD_MACHINE_ACTIONS } from './seed/real-payloads.seed';
export { DEMO_ACTION_HISTORY, DEMO_INDICATOR_HISTORY, DEMO_INDICATORS, DEMO_INVESTIGATIONS, DEMO_MACHINE_ACTIONS, OTHER_INDICATORS } from './seed/actions.seed';

export const DEMO_TENANT: TenantSeed = {
  tenantId: DEMO_TENANT_ID,
  displayName: DEMO_TENANT_NAME,
  domains: [DEMO_TENANT_DOMAIN],
  apps: [
    {
      clientId: DEMO_CLIENT_ID,
      clientSecret: DEMO_CLIENT_SECRET,
      displayName: DEMO_APP_NAME,
      roles: { defender: RELAY_DEFENDER_ROLES, graph: RELAY_GRAPH_ROLES },
    },
    {
      clientId: NOPERM_CLIENT_ID,
      clientSecret: NOPERM_CLIENT_SECRET,
      displayName: 'Relay without consent',
      roles: { defender: [], graph: [] },
    },
    {
      clientId: DEFENDER_ONLY_CLIENT_ID,
      clientSecret: DEFENDER_ONLY_CLIENT_SECRET,
      displayName: 'Relay without Graph consent',
      roles: { defender: RELAY_DEFENDER_ROLES, graph: [] },
    },
    {
      clientId: ALERT_READER_CLIENT_ID,
      clientSecret: ALERT_READER_CLIENT_SECRET,
      displayName: 'Relay that may only read alerts',
      roles: { defender: RELAY_DEFENDER_ROLES.filter((r) => r !== 'Alert.ReadWrite.All'), graph: ['ThreatHunting.Read.All', 'SecurityAlert.Read.All'] },
    },
    {
      clientId: READ_ONLY_CLIENT_ID,
      clientSecret: READ_ONLY_CLIENT_SECRET,
      displayName: 'Relay read-only',
      roles: { defender: READ_ONLY_DEFENDER_ROLES, graph: ['ThreatHunting.Read.All'] },
    },
    {
      clientId: OPAQUE_CLIENT_ID,
      clientSecret: OPAQUE_CLIENT_SECRET,
      displayName: 'Relay with opaque tokens',
      roles: { defender: RELAY_DEFENDER_ROLES, graph: RELAY_GRAPH_ROLES },
      opaqueTokens: true,
    },
  ],
  machines: [...DEMO_MACHINES, ...DEMO_FLEET],
  alerts: [...DEMO_ALERTS, ...DEMO_ALERT_HISTORY, ...REAL_PAYLOAD_ALERTS],
  files: [...DEMO_FILES, ...REAL_PAYLOAD_FILES],
  machineActions: [...DEMO_MACHINE_ACTIONS, ...DEMO_ACTION_HISTORY, ...REAL_PAYLOAD_MACHINE_ACTIONS],
  investigations: DEMO_INVESTIGATIONS,
  indicators: [...DEMO_INDICATORS, ...DEMO_INDICATOR_HISTORY, ...REAL_PAYLOAD_INDICATORS],
  hunting: DEMO_HUNTING,
};

export const OTHER_TENANT: TenantSeed = {
  tenantId: OTHER_TENANT_ID,
  displayName: 'Fabrikam Lab',
  domains: [OTHER_TENANT_DOMAIN],
  apps: [
    {
      clientId: OTHER_CLIENT_ID,
      clientSecret: OTHER_CLIENT_SECRET,
      displayName: 'Fabrikam SOC automation',
      // Unlike the demo app, this one may read the exposure score (the original relay's health probe).
      roles: { defender: [...RELAY_DEFENDER_ROLES, 'Score.Read.All'], graph: RELAY_GRAPH_ROLES },
    },
  ],
  machines: OTHER_MACHINES,
  alerts: OTHER_ALERTS,
  files: OTHER_FILES,
  machineActions: [],
  investigations: [],
  indicators: OTHER_INDICATORS,
  hunting: OTHER_HUNTING,
};

/** The default seed: the demo tenant and a second tenant with a little data. */
export const DEMO_SEED: SandboxSeed = { tenants: [DEMO_TENANT, OTHER_TENANT] };
