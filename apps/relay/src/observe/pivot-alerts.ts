import { accountName, ErrorList, Observable } from '@app/common';
import { Alert, AlertsRepository, DefenderContext, DevicesRepository, Machine, tooManyDevices } from '@app/defender';
import { Injectable } from '@nestjs/common';

/** The alerts of a device or user observable, and the devices it resolved to (their profiles need no second fetch). */
export interface PivotAlerts {
  alerts: Alert[];
  devices: Machine[];
}

/**
 * Alerts for the observables that name a device or a user rather than an artefact: a host name
 * (resolved to its devices first), a machine id, a user (by account name). Each device's and
 * user's alerts are fetched once per request, also when a host name and its machine id are
 * observed together.
 */
@Injectable()
export class PivotAlertsLookup {
  constructor(
    private readonly devices: DevicesRepository,
    private readonly alerts: AlertsRepository,
  ) {}

  /** Undefined for a type this lookup does not handle. */
  async alertsFor(ctx: DefenderContext, observable: Observable, errors: ErrorList): Promise<PivotAlerts | undefined> {
    switch (observable.type) {
      case 'ms_machine_id':
        return { alerts: await this.machineAlerts(ctx, observable.value), devices: [] };
      case 'hostname': {
        const { devices, truncated } = await this.devices.byHostname(ctx, observable.value);
        if (truncated) errors.add(tooManyDevices(observable.value));
        const lists = await Promise.all(devices.map((d) => this.machineAlerts(ctx, String(d.id))));
        return { alerts: lists.flat(), devices };
      }
      case 'user': {
        const account = accountName(observable.value);
        return { alerts: await ctx.once(`observe:userAlerts:${account.toLowerCase()}`, () => this.alerts.forUser(ctx, account)), devices: [] };
      }
      default:
        return undefined;
    }
  }

  private machineAlerts(ctx: DefenderContext, id: string): Promise<Alert[]> {
    return ctx.once(`observe:machineAlerts:${id.toLowerCase()}`, () => this.alerts.forMachine(ctx, id));
  }
}
