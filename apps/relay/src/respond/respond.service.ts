import { Credentials, DEVICE_PIVOT_TYPES, ErrorList, isObservableType, Observable, ObservableType, RelayError, RelayErrorBody, RESPOND_TYPES, TYPE_RULES } from '@app/common';
import { ActionMapper, RequestedAction, ResponseAction } from '@app/ctim';
import { DefenderContext, DefenderContextFactory, IndicatorsRepository, indicatorTypeFor, MachineActionsRepository, MachinesRepository } from '@app/defender';
import { Injectable, Logger } from '@nestjs/common';
import { DeviceActions } from './device-actions';
import { Trigger } from './trigger.dto';

/** What a machine action may be triggered on: the id itself, or an observable with the `machine_id` offered for it. */
const MACHINE_TARGET_TYPES: readonly ObservableType[] = ['ms_machine_id', ...DEVICE_PIVOT_TYPES];
const INDICATOR_TYPES: readonly ObservableType[] = RESPOND_TYPES.filter((t) => indicatorTypeFor(t) !== undefined);

export interface RespondListResult {
  actions: ResponseAction[];
  errors: RelayErrorBody[];
}

export interface TriggerResult {
  status: 'success' | 'failure';
  errors: RelayErrorBody[];
}

/**
 * Response actions (C-60..C-73): offers what fits the device's current state or the indicator
 * that exists, and runs one action exactly once, reporting Defender's own answer.
 */
@Injectable()
export class RespondService {
  private readonly logger = new Logger(RespondService.name);

  constructor(
    private readonly contexts: DefenderContextFactory,
    private readonly machines: MachinesRepository,
    private readonly machineActions: MachineActionsRepository,
    private readonly indicators: IndicatorsRepository,
    private readonly actions: ActionMapper,
    private readonly devices: DeviceActions,
  ) {}

  list(credentials: Credentials, observables: readonly Observable[], warnings: readonly RelayErrorBody[]): Promise<RespondListResult> {
    const errors = new ErrorList(this.logger, warnings);
    return this.contexts.run(credentials, async (ctx) => {
      const lists = await Promise.all(observables.map((o) => this.actionsFor(ctx, o, errors)));
      return { actions: lists.flat(), errors: errors.all };
    });
  }

  /** An observable's actions; each source that fails costs only its own actions, with the error. */
  private async actionsFor(ctx: DefenderContext, observable: Observable, errors: ErrorList): Promise<ResponseAction[]> {
    const none = [] as ResponseAction[];
    const [own, devices] = await Promise.all([
      errors.capture(() => this.ownActions(ctx, observable), none),
      DEVICE_PIVOT_TYPES.includes(observable.type) ? errors.capture(() => this.devices.offer(ctx, observable, errors), none) : none,
    ]);
    return [...own, ...devices];
  }

  private async ownActions(ctx: DefenderContext, observable: Observable): Promise<ResponseAction[]> {
    if (observable.type === 'ms_machine_id') {
      // Both reads are fresh and independent: an analyst who just isolated must see it (C-95).
      const [machine, history] = await Promise.all([
        this.machines.machine(ctx, observable.value),
        this.machineActions.succeeded(ctx, observable.value),
      ]);
      return machine ? this.actions.forMachine(observable.value, machine, history) : [];
    }
    if (indicatorTypeFor(observable.type) === undefined) return [];
    const [existing] = await this.indicators.forObservable(ctx, observable);
    return this.actions.forIndicator(observable, existing);
  }

  async trigger(credentials: Credentials, trigger: Trigger): Promise<TriggerResult> {
    try {
      const action = this.actions.requested(trigger.actionId);
      if (!action) {
        throw new RelayError('invalid request', `Unsupported action ${JSON.stringify(trigger.actionId.slice(0, 80))}: the relay runs only the actions /respond/observables offers, so nothing was sent to Microsoft Defender for Endpoint`);
      }
      const observable = this.observableFor(action, trigger.observable);
      await this.contexts.run(credentials, (ctx) => this.run(ctx, action, observable, trigger));
      return { status: 'success', errors: [] };
    } catch (error) {
      const errors = new ErrorList(this.logger);
      errors.add(error);
      return { status: 'failure', errors: errors.all };
    }
  }

  /** The trigger's observable (normalised by the pipe) if the action takes its type and the value is well-formed. */
  private observableFor(action: RequestedAction, { type, value }: Trigger['observable']): Observable {
    const wanted = action.kind === 'machine' ? MACHINE_TARGET_TYPES : INDICATOR_TYPES;
    if (!isObservableType(type) || !wanted.includes(type)) {
      throw new RelayError('unsupported type', `Observable type '${type.slice(0, 40)}' is not supported by this action`);
    }
    const rule = TYPE_RULES[type];
    if (!rule.valid(value)) throw new RelayError('invalid payload', `Invalid JSON payload received: 'observable_value' is not ${rule.expected}`);
    return { type, value };
  }

  /** One Defender call, never retried: it may already have acted (C-73). */
  private async run(ctx: DefenderContext, action: RequestedAction, observable: Observable, { indicatorId, machineId }: Trigger): Promise<void> {
    switch (action.kind) {
      case 'machine': {
        const target = observable.type === 'ms_machine_id' ? observable.value : await this.devices.target(ctx, observable, machineId);
        await this.machineActions.run(ctx, target, action.name);
        return;
      }
      case 'add-indicator':
        await this.indicators.submit(ctx, action.policy, observable);
        return;
      case 'remove-indicator':
        if (!indicatorId) throw new RelayError('invalid payload', "Invalid JSON payload received: 'indicator_id' is required to remove an indicator");
        await this.indicators.delete(ctx, indicatorId);
        return;
    }
  }
}
