import { Credentials, defenderConfig } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Deadline } from './deadline';
import { DefenderContext } from './defender-context';
import { DefenderHttpClient } from './defender-http.client';

/** Opens the Defender context of one relay request, with the configured deadline. */
@Injectable()
export class DefenderContextFactory {
  constructor(
    private readonly client: DefenderHttpClient,
    @Inject(defenderConfig.KEY) private readonly config: ConfigType<typeof defenderConfig>,
  ) {}

  create(credentials: Credentials): DefenderContext {
    return new DefenderContext(credentials, Deadline.in(this.config.requestDeadlineMs));
  }

  /**
   * Proves the caller's credentials (obtains their token), then runs `work` inside a fresh
   * context and releases its deadline timer afterwards. Nothing Defender-derived, cached or not,
   * is read and no rate-limit budget is spent for credentials Azure AD has not accepted.
   */
  async run<T>(credentials: Credentials, work: (ctx: DefenderContext) => Promise<T>): Promise<T> {
    const ctx = this.create(credentials);
    try {
      await this.client.authenticate(ctx);
      return await work(ctx);
    } finally {
      ctx.dispose();
    }
  }
}
