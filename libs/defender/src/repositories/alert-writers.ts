import { AlertsApiName, RelayError, respondConfig } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DefenderContext } from '../http/defender-context';
import { DefenderHttpClient } from '../http/defender-http.client';
import { upstreamMessage } from '../http/error-mapping';
import { apiPath } from '../http/encode';
import { AlertChange } from '../models';
import { ALERT_WRITE_PERMISSIONS } from '../permissions/capabilities';

export type AlertsApi = AlertsApiName;

/** Alert ids per `alerts/batchUpdate`: Microsoft documents no maximum, so the relay stays modest. */
export const BATCH_UPDATE_MAX_IDS = 100;
export const GRAPH_BATCH_MAX_REQUESTS = 20;

export interface AlertWriter {
  readonly api: AlertsApi;
  /** Never sends an id twice; the first refusal stops the rest, saying how many were updated before it. */
  update(ctx: DefenderContext, ids: readonly string[], change: AlertChange): Promise<void>;
}

@Injectable()
export class DefenderAlertWriter implements AlertWriter {
  readonly api = 'defender';

  constructor(private readonly client: DefenderHttpClient) {}

  async update(ctx: DefenderContext, ids: readonly string[], change: AlertChange): Promise<void> {
    const pending = chunks(ids, BATCH_UPDATE_MAX_IDS);
    let updated = 0;
    while (pending.length > 0) {
      const chunk = pending.shift() as string[];
      try {
        await this.client.request(ctx, { method: 'POST', path: 'alerts/batchUpdate', body: { alertIds: chunk, ...change }, quota: 'alertUpdates' });
        updated += chunk.length;
      } catch (error) {
        // Defender refused the size without acting on it: the same ids in the size it allows.
        const allowed = allowedBatchSize(error);
        if (allowed !== undefined && allowed < chunk.length) {
          pending.unshift(...chunks(chunk, allowed));
          continue;
        }
        throw refusal(error, 'defender', updated, ids.length);
      }
    }
  }
}

interface BatchResponse {
  responses?: Array<{ id?: string; status?: number; body?: unknown }>;
}

// Graph answers 200 for a `$batch` and a status per request: a failed request stops the batches after its own.
@Injectable()
export class GraphAlertWriter implements AlertWriter {
  readonly api = 'graph';

  constructor(private readonly client: DefenderHttpClient) {}

  async update(ctx: DefenderContext, ids: readonly string[], change: AlertChange): Promise<void> {
    const patch = graphPatch(change);
    let updated = 0;
    for (const chunk of chunks(ids, GRAPH_BATCH_MAX_REQUESTS / 2)) {
      const requests = chunk.flatMap((id, i) => [
        { id: `p${i}`, method: 'PATCH', url: `/${apiPath`security/alerts_v2/${id}`}`, headers: { 'Content-Type': 'application/json' }, body: patch },
        {
          id: `c${i}`,
          method: 'POST',
          url: `/${apiPath`security/alerts_v2/${id}/comments`}`,
          dependsOn: [`p${i}`],
          headers: { 'Content-Type': 'application/json' },
          body: { '@odata.type': 'microsoft.graph.security.alertComment', comment: change.comment },
        },
      ]);
      let data: BatchResponse | undefined;
      try {
        ({ data } = await this.client.request<BatchResponse>(ctx, { api: 'graph', method: 'POST', path: '$batch', body: { requests } }));
      } catch (error) {
        throw refusal(error, 'graph', updated, ids.length);
      }
      const status = new Map((data?.responses ?? []).map((r) => [r.id, r]));
      updated += chunk.filter((_, i) => ok(status.get(`p${i}`)?.status)).length;
      const failed = chunk.flatMap((id, i) => [status.get(`p${i}`), status.get(`c${i}`)].filter((r) => !ok(r?.status) && r?.status !== 424).map((r) => ({ id, r })));
      if (failed.length > 0) {
        const { id, r } = failed[0];
        const said = upstreamMessage(r?.body);
        const cause = new RelayError(r?.status === 403 ? 'permission denied' : 'unknown', `Microsoft Graph refused alert ${id} (HTTP ${r?.status ?? 'no answer'})${said ? `: ${said}` : ''}`, {
          upstreamStatus: r?.status,
        });
        throw refusal(cause, 'graph', updated, ids.length);
      }
    }
  }
}

@Injectable()
export class AlertUpdatesRepository {
  constructor(
    private readonly defender: DefenderAlertWriter,
    private readonly graph: GraphAlertWriter,
    @Inject(respondConfig.KEY) private readonly config: ConfigType<typeof respondConfig>,
  ) {}

  get writer(): AlertWriter {
    return this.config.alertsApi === 'graph' ? this.graph : this.defender;
  }

  update(ctx: DefenderContext, ids: readonly string[], change: AlertChange): Promise<void> {
    return this.writer.update(ctx, ids, change);
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

const ok = (status: number | undefined): boolean => status !== undefined && status >= 200 && status < 300;

function allowedBatchSize(error: unknown): number | undefined {
  if (!(error instanceof RelayError) || error.upstreamStatus !== 400) return undefined;
  const match = /allowed:\s*(\d+)/i.exec(error.message);
  const allowed = match ? Number(match[1]) : Number.NaN;
  return Number.isSafeInteger(allowed) && allowed >= 1 ? allowed : undefined;
}

const GRAPH_DETERMINATION: Readonly<Record<string, string>> = {
  CompromisedUser: 'compromisedAccount',
  Clean: 'notMalicious',
  InsufficientData: 'notEnoughDataToValidate',
  ConfirmedUserActivity: 'confirmedActivity',
};

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/** Four determinations have other names in Graph. */
export function graphPatch(change: AlertChange): Record<string, string> {
  const body: Record<string, string> = {};
  if (change.status) body.status = lowerFirst(change.status);
  if (change.classification) body.classification = lowerFirst(change.classification);
  if (change.determination) body.determination = GRAPH_DETERMINATION[change.determination] ?? lowerFirst(change.determination);
  if (change.assignedTo !== undefined) body.assignedTo = change.assignedTo;
  return body;
}

function refusal(error: unknown, api: AlertsApi, updated: number, total: number): unknown {
  if (!(error instanceof RelayError)) return error;
  const permission =
    error.upstreamStatus === 403
      ? `. Updating alerts through ${api === 'graph' ? 'Microsoft Graph' : 'Microsoft Defender for Endpoint'} needs the application permission ${ALERT_WRITE_PERMISSIONS[api]} with admin consent`
      : '';
  const done = updated > 0 ? ` (${updated} of ${total} alerts had been updated before; they are not sent again)` : '';
  return new RelayError(error.code, `${error.message.replace(/\.$/, '')}${permission}${done}`, {
    upstreamStatus: error.upstreamStatus,
    retryAfterSeconds: error.retryAfterSeconds,
    cause: error,
  });
}
