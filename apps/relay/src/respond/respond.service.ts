import { Credentials, defenderConfig, ErrorList, isObservableType, Observable, RelayError, RelayErrorBody, RESPOND_TYPES, TYPE_RULES } from '@app/common';
import {
  availableMachineActions,
  indicatorActions,
  indicatorRequest,
  indicatorTypeFor,
  isIndicatorActionId,
  isMachineActionId,
  machineActionRequest,
  machineActions,
  REMOVE_INDICATOR_ACTION_ID,
  ResponseAction,
} from '@app/ctim';
import { DefenderContext, DefenderContextFactory, Indicator, IndicatorsRepository, MachineAction, MachineActionsRepository, MachinesRepository } from '@app/defender';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { TriggerDto } from './trigger.dto';

export interface RespondListResult {
  actions: ResponseAction[];
  errors: RelayErrorBody[];
}

export interface TriggerResult {
  status: 'success' | 'failure';
  errors: RelayErrorBody[];
}

const ISOLATION = new Set(['Isolate', 'Unisolate']);
const RESTRICTION = new Set(['RestrictCodeExecution', 'UnrestrictCodeExecution']);

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
    @Inject(defenderConfig.KEY) private readonly config: ConfigType<typeof defenderConfig>,
  ) {}

  list(credentials: Credentials, observables: readonly Observable[], warnings: readonly RelayErrorBody[]): Promise<RespondListResult> {
    const errors = new ErrorList(this.logger, warnings);
    return this.contexts.run(credentials, async (ctx) => {
      const lists = await Promise.all(observables.map((o) => errors.capture(() => this.actionsFor(ctx, o), [] as ResponseAction[])));
      return { actions: lists.flat(), errors: errors.all };
    });
  }

  private async actionsFor(ctx: DefenderContext, observable: Observable): Promise<ResponseAction[]> {
    if (observable.type === 'ms_machine_id') {
      // Both reads are fresh and independent: an analyst who just isolated must see it (C-95).
      const [machine, history] = await Promise.all([
        this.machines.machine(ctx, observable.value),
        this.machineActions.succeeded(ctx, observable.value),
      ]);
      if (!machine) return [];
      return machineActions(observable.value, {
        isolated: latestOf(history, ISOLATION)?.type === 'Isolate',
        restricted: latestOf(history, RESTRICTION)?.type === 'RestrictCodeExecution',
        available: availableMachineActions(machine.osPlatform),
      });
    }
    return indicatorActions(observable, await this.existingIndicator(ctx, observable));
  }

  private async existingIndicator(ctx: DefenderContext, observable: Observable): Promise<Indicator | undefined> {
    const type = indicatorTypeFor(observable.type);
    const found = await this.indicators.byValue(ctx, observable.value);
    return found.find((i) => i.indicatorType === type && String(i.indicatorValue ?? '').toLowerCase() === observable.value.toLowerCase());
  }

  async trigger(credentials: Credentials, dto: TriggerDto): Promise<TriggerResult> {
    try {
      const observable = this.observableFor(dto);
      await this.contexts.run(credentials, (ctx) => this.run(ctx, dto, observable));
      return { status: 'success', errors: [] };
    } catch (error) {
      const errors = new ErrorList(this.logger);
      errors.add(error);
      return { status: 'failure', errors: errors.all };
    }
  }

  private observableFor(dto: TriggerDto): Observable {
    if (!isMachineActionId(dto.actionId) && !isIndicatorActionId(dto.actionId)) {
      throw new RelayError('invalid request', `Unsupported action ${JSON.stringify(dto.actionId.slice(0, 80))}: the relay runs only the actions /respond/observables offers, so nothing was sent to Microsoft Defender for Endpoint`);
    }
    const type = dto.observable_type.trim().toLowerCase();
    const wanted = isMachineActionId(dto.actionId) ? ['ms_machine_id'] : RESPOND_TYPES.filter((t) => t !== 'ms_machine_id');
    if (!isObservableType(type) || !wanted.includes(type)) {
      throw new RelayError('unsupported type', `Observable type '${dto.observable_type.slice(0, 40)}' is not supported by this action`);
    }
    const rule = TYPE_RULES[type];
    const value = rule.normalise(dto.observable_value.trim());
    if (!rule.valid(value)) throw new RelayError('invalid payload', `Invalid JSON payload received: 'observable_value' is not ${rule.expected}`);
    return { type, value };
  }

  /** One Defender call, never retried: it may already have acted (C-73). */
  private async run(ctx: DefenderContext, dto: TriggerDto, observable: Observable): Promise<void> {
    const machine = machineActionRequest(dto.actionId, this.config.actionComment);
    if (machine) {
      await this.machineActions.run(ctx, observable.value, machine.path, { ...machine.body });
      return;
    }
    if (dto.actionId === REMOVE_INDICATOR_ACTION_ID) {
      if (!dto.indicator_id) throw new RelayError('invalid payload', "Invalid JSON payload received: 'indicator_id' is required to remove an indicator");
      await this.indicators.delete(ctx, dto.indicator_id);
      return;
    }
    const body = indicatorRequest(dto.actionId, observable, { title: this.config.indicatorTitle, description: this.config.indicatorDescription });
    if (!body) throw new RelayError('unsupported type', `Observable type '${observable.type}' cannot be an indicator`);
    await this.indicators.create(ctx, { ...body });
  }
}

function latestOf(history: readonly MachineAction[], types: ReadonlySet<string>): MachineAction | undefined {
  return history.find((a) => types.has(String(a.type)));
}
