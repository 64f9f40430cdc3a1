import { Credentials, defenderConfig, ErrorList, Observable, RelayErrorBody } from '@app/common';
import { DefenderContext, DefenderContextFactory, ObservableSearch, resolvesToDevices } from '@app/defender';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { deviceLink, ReferLink, referLink } from './refer-link.mapper';

export interface ReferResult {
  links: ReferLink[];
  errors: RelayErrorBody[];
}

/** Only host names and MACs need Defender (their devices are resolved); otherwise the credentials are not used. */
@Injectable()
export class ReferService {
  private readonly logger = new Logger(ReferService.name);

  constructor(
    private readonly contexts: DefenderContextFactory,
    private readonly search: ObservableSearch,
    @Inject(defenderConfig.KEY) private readonly config: ConfigType<typeof defenderConfig>,
  ) {}

  async refer(credentials: Credentials, observables: readonly Observable[], warnings: readonly RelayErrorBody[]): Promise<ReferResult> {
    const errors = new ErrorList(this.logger, warnings);
    const links = observables.some(standsForDevices)
      ? await this.contexts.run(credentials, (ctx) => Promise.all(observables.map((o) => this.linksFor(ctx, o, errors))))
      : observables.map((o) => this.ownLink(o, credentials));
    return { links: links.flat(), errors: errors.all };
  }

  private linksFor(ctx: DefenderContext, observable: Observable, errors: ErrorList): Promise<ReferLink[]> {
    if (!standsForDevices(observable)) return Promise.resolve(this.ownLink(observable, ctx.credentials));
    return errors.capture(async () => {
      const devices = await this.search.devicesOf(ctx, observable, errors);
      return devices.map((d) => deviceLink(observable, d, this.config.portalUrl, ctx.credentials.tenantId));
    }, []);
  }

  private ownLink(observable: Observable, credentials: Credentials): ReferLink[] {
    const link = referLink(observable, this.config.portalUrl, credentials.tenantId);
    return link ? [link] : [];
  }
}

const standsForDevices = (o: Observable): boolean => resolvesToDevices(o.type);
