import { RelayError } from '@app/common';
import { ResponseAction } from '@app/ctim';
import { CapabilityReport, MachineActionName } from '@app/defender';
import { RequestedAction } from './action-id.parser';

const MACHINE_CAPABILITIES: Readonly<Record<MachineActionName, string>> = {
  FullIsolation: 'respond.isolate',
  SelectiveIsolation: 'respond.isolate',
  Unisolate: 'respond.isolate',
  RestrictCodeExecution: 'respond.restrict',
  UnrestrictCodeExecution: 'respond.restrict',
  RunAntiVirusScanQuick: 'respond.scan',
  RunAntiVirusScanFull: 'respond.scan',
  CollectInvestigationPackage: 'respond.collect',
  InitiateInvestigation: 'respond.investigate',
};

/** The row of the permission table (libs/defender capabilities) an offered action needs: a new action is one more case. */
export function capabilityOf(action: RequestedAction): string {
  switch (action.kind) {
    case 'machine':
      return MACHINE_CAPABILITIES[action.name];
    case 'add-indicator':
    case 'remove-indicator':
      return 'respond.indicators';
    case 'tag':
      return 'respond.tags';
    case 'cancel':
      return 'respond.cancel';
    case 'stop-and-quarantine':
      return 'respond.quarantine';
    case 'triage':
      return 'respond.alert-triage';
  }
}

/** A capability the app's roles lack is withheld (not even looked up) with one warning; unreadable roles withhold nothing. */
export class ActionGate {
  private readonly withheld = new Map<string, Set<string>>();
  // One listing asks about the same few capabilities for each of its actions.
  private readonly reports = new Map<string, CapabilityReport | undefined>();

  constructor(
    private readonly assess: (capability: string) => CapabilityReport | undefined,
    private readonly requested: (actionId: string) => RequestedAction | undefined,
  ) {}

  allows(capability: string): boolean {
    let report = this.reports.get(capability);
    if (report === undefined && !this.reports.has(capability)) this.reports.set(capability, (report = this.assess(capability)));
    if (report?.state !== 'missing') return true;
    const permissions = this.withheld.get(report.label) ?? new Set<string>();
    for (const permission of report.grant ?? []) permissions.add(permission);
    this.withheld.set(report.label, permissions);
    return false;
  }

  offer(actions: readonly ResponseAction[]): ResponseAction[] {
    return actions.filter((action) => {
      const requested = this.requested(action.id);
      return requested === undefined || this.allows(capabilityOf(requested));
    });
  }

  warning(): RelayError | undefined {
    if (this.withheld.size === 0) return undefined;
    const parts = [...this.withheld].map(([label, permissions]) => `${label} (grant ${[...permissions].join(' + ')})`);
    return new RelayError('permission denied', `Not offered, the app lacks the application permission: ${parts.join('; ')}`, { type: 'warning' });
  }
}
