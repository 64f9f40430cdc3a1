import { ErrorList, Observable, ObservableType } from '@app/common';
import { Alert, AlertListsCache, DefenderContext, ObservableSearch } from '@app/defender';
import { Injectable } from '@nestjs/common';

export const ALERT_TYPES: readonly ObservableType[] = ['sha1', 'sha256', 'md5', 'ip', 'ipv6', 'domain', 'url', 'hostname', 'ms_machine_id', 'user'];

/** All alerts of one observable: the search table's lookups, and `AlertEvidence` for URLs and IPv6, which they do not answer. */
@Injectable()
export class ObservableAlerts {
  constructor(
    private readonly search: ObservableSearch,
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

  remember(ctx: DefenderContext, observable: Observable, alerts: Alert[]): void {
    // Observe's REST lookups do not answer URLs or IPv6 addresses: its empty list proves nothing.
    if (observable.type === 'url' || observable.type === 'ipv6' || !ALERT_TYPES.includes(observable.type)) return;
    this.cache.remember(ctx, cacheKey(observable), alerts);
  }

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
