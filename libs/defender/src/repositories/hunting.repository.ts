import { Clock, CLOCK, DEFENDER_HUNTING_RETIREMENT, defenderConfig, RelayError, shortHash, TtlCache } from '@app/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { CallCoalescer, CoalescerLimits } from '../http/call-coalescer';
import { DefenderContext } from '../http/defender-context';
import { deadlineError, DefenderHttpClient } from '../http/defender-http.client';
import { assignEvents, EventFilter, eventsQuery } from '../kql/hunting-queries';
import { Deadline } from '../limits/deadline';
import { HuntingEvent } from '../models';
import { GRAPH_HUNTING_PERMISSION } from '../permissions/capabilities';

interface DefenderHuntingResult {
  Results?: unknown[];
}

interface GraphHuntingResult {
  results?: unknown[];
}

export type HuntingBackend = 'graph' | 'defender';

const RETIREMENT_MS = Date.parse(`${DEFENDER_HUNTING_RETIREMENT}T00:00:00Z`);

/** How long the API chosen for a credential is kept before `auto` asks Graph again. */
export const HUNTING_CHOICE_TTL_MS = 5 * 60_000;
const MAX_REMEMBERED = 10_000;

/** Two in flight per credential, then the next wait to go together (≤ 64 requests, 2,000 observables); < 1 s left never waits. */
export const EVENTS_COALESCING: CoalescerLimits = { maxInFlight: 2, maxMembers: 64, maxWeight: 2_000, minWaitMs: 1_000 };

interface EventsRequest {
  ctx: DefenderContext;
  filters: readonly EventFilter[];
}

/** What `/health` runs to learn a credential's hunting API when nothing is remembered: it reads no rows. */
const PROBE_QUERY = 'DeviceNetworkInfo\n| take 0';

/** Under `auto`, Graph first; a credential Graph refuses (401/403) uses Defender's retiring API for a while, with a warning. */
@Injectable()
export class HuntingRepository {
  private readonly logger = new Logger(HuntingRepository.name);
  private readonly chosen: TtlCache<HuntingBackend>;
  private readonly eventQueries: CallCoalescer<EventsRequest, HuntingEvent[]>;

  constructor(
    private readonly client: DefenderHttpClient,
    @Inject(defenderConfig.KEY) private readonly config: ConfigType<typeof defenderConfig>,
    @Inject(CLOCK) private readonly now: Clock,
  ) {
    this.chosen = new TtlCache(HUNTING_CHOICE_TTL_MS, MAX_REMEMBERED, now);
    this.eventQueries = new CallCoalescer((requests, deadline) => this.runShared(requests, deadline), EVENTS_COALESCING, deadlineError);
  }

  /** Shared only with the same credential's concurrent requests, once its credentials are proven. */
  async events(ctx: DefenderContext, filters: readonly EventFilter[]): Promise<Map<string, HuntingEvent[]>> {
    if (filters.length === 0) return new Map();
    await this.client.authenticate(ctx);
    const rows = await this.eventQueries.submit(ctx.identity, { ctx, filters }, filters.length, ctx.deadline);
    return assignEvents(rows, filters);
  }

  /** Unless configured or remembered, a query reading no rows finds out, so the answer is what the next observe does. */
  async backend(ctx: DefenderContext): Promise<HuntingBackend> {
    if (this.config.huntingApi === 'defender') return 'defender';
    return (
      this.remembered(ctx) ??
      this.chosen.getOrFetch(ctx.identity, async () => {
        await this.run(ctx, PROBE_QUERY);
        return this.remembered(ctx) ?? 'graph';
      })
    );
  }

  retirementWarning(backend: HuntingBackend): RelayError | undefined {
    if (backend !== 'defender') return undefined;
    const retiring = `the Defender hunting API, which returns no data from ${DEFENDER_HUNTING_RETIREMENT}`;
    return this.config.huntingApi === 'defender'
      ? new RelayError('unknown', `Advanced hunting uses ${retiring} (HUNTING_API=defender): set HUNTING_API=auto and grant the app ${GRAPH_HUNTING_PERMISSION} on Microsoft Graph`, { type: 'warning' })
      : new RelayError('permission denied', `Microsoft Graph refused advanced hunting, so it uses ${retiring}: grant the app the Microsoft Graph application permission ${GRAPH_HUNTING_PERMISSION} with admin consent`, { type: 'warning' });
  }

