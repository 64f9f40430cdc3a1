import { canonicalIp, ErrorList, isMachineId, Observable, RelayError } from '@app/common';
import { ActionMapper, ResponseAction } from '@app/ctim';
import {
  DefenderContext,
  deviceHasIp,
  deviceHasMac,
  DevicesRepository,
  hostnameMatches,
  Machine,
  MachineActionsRepository,
  MachinesRepository,
  ObservableSearch,
  tooManyDevicesForIp,
} from '@app/defender';
import { Injectable } from '@nestjs/common';
import { ListingReads } from './listing-reads';
import { NOTHING_SENT } from './trigger.dto';

/** A trigger acts on the offered `machine_id` only, never resolving again, once the device still answers to the observable. */
@Injectable()
export class DeviceActions {
  constructor(
    private readonly devices: DevicesRepository,
    private readonly search: ObservableSearch,
    private readonly machines: MachinesRepository,
    private readonly machineActions: MachineActionsRepository,
    private readonly actions: ActionMapper,
    private readonly listing: ListingReads,
  ) {}

  async offer(ctx: DefenderContext, observable: Observable, errors: ErrorList): Promise<ResponseAction[]> {
    const devices = await this.resolve(ctx, observable, errors);
    const lists = await Promise.all(
      devices.filter((device) => isMachineId(device.id)).map(async (device) => {
        const id = String(device.id).toLowerCase();
        // As fresh as an ms_machine_id's: an analyst who just isolated must see it.
        const { succeeded: history } = await this.listing.read(ctx, `history:${id}`, () => this.machineActions.history(ctx, id));
        return this.actions.forResolvedDevice(observable, id, device, history);
      }),
    );
    return lists.flat();
  }

  async target(ctx: DefenderContext, observable: Observable, machineId: string | undefined): Promise<string> {
    if (machineId === undefined) {
      throw new RelayError('invalid payload', `Invalid JSON payload received: 'machine_id' is required to act on a device found by ${observable.type}, so ${NOTHING_SENT}`);
    }
    const machine = await this.machines.current(ctx, machineId);
    if (!machine) throw new RelayError('not found', `Device ${machineId} is not known to Microsoft Defender for Endpoint, so ${NOTHING_SENT}`);
    if (!this.answersTo(machine, observable)) {
      throw new RelayError('invalid request', `Device ${machineId} does not have the ${observable.type} ${observable.value.slice(0, 100)} it was offered for, so ${NOTHING_SENT}`);
    }
    return machineId;
  }

  private async resolve(ctx: DefenderContext, observable: Observable, errors: ErrorList): Promise<Machine[]> {
    if (observable.type !== 'ip' && observable.type !== 'ipv6') return this.search.devicesOf(ctx, observable, errors);
    const { devices, truncated } = await this.devices.byIp(ctx, observable.value);
    if (truncated) errors.add(tooManyDevicesForIp(observable.value));
    return devices;
  }

  private answersTo(machine: Machine, observable: Observable): boolean {
    if (observable.type === 'hostname') return hostnameMatches(machine.computerDnsName, observable.value);
    if (observable.type === 'mac_address') return deviceHasMac(machine, observable.value);
    return deviceHasIp(machine, observable.value, canonicalIp);
  }
}
