import {
  Credentials,
  DEVICE_PIVOT_TYPES,
  ErrorCode,
  ErrorList,
  HASH_TYPES,
  isObservableType,
  Observable,
  ObservableType,
  preview,
  RelayError,
  RelayErrorBody,
  respondConfig,
  RESPOND_TYPES,
  Clock,
  CLOCK,
} from '@app/common';
import { ActionMapper, alertTriageActions, RESOLUTIONS, ResponseAction, ResponseDevice, triageCandidates, triageChange, TriageRequest } from '@app/ctim';
import {
  Alert,
  AlertClassification,
  AlertUpdatesRepository,
  DefenderContext,
  PermissionsService,
  DETERMINATIONS_BY_CLASSIFICATION,
  DefenderContextFactory,
  FilesRepository,
  IndicatorsRepository,
  indicatorTypeFor,
  Machine,
  MachineActionsRepository,
  MachinesRepository,
} from '@app/defender';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ALERT_TYPES, ObservableAlerts } from '../alerts/observable-alerts';
import { ActionGate } from './action-permissions';
import { RequestedAction, requestedAction } from './action-id.parser';
import { DeviceActions } from './device-actions';
import { ListingReads } from './listing-reads';
import { NOTHING_SENT, Trigger } from './trigger.dto';

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

/** Offers what fits the device's current state or the existing indicator; runs one action exactly once. */
@Injectable()
export class RespondService {
  private readonly logger = new Logger(RespondService.name);

