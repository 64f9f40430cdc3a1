import { ErrorList, Observable, ObservableType } from '@app/common';
import { Alert, AlertListsCache, DefenderContext, ObservableSearch } from '@app/defender';
import { Injectable } from '@nestjs/common';

/** The observable types whose alerts can be found (and so triaged). */
export const ALERT_TYPES: readonly ObservableType[] = ['sha1', 'sha256', 'md5', 'ip', 'ipv6', 'domain', 'url', 'hostname', 'ms_machine_id', 'user'];

/**
 * How the relay finds all alerts of one observable (any status), the one place respond reads them
 * and observe shares them through: the related-alerts APIs observe uses, and `AlertEvidence` for
 * a URL or an IPv6 address, which those APIs do not answer. `lookup` is the part to replace by
 * a shared search table.
 */
@Injectable()
export class ObservableAlerts {
  constructor(
    private readonly search: ObservableSearch,
    private readonly cache: AlertListsCache,
  ) {}

  /**
   * The observable's alerts: from the short per-credential cache (filled by a recent observe or
   * listing) unless `fresh`, which reads Defender and refreshes the cache. A lookup that reported
   * an error (a host name with too many devices) is not cached.
   */
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

  /** What observe found for the observable by the same route: kept for the respond listing. */
  remember(ctx: DefenderContext, observable: Observable, alerts: Alert[]): void {
    // Observe's REST lookups do not answer URLs or IPv6 addresses: its empty list proves nothing.
    if (observable.type === 'url' || observable.type === 'ipv6' || !ALERT_TYPES.includes(observable.type)) return;
    this.cache.remember(ctx, cacheKey(observable), alerts);
  }

  /** Alerts of this credential were changed: lists and alert counts read before are stale. */
  changed(ctx: DefenderContext): void {
    this.cache.changed(ctx);
  }

  private async lookup(ctx: DefenderContext, observable: Observable, errors: ErrorList): Promise<Alert[]> {
    if (observable.type === 'ipv6' || observable.type === 'url') return this.search.alertsByEvidenceOf(ctx, observable, errors);
    return (await this.search.alertsOf(ctx, [observable], errors))[0] ?? [];
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
