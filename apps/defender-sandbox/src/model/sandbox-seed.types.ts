import { HuntingTableName } from '../hunting/hunting-tables.schema';
import {
  Alert,
  FileProfile,
  HuntingRow,
  Indicator,
  Investigation,
  Machine,
  MachineAction,
} from './entities';

/** Application permissions per API; a token carries the roles of the API it was issued for. */
export interface AppRoles {
  defender: string[];
  graph: string[];
}

export interface AppRegistration {
  clientId: string;
  clientSecret: string;
  displayName: string;
  roles: AppRoles;
  /** Its access tokens are opaque (not a readable JWT), as Microsoft may issue them. */
  opaqueTokens?: boolean;
}

export interface TenantSeed {
  tenantId: string;
  displayName: string;
  /** Verified domains; the token endpoint accepts them in place of the tenant GUID. */
  domains: string[];
  apps: AppRegistration[];
  machines: Machine[];
  alerts: Alert[];
  files: FileProfile[];
  machineActions: MachineAction[];
  investigations: Investigation[];
  indicators: Indicator[];
  hunting: Record<HuntingTableName, HuntingRow[]>;
}

export interface SandboxSeed {
  tenants: TenantSeed[];
}