  constructor(
    private readonly contexts: DefenderContextFactory,
    private readonly machines: MachinesRepository,
    private readonly machineActions: MachineActionsRepository,
    private readonly indicators: IndicatorsRepository,
    private readonly files: FilesRepository,
    private readonly actions: ActionMapper,
    private readonly devices: DeviceActions,
    private readonly alerts: ObservableAlerts,
    private readonly alertUpdates: AlertUpdatesRepository,
    private readonly permissions: PermissionsService,
    private readonly listing: ListingReads,
    @Inject(respondConfig.KEY) private readonly config: ConfigType<typeof respondConfig>,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  list(credentials: Credentials, observables: readonly Observable[], warnings: readonly RelayErrorBody[]): Promise<RespondListResult> {
    const errors = new ErrorList(this.logger, warnings);
    return this.contexts.run(credentials, async (ctx) => {
      const roles = await this.permissions.roles(credentials, this.permissions.settings.alertsApi === 'graph');
      const gate = new ActionGate((capability) => this.permissions.assess(roles, capability), (id) => requestedAction(id));
      const lists = await Promise.all(observables.map((o) => this.actionsFor(ctx, o, gate, errors)));
      const actions = gate.offer(lists.flat());
      const withheld = gate.warning();
      if (withheld) errors.add(withheld);
      return { actions, errors: errors.all };
    });
  }

  /** An observable's actions; each source that fails costs only its own actions, with the error. */
  private async actionsFor(ctx: DefenderContext, observable: Observable, gate: ActionGate, errors: ErrorList): Promise<ResponseAction[]> {
    const none = [] as ResponseAction[];
    const [own, devices, triage] = await Promise.all([
      errors.capture(() => this.ownActions(ctx, observable, gate, errors), none),
      DEVICE_PIVOT_TYPES.includes(observable.type) ? errors.capture(() => this.devices.offer(ctx, observable, errors), none) : none,
      ALERT_TYPES.includes(observable.type) && gate.allows('respond.alert-triage') ? errors.capture(() => this.triageActions(ctx, observable, errors), none) : none,
    ]);
    return [...own, ...devices, ...triage];
  }

  private async triageActions(ctx: DefenderContext, observable: Observable, errors: ErrorList): Promise<ResponseAction[]> {
    const alerts = await this.alerts.of(ctx, observable, errors);
    const { alertTriageMax: max, alertAssignee: assignee } = this.config;
    return alertTriageActions(observable, alerts, { max, assignee });
  }

  /** Sources whose every action the app may not run are not looked up. */
  private async ownActions(ctx: DefenderContext, observable: Observable, gate: ActionGate, errors: ErrorList): Promise<ResponseAction[]> {
    if (observable.type === 'ms_machine_id') {
      const device = await this.listing.read(ctx, `device:${observable.value}`, () => this.device(ctx, observable.value));
      return device ? this.actions.forDevice(device, this.config.deviceTags) : [];
    }
    if (indicatorTypeFor(observable.type) === undefined) return [];
    const key = `${observable.type}:${observable.value}`;
    const [indicators, holders] = await Promise.all([
      gate.allows('respond.indicators') ? this.listing.read(ctx, `indicators:${key}`, () => this.indicators.forObservable(ctx, observable)) : undefined,
      HASH_TYPES.includes(observable.type) && gate.allows('respond.quarantine') ? this.listing.read(ctx, `holders:${key}`, () => this.fileHolders(ctx, observable)) : [],
    ]);
    const max = this.config.quarantineMaxDevices;
    const devices = holders.filter((m) => m.id).length;
    if (devices > max) {
      errors.add(new RelayError('unknown', `Stop and quarantine is not offered for ${observable.value}: the file is on ${devices} devices, more than QUARANTINE_MAX_DEVICES (${max}) allows at once`, { type: 'warning' }));
    }
    return [...(indicators ? this.actions.forIndicator(observable, indicators) : []), ...(devices > max ? [] : this.actions.forFile(observable, holders))];
  }

  // Two fresh reads together; the one action read gives both the isolation state and what is pending.
  private async device(ctx: DefenderContext, id: string): Promise<ResponseDevice | undefined> {
    const [machine, history] = await Promise.all([this.machines.current(ctx, id), this.machineActions.history(ctx, id)]);
    return machine ? { id, machine, ...history } : undefined;
  }

  private async fileHolders(ctx: DefenderContext, observable: Observable): Promise<Machine[]> {
    if (!HASH_TYPES.includes(observable.type)) return [];
    const sha1 = await this.sha1Of(ctx, observable);
    return sha1 ? this.files.machines(ctx, sha1) : [];
  }

  private async sha1Of(ctx: DefenderContext, observable: Observable, options: { fresh?: boolean } = {}): Promise<string | undefined> {
    if (observable.type === 'sha1') return observable.value;
    return (await this.files.profile(ctx, observable.value, options))?.sha1?.toLowerCase();
  }

  async trigger(credentials: Credentials, trigger: Trigger): Promise<TriggerResult> {
    const errors = new ErrorList(this.logger);
    try {
      const action = requestedAction(trigger.actionId);
      if (!action) {
        throw new RelayError('invalid request', `Unsupported action ${JSON.stringify(trigger.actionId.slice(0, 80))}: the relay runs only the actions /respond/observables offers, so ${NOTHING_SENT}`);
      }
      const observable = this.observableFor(action, trigger);
      await this.contexts.run(credentials, async (ctx) => {
        try {
          await this.run(ctx, action, observable, trigger, errors);
        } finally {
          // Even a refused or partial mutation may have acted: this app's next listing reads afresh.
          this.listing.changed(ctx);
        }
      });
    } catch (error) {
      errors.add(error);
    }
    return { status: errors.all.length === 0 ? 'success' : 'failure', errors: errors.all };
  }

  private observableFor(action: RequestedAction, { observable: { type, value }, invalidValue }: Trigger): Observable {
    if (!isObservableType(type) || !acceptedTypes(action).includes(type)) {
      throw new RelayError('unsupported type', `Observable type '${type.slice(0, 40)}' is not supported by this action`);
    }
    if (invalidValue !== undefined) throw new RelayError('invalid payload', invalidValue);
    return { type, value };
  }

  /** Each Defender mutation is sent once, never retried: it may already have acted. */
  private async run(ctx: DefenderContext, action: RequestedAction, observable: Observable, trigger: Trigger, errors: ErrorList): Promise<void> {
    switch (action.kind) {
      case 'machine': {
        const target = observable.type === 'ms_machine_id' ? observable.value : await this.devices.target(ctx, observable, trigger.machineId);
        await this.machineActions.run(ctx, target, action.name);
        return;
      }
      case 'add-indicator':
        await this.indicators.submit(ctx, action.policy, observable);
        return;
      case 'remove-indicator':
        await this.indicators.delete(ctx, await this.indicatorOf(ctx, observable, required(trigger.indicatorId, 'indicator_id', 'to remove an indicator')));
        return;
      case 'tag':
        await this.tag(ctx, observable.value, this.configuredTag(required(trigger.tag, 'tag', 'to add or remove a device tag')), action.change);
        return;
      case 'cancel':
        await this.machineActions.cancel(ctx, await this.actionOf(ctx, observable, required(trigger.machineActionId, 'machine_action_id', 'to cancel a machine action')));
        return;
      case 'stop-and-quarantine':
        await this.stopAndQuarantine(ctx, observable, errors);
        return;
      case 'triage':
        await this.triage(ctx, observable, trigger);
        return;
    }
  }

  // Re-reads the observable's alerts (never the listing's); each given `alert_ids` entry must be one of them.
  private async triage(ctx: DefenderContext, observable: Observable, trigger: Trigger): Promise<void> {
    const request = this.triageRequest(trigger);
    const read = new ErrorList(this.logger);
    const alerts = await this.alerts.of(ctx, observable, read, { fresh: true });
    const problem = read.all[0];
    if (problem) throw new RelayError(problem.code as ErrorCode, `${problem.message}, so ${NOTHING_SENT}`);
    const chosen = trigger.alertIds ? boundAlerts(alerts, trigger.alertIds, observable) : alerts;
    const targets = triageCandidates(chosen, { choice: request.choice, assignee: this.config.alertAssignee }).slice(0, this.config.alertTriageMax);
    if (targets.length === 0) return;
    try {
      await this.alertUpdates.update(ctx, targets.map((a) => a.id), triageChange(request, new Date(this.now()).toISOString()));
    } finally {
      // Even a partial update changed alerts: lists and tile counts read before are stale.
      this.alerts.changed(ctx);
    }
  }

  private triageRequest(trigger: Trigger): TriageRequest {
    const choice = required(trigger.triage, 'triage', 'to triage alerts');
    if (choice === 'in-progress') return { choice };
    if (choice === 'assign') {
      const assignee = this.config.alertAssignee;
      if (!assignee) throw new RelayError('invalid request', `No ALERT_ASSIGNEE is configured to assign alerts to, so ${NOTHING_SENT}`);
      return { choice, assignee };
    }
    const classification = required(trigger.classification, 'classification', 'to resolve alerts') as AlertClassification;
    const allowed = DETERMINATIONS_BY_CLASSIFICATION[classification];
    const determination = trigger.determination ?? RESOLUTIONS[classification].determination;
    const known = allowed.find((d) => d.toLowerCase() === determination.toLowerCase());
    if (!known) {
      throw new RelayError('invalid payload', `Invalid JSON payload received: 'determination' ${preview(determination, 40)} does not go with ${classification}; use one of ${allowed.join(', ')}, so ${NOTHING_SENT}`);
    }
    return { choice: 'resolve', classification, determination: known };
  }

  private async indicatorOf(ctx: DefenderContext, observable: Observable, indicatorId: string): Promise<string> {
    const indicators = await this.indicators.forObservable(ctx, observable);
    if (!indicators.some((i) => String(i.id) === indicatorId)) {
      throw new RelayError('invalid request', `Indicator ${indicatorId} is not an indicator of the ${observable.type} ${preview(observable.value, 100)}, so ${NOTHING_SENT}`);
    }
    return indicatorId;
  }

  private async actionOf(ctx: DefenderContext, observable: Observable, actionId: string): Promise<string> {
    const action = await this.machineActions.action(ctx, actionId);
    if (!action) throw new RelayError('not found', `Machine action ${actionId} is not known to Microsoft Defender for Endpoint, so ${NOTHING_SENT}`);
    const device = String(action.machineId ?? '').toLowerCase();
    if (device !== observable.value) {
      throw new RelayError('invalid request', `Machine action ${actionId} is an action of device ${preview(device, 40)}, not of ${observable.value}, so ${NOTHING_SENT}`);
    }
    return actionId;
  }

  private configuredTag(tag: string): string {
    const configured = this.config.deviceTags.find((t) => t.toLowerCase() === tag.toLowerCase());
    if (!configured) throw new RelayError('invalid request', `Tag '${preview(tag, 80)}' is not one of the configured device tags (DEVICE_TAGS), so ${NOTHING_SENT}`);
    return configured;
  }

  private async tag(ctx: DefenderContext, machineId: string, configured: string, change: 'Add' | 'Remove'): Promise<void> {
    const machine = await this.machines.current(ctx, machineId);
    if (!machine) throw new RelayError('not found', `Device ${machineId} is not known to Microsoft Defender for Endpoint, so ${NOTHING_SENT}`);
    const spelled = (machine.machineTags ?? []).map(String).find((t) => t.toLowerCase() === configured.toLowerCase());
    if (change === 'Remove' && spelled === undefined) throw new RelayError('invalid request', `Device ${machineId} does not have the tag '${configured}', so ${NOTHING_SENT}`);
    if (change === 'Add' && spelled !== undefined) throw new RelayError('invalid request', `Device ${machineId} already has the tag '${spelled}', so ${NOTHING_SENT}`);
    const value = spelled ?? configured;
    const after = await this.machineActions.tag(ctx, machineId, value, change);
    if (!Array.isArray(after?.machineTags)) return;
    if (after.machineTags.includes(value) !== (change === 'Add')) {
      const state = change === 'Add' ? 'still lacks' : 'still has';
      throw new RelayError('invalid request', `Microsoft Defender for Endpoint accepted the change, but device ${machineId} ${state} the tag '${value}' (its tags: ${after.machineTags.map(String).join(', ') || 'none'})`);
    }
  }

  // Each device once; one that refuses becomes an error, those that accepted are neither retried nor undone.
  private async stopAndQuarantine(ctx: DefenderContext, observable: Observable, errors: ErrorList): Promise<void> {
    const sha1 = await this.sha1Of(ctx, observable, { fresh: true });
    if (!sha1) throw new RelayError('not found', `Microsoft Defender for Endpoint does not know the file ${observable.value}, so ${NOTHING_SENT}`);
    const devices = (await this.files.machines(ctx, sha1)).flatMap((m) => (m.id ? [{ id: m.id, name: m.computerDnsName ?? m.id }] : []));
    if (devices.length === 0) throw new RelayError('not found', `No device has the file ${observable.value}, so ${NOTHING_SENT}`);
    const max = this.config.quarantineMaxDevices;
    if (devices.length > max) {
      throw new RelayError(
        'invalid request',
        `The file ${observable.value} is on ${devices.length} devices, more than QUARANTINE_MAX_DEVICES (${max}) allows at once, so ${NOTHING_SENT}`,
      );
    }
    await Promise.all(
      devices.map(async (device) => {
        try {
          await this.machineActions.stopAndQuarantine(ctx, device.id, sha1);
        } catch (error) {
          errors.add(onDevice(device, error));
        }
      }),
    );
  }
}

function acceptedTypes(action: RequestedAction): readonly string[] {
  switch (action.kind) {
    case 'machine':
      return MACHINE_TARGET_TYPES;
    case 'tag':
    case 'cancel':
      return ['ms_machine_id'];
    case 'stop-and-quarantine':
      return HASH_TYPES;
    case 'triage':
      return ALERT_TYPES;
    default:
      return INDICATOR_TYPES;
  }
}

function required(value: string | undefined, name: string, purpose: string): string {
  if (!value) throw new RelayError('invalid payload', `Invalid JSON payload received: '${name}' is required ${purpose}`);
  return value;
}

function boundAlerts(alerts: readonly Alert[], ids: readonly string[], observable: Observable): Alert[] {
  const byId = new Map(alerts.map((a) => [a.id, a]));
  const stranger = ids.find((id) => !byId.has(id));
  if (stranger !== undefined) {
    throw new RelayError('invalid request', `Alert ${preview(stranger, 100)} is not an alert of ${observable.type} ${preview(observable.value, 100)}, so ${NOTHING_SENT}`);
  }
  return [...new Set(ids)].map((id) => byId.get(id) as Alert);
}

function onDevice(device: { name: string }, error: unknown): unknown {
  if (!(error instanceof RelayError)) return error;
  return new RelayError(error.code, `${device.name}: ${error.message}`, { type: error.type, upstreamStatus: error.upstreamStatus, retryAfterSeconds: error.retryAfterSeconds, cause: error });
}
