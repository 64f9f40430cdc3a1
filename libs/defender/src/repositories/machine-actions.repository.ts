import { defenderConfig } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DefenderContext } from '../http/defender-context';
import { DefenderHttpClient } from '../http/defender-http.client';
import { apiPath, odataDateTime, odataList, odataString } from '../http/encode';
import { listPages, PagesRead, readPages } from '../http/paging';
import { Machine, MachineAction, MachineActionName } from '../models';
import { cancelRequest, machineActionRequest, machineTagRequest, stopAndQuarantineRequest, TagChange } from './machine-action.requests';

interface MachineActionList {
  value?: MachineAction[];
}

/** How many recent actions of one machine are read to find its latest isolation/restriction and what is pending. */
const HISTORY_SIZE = 200;

const ACTIVE_STATUSES = new Set(['Pending', 'InProgress']);

export interface MachineActionHistory {
  succeeded: MachineAction[];
  active: MachineAction[];
}

@Injectable()
export class MachineActionsRepository {
  constructor(
    private readonly client: DefenderHttpClient,
    @Inject(defenderConfig.KEY) private readonly config: ConfigType<typeof defenderConfig>,
  ) {}

  /** One read (none on 404), always fresh: the succeeded and the still Pending/InProgress actions, newest first. */
  async history(ctx: DefenderContext, machineId: string): Promise<MachineActionHistory> {
    const { data } = await this.client.request<MachineActionList>(ctx, {
      method: 'GET',
      path: 'machineactions',
      query: { $filter: `machineId eq ${odataString(machineId)}`, $top: HISTORY_SIZE },
      notFoundIsEmpty: true,
    });
    const actions = Array.isArray(data?.value) ? data.value : [];
    // The filter is checked again here, so a service that ignored it cannot mislead the state.
    const id = machineId.toLowerCase();
    const recent = actions
      .filter((a) => String(a.machineId ?? id).toLowerCase() === id)
      .sort((a, b) => Date.parse(b.creationDateTimeUtc ?? '') - Date.parse(a.creationDateTimeUtc ?? ''));
    return { succeeded: recent.filter((a) => a.status === 'Succeeded'), active: recent.filter((a) => ACTIVE_STATUSES.has(String(a.status))) };
  }

  /** Runs one action with the configured comment. Never retried by the client: Defender may already have acted. */
  async run(ctx: DefenderContext, machineId: string, name: MachineActionName): Promise<unknown> {
    const { path, body } = machineActionRequest(name, this.config.actionComment);
    const { data } = await this.client.request<unknown>(ctx, { method: 'POST', path: `${apiPath`machines/${machineId}`}/${path}`, body });
    return data;
  }

  /** Succeeded isolations and releases of all machines: the latest of a machine says whether it is isolated now. */
  isolationHistory(ctx: DefenderContext, add: (page: MachineAction[]) => void): Promise<PagesRead> {
    const filter = `status eq ${odataString('Succeeded')} and type in ${odataList(['Isolate', 'Unisolate'])}`;
    return readPages(listPages<MachineAction>(this.client, ctx, { path: 'machineactions', filter, noun: 'isolation actions' }), add);
  }

  createdSince(ctx: DefenderContext, since: number, add: (page: MachineAction[]) => void): Promise<PagesRead> {
    return readPages(listPages<MachineAction>(this.client, ctx, { path: 'machineactions', filter: `creationDateTimeUtc ge ${odataDateTime(since)}`, noun: 'machine actions' }), add);
  }

  /** Stops and quarantines a file (by SHA-1) on one device. Never retried. */
  async stopAndQuarantine(ctx: DefenderContext, machineId: string, sha1: string): Promise<void> {
    const body = stopAndQuarantineRequest(sha1, this.config.actionComment);
    await this.client.request(ctx, { method: 'POST', path: apiPath`machines/${machineId}/StopAndQuarantineFile`, body });
  }

  /** Adds or removes one device tag, spelled exactly as given; answers the machine as Defender returns it. Never retried. */
  async tag(ctx: DefenderContext, machineId: string, tag: string, change: TagChange): Promise<Machine | undefined> {
    const { data } = await this.client.request<Machine>(ctx, { method: 'POST', path: apiPath`machines/${machineId}/tags`, body: machineTagRequest(tag, change) });
    return data;
  }

  async action(ctx: DefenderContext, actionId: string): Promise<MachineAction | undefined> {
    const { data } = await this.client.request<MachineAction>(ctx, { method: 'GET', path: apiPath`machineactions/${actionId}`, notFoundIsEmpty: true });
    return data;
  }

  /** Cancels a Pending/InProgress machine action. Never retried. */
  async cancel(ctx: DefenderContext, actionId: string): Promise<void> {
    await this.client.request(ctx, { method: 'POST', path: apiPath`machineactions/${actionId}/cancel`, body: cancelRequest(this.config.actionComment) });
  }
}
