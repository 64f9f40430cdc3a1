import { MachineAction, MachineActionStatus } from '../model/entities';
import { AppRegistration, SandboxSeed, TenantSeed } from '../model/sandbox-seed.types';
import { Clock, isoTime, shiftTimes } from '../util/time.util';

/** The mutable data of one tenant (a deep copy of its seed). */
export type TenantData = TenantSeed;

export interface MachineControlState {
  /** Isolation type of the latest Succeeded Isolate, or null when released/never isolated. */
  isolation: string | null;
  restricted: boolean;
}

interface PendingCompletion {
  tenantId: string;
  completesAt: number;
  outcome: MachineActionStatus;
}

const ISOLATION_TYPES = new Set(['Isolate', 'Unisolate']);
const RESTRICTION_TYPES = new Set(['RestrictCodeExecution', 'UnrestrictCodeExecution']);

/** All tenants' data. `reset()` restores the seed in place, so references stay valid. */
export class SandboxState {
  private data = new Map<string, TenantData>();
  private pending = new Map<string, PendingCompletion>();
  private indicatorSeq = 0;
  private investigationSeq = 0;

  /**
   * `shiftMs` moves every timestamp of the seed (whole seconds), so that data written relative
   * to SEED_BASE_TIME reads as recent at another instant (`SandboxOptions.seedTime`).
   */
  constructor(
    private readonly seed: SandboxSeed,
    private readonly clock: Clock,
    private readonly shiftMs = 0,
  ) {
    this.reset();
  }

  reset(): void {
    const tenants = structuredClone(this.seed.tenants);
    if (this.shiftMs !== 0) shiftTimes(tenants, this.shiftMs);
    this.data = new Map(tenants.map((t) => [t.tenantId.toLowerCase(), t]));
    this.pending.clear();
    const ids = (values: string[]): number => Math.max(0, ...values.map(Number).filter(Number.isFinite));
    this.indicatorSeq = ids(this.seed.tenants.flatMap((t) => t.indicators.map((i) => i.id)));
    this.investigationSeq = ids(this.seed.tenants.flatMap((t) => t.investigations.map((i) => i.id)));
  }

  get tenants(): TenantData[] {
    this.settle();
    return [...this.data.values()];
  }

  /** The first seed tenant (the demo tenant with the default seed); the shortcuts below read it. */
  get primary(): TenantData {
    return this.tenant(this.seed.tenants[0].tenantId);
  }

  get machines(): TenantData['machines'] {
    return this.primary.machines;
  }

  get alerts(): TenantData['alerts'] {
    return this.primary.alerts;
  }

  get files(): TenantData['files'] {
    return this.primary.files;
  }

  get indicators(): TenantData['indicators'] {
    return this.primary.indicators;
  }

  get machineActions(): TenantData['machineActions'] {
    return this.primary.machineActions;
  }

  get investigations(): TenantData['investigations'] {
    return this.primary.investigations;
  }

  get hunting(): TenantData['hunting'] {
    return this.primary.hunting;
  }

  /** The data of a tenant by GUID (throws for an unknown tenant). */
  tenant(tenantId: string): TenantData {
    this.settle();
    const tenant = this.data.get(tenantId.toLowerCase());
    if (!tenant) throw new Error(`unknown tenant ${tenantId}`);
    return tenant;
  }

  /** A tenant by GUID or verified domain, as the token endpoint resolves it. */
  findTenant(idOrDomain: string): TenantData | undefined {
    const key = idOrDomain.toLowerCase();
    return this.data.get(key) ?? [...this.data.values()].find((t) => t.domains.some((d) => d.toLowerCase() === key));
  }

  findApp(tenant: TenantData, clientId: string): AppRegistration | undefined {
    return tenant.apps.find((a) => a.clientId.toLowerCase() === clientId.toLowerCase());
  }

  nextIndicatorId(): string {
    this.indicatorSeq += 1;
    return String(this.indicatorSeq);
  }

  nextInvestigationId(): string {
    this.investigationSeq += 1;
    return String(this.investigationSeq);
  }

  /** Completes `action` with `outcome` once `delayMs` has passed (checked lazily on every read). */
  scheduleCompletion(tenantId: string, action: MachineAction, delayMs: number, outcome: MachineActionStatus): void {
    this.pending.set(action.id, { tenantId, completesAt: this.clock() + delayMs, outcome });
  }

  /** Finishes the machine actions whose completion time has come. */
  settle(): void {
    if (this.pending.size === 0) return;
    const now = this.clock();
    for (const [id, p] of this.pending) {
      if (now < p.completesAt) continue;
      this.pending.delete(id);
      const action = this.data.get(p.tenantId.toLowerCase())?.machineActions.find((a) => a.id === id);
      if (action && (action.status === 'Pending' || action.status === 'InProgress')) {
        action.status = p.outcome;
        action.lastUpdateDateTimeUtc = isoTime(now);
        if (p.outcome === 'Failed') action.errorHResult = -2147024891;
      }
    }
  }

  /** Isolation/restriction of a machine, derived like an analyst would: latest Succeeded action wins. */
  machineControl(tenant: TenantData, machineId: string): MachineControlState {
    this.settle();
    const succeeded = tenant.machineActions
      .filter((a) => a.machineId === machineId && a.status === 'Succeeded')
      .sort((a, b) => b.creationDateTimeUtc.localeCompare(a.creationDateTimeUtc));
    const isolation = succeeded.find((a) => ISOLATION_TYPES.has(a.type));
    const restriction = succeeded.find((a) => RESTRICTION_TYPES.has(a.type));
    return {
      isolation: isolation?.type === 'Isolate' ? (isolation.scope ?? 'Full') : null,
      restricted: restriction?.type === 'RestrictCodeExecution',
    };
  }
}