  private async runShared(requests: readonly EventsRequest[], deadline: Deadline): Promise<HuntingEvent[]> {
    const query = eventsQuery(requests.flatMap((r) => r.filters));
    if (requests.length === 1) return this.run<HuntingEvent>(requests[0].ctx, query);
    return this.run<HuntingEvent>(new DefenderContext(requests[0].ctx.credentials, deadline), query);
  }

  private async run<T>(ctx: DefenderContext, query: string): Promise<T[]> {
    const mode = this.config.huntingApi;
    if (mode === 'defender' || (mode === 'auto' && this.remembered(ctx) === 'defender')) return this.viaDefender<T>(ctx, query);
    try {
      const rows = await this.viaGraph<T>(ctx, query);
      this.chosen.set(ctx.identity, 'graph');
      return rows;
    } catch (error) {
      if (!isRefusal(error)) throw error;
      if (mode === 'graph' || !this.defenderStillAnswers()) throw graphRefusal(error);
      this.fallBack(ctx, error);
      try {
        return await this.viaDefender<T>(ctx, query);
      } catch (fallbackError) {
        if (!isRefusal(fallbackError)) throw fallbackError;
        // Refused by both: the permission to grant is Graph's, not the retiring API's.
        this.chosen.delete(ctx.identity);
        throw graphRefusal(error);
      }
    }
  }

  private remembered(ctx: DefenderContext): HuntingBackend | undefined {
    const choice = this.chosen.get(ctx.identity);
    if (choice !== 'defender' || this.defenderStillAnswers()) return choice;
    this.chosen.delete(ctx.identity);
    return undefined;
  }

  private defenderStillAnswers(): boolean {
    return this.now() < RETIREMENT_MS;
  }

  private fallBack(ctx: DefenderContext, refusal: RelayError): void {
    const already = this.chosen.get(ctx.identity) === 'defender';
    this.chosen.set(ctx.identity, 'defender');
    if (already) return;
    const { tenantId, clientId } = ctx.credentials;
    this.logger.warn(
      { tenant: shortHash(tenantId), client: shortHash(clientId), upstreamStatus: refusal.upstreamStatus },
      `Microsoft Graph refused advanced hunting (${refusal.message}); using the Defender hunting API, which returns no data from ` +
        `${DEFENDER_HUNTING_RETIREMENT}, for ${HUNTING_CHOICE_TTL_MS / 60_000} minutes. Grant the app the Microsoft Graph application ` +
        `permission ${GRAPH_HUNTING_PERMISSION} with admin consent.`,
    );
  }

  private async viaGraph<T>(ctx: DefenderContext, query: string): Promise<T[]> {
    const { data } = await this.client.request<GraphHuntingResult>(ctx, {
      api: 'graph',
      method: 'POST',
      path: 'security/runHuntingQuery',
      body: { Query: query },
      hunting: true,
      idempotent: true,
    });
    return (Array.isArray(data?.results) ? data.results : []) as T[];
  }

  private async viaDefender<T>(ctx: DefenderContext, query: string): Promise<T[]> {
    const { data } = await this.client.request<DefenderHuntingResult>(ctx, {
      method: 'POST',
      path: 'advancedqueries/run',
      body: { Query: query },
      hunting: true,
      idempotent: true,
    });
    return (Array.isArray(data?.Results) ? data.Results : []) as T[];
  }
}

function isRefusal(error: unknown): error is RelayError {
  return error instanceof RelayError && (error.upstreamStatus === 401 || error.upstreamStatus === 403);
}

/** Graph's own wording need not name the permission, so the relay does. */
function graphRefusal(error: RelayError): RelayError {
  const said = error.message.replace(/\.$/, '');
  return new RelayError(
    error.upstreamStatus === 403 ? 'permission denied' : error.code,
    `${said}. Advanced hunting on Microsoft Graph needs the application permission ${GRAPH_HUNTING_PERMISSION} with admin consent`,
    { upstreamStatus: error.upstreamStatus, cause: error },
  );
}
