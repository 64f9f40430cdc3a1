import { ErrorList, Observable, ObservableType } from '@app/common';
import { normaliseHash } from '@app/ctim';
import { Alert, AlertListsCache, AlertsRepository, DefenderContext, EventFilter, FilesRepository, HuntingRepository } from '@app/defender';
import { Injectable } from '@nestjs/common';
import { alertIdBatches, evidenceAlertIds } from '../observe/observe-planner';
import { PivotAlertsLookup } from '../observe/pivot-alerts';

export const ALERT_TYPES: readonly ObservableType[] = ['sha1', 'sha256', 'md5', 'ip', 'ipv6', 'domain', 'url', 'hostname', 'ms_machine_id', 'user'];

const EVIDENCE_ROWS = 1_000;

/** All alerts of one observable: related-alerts APIs, and `AlertEvidence` for URLs and IPv6, which they do not answer. */
@Injectable()
export class ObservableAlerts {
  constructor(
    private readonly pivots: PivotAlertsLookup,
    private readonly alerts: AlertsRepository,
    private readonly files: FilesRepository,
    private readonly hunting: HuntingRepository,
    private readonly cache: AlertListsCache,
  ) {}

  // A lookup that reported an error (a host name with too many devices) is not cached.
  async of(ctx: DefenderContext, observable: Observable, errors: ErrorList, { fresh = false } = {}): Promise<Alert[]> {
    const key = cacheKey(observable);
    const load = async (): Promise<Alert[]> => {
      const before = errors.all.length;
      const found = await this.lookup(ctx, observable, errors);
      if (errors.all.length > before) throw new PartialLookup(found);
      return found;
    };
    const read = async (): Promise<Alert[]> => {
      try {
        const found = await load();
        if (fresh) this.cache.remember(ctx, key, found);
        return found;
      } catch (error) {
        if (error instanceof PartialLookup) return error.alerts;
        throw error;
      }
    };
    if (fresh) return read();
    try {
      return await this.cache.getOrLoad(ctx, key, load);
    } catch (error) {
      if (error instanceof PartialLookup) return error.alerts;
      throw error;
    }
  }

  remember(ctx: DefenderContext, observable: Observable, alerts: Alert[], via: 'rest' | 'evidence'): void {
    // The related-alerts APIs do not answer URLs or IPv6 addresses: an empty REST answer proves nothing.
    if (via === 'rest' && (observable.type === 'url' || observable.type === 'ipv6')) return;
    this.cache.remember(ctx, cacheKey(observable), alerts);
  }

  changed(ctx: DefenderContext): void {
    this.cache.changed(ctx);
  }

  private async lookup(ctx: DefenderContext, observable: Observable, errors: ErrorList): Promise<Alert[]> {
    const pivot = await this.pivots.alertsFor(ctx, observable, errors);
    if (pivot) return pivot.alerts;
    switch (observable.type) {
      case 'sha1':
        return this.alerts.forFile(ctx, observable.value);
      case 'sha256':
      case 'md5': {
        const sha1 = normaliseHash('sha1', (await this.files.profile(ctx, observable.value))?.sha1);
        return sha1 ? this.alerts.forFile(ctx, sha1) : [];
      }
      case 'domain':
        return this.alerts.forDomain(ctx, observable.value);
      case 'ip':
        return this.alerts.forIp(ctx, observable.value);
      case 'ipv6':
        return this.fromEvidence(ctx, { key: 'a', column: 'RemoteIP', value: observable.value, limit: EVIDENCE_ROWS, table: 'AlertEvidence' });
      case 'url':
        return this.fromEvidence(ctx, { key: 'a', column: 'RemoteUrl', match: 'url', value: observable.value, limit: EVIDENCE_ROWS, table: 'AlertEvidence' });
      default:
        return [];
    }
  }

  private async fromEvidence(ctx: DefenderContext, filter: EventFilter): Promise<Alert[]> {
    const rows = await this.hunting.events(ctx, [filter]);
    // A URL's rows matched it whole already; the host check is for a domain's term matches.
    const ids = filter.match === 'url' ? [...new Set(rows.map((r) => String((r as { AlertId?: unknown }).AlertId ?? '')).filter((id) => id !== ''))] : evidenceAlertIds(rows, filter);
    const lists = await Promise.all(alertIdBatches(ids).map((batch) => this.alerts.byIds(ctx, batch)));
    return lists.flat();
  }
}

class PartialLookup extends Error {
  constructor(readonly alerts: Alert[]) {
    super('partial alert lookup');
  }
}

function cacheKey(observable: Observable): string {
  return `${observable.type}:${observable.type === 'url' ? observable.value : observable.value.toLowerCase()}`;
}
