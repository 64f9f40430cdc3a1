import { Credentials, defenderConfig } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Deadline } from '../limits/deadline';
import { DefenderContext } from './defender-context';
import { DefenderHttpClient } from './defender-http.client';

@Injectable()
export class DefenderContextFactory {
  constructor(
    private readonly client: DefenderHttpClient,
    @Inject(defenderConfig.KEY) private readonly config: ConfigType<typeof defenderConfig>,
  ) {}

  create(credentials: Credentials): DefenderContext {
    return new DefenderContext(credentials, Deadline.in(this.config.requestDeadlineMs));
  }

  // The token comes first: nothing cached is read and no rate budget spent for credentials Azure AD refused.
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
