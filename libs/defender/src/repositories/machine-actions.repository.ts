import { defenderConfig } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DefenderContext } from '../http/defender-context';
import { DefenderHttpClient } from '../http/defender-http.client';
import { apiPath, odataDateTime, odataList, odataString } from '../http/encode';
import { listPages } from '../http/paging';
import { MachineAction, MachineActionName } from '../models';
import { machineActionRequest } from './machine-action.requests';

interface MachineActionList {
  value?: MachineAction[];
}

/** How many succeeded actions of one machine are read to find its latest isolation/restriction. */
const HISTORY_SIZE = 200;

/** Machine actions: the documented history (`/api/machineactions?$filter=…`) and the POST actions. */
@Injectable()
export class MachineActionsRepository {
  constructor(
    private readonly client: DefenderHttpClient,
    @Inject(defenderConfig.KEY) private readonly config: ConfigType<typeof defenderConfig>,
  ) {}

  /** Succeeded actions of a machine, newest first (none when Defender answers 404); always fresh (C-95). */
  async succeeded(ctx: DefenderContext, machineId: string): Promise<MachineAction[]> {
    const { data } = await this.client.request<MachineActionList>(ctx, {
      method: 'GET',
      path: 'machineactions',
      query: { $filter: `machineId eq ${odataString(machineId)} and status eq 'Succeeded'`, $top: HISTORY_SIZE },
      notFoundIsEmpty: true,
    });
    const actions = Array.isArray(data?.value) ? data.value : [];
    // The filter is checked again here, so a service that ignored part of it cannot mislead the state.
    const id = machineId.toLowerCase();
    return actions
      .filter((a) => String(a.machineId ?? id).toLowerCase() === id && a.status === 'Succeeded')
      .sort((a, b) => Date.parse(b.creationDateTimeUtc ?? '') - Date.parse(a.creationDateTimeUtc ?? ''));
  }

  /** Runs one action with the configured comment. Never retried by the client: Defender may already have acted. */
  async run(ctx: DefenderContext, machineId: string, name: MachineActionName): Promise<unknown> {
    const { path, body } = machineActionRequest(name, this.config.actionComment);
    const { data } = await this.client.request<unknown>(ctx, { method: 'POST', path: `${apiPath`machines/${machineId}`}/${path}`, body });
    return data;
  }

  /**
   * Every succeeded isolation and release, of all machines and however old, a page at a time:
   * the latest of a machine says whether it is isolated now.
   */
  isolationHistory(ctx: DefenderContext): AsyncGenerator<MachineAction[]> {
    const filter = `status eq ${odataString('Succeeded')} and type in ${odataList(['Isolate', 'Unisolate'])}`;
    return listPages<MachineAction>(this.client, ctx, { path: 'machineactions', filter, noun: 'isolation actions' });
  }

  /** Machine actions created at or after `since` (epoch ms), a page at a time. */
  createdSince(ctx: DefenderContext, since: number): AsyncGenerator<MachineAction[]> {
    return listPages<MachineAction>(this.client, ctx, { path: 'machineactions', filter: `creationDateTimeUtc ge ${odataDateTime(since)}`, noun: 'machine actions' });
  }
}
