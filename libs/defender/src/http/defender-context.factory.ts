import { Credentials, defenderConfig } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Deadline } from './deadline';
import { DefenderContext } from './defender-context';

/** Opens the Defender context of one relay request, with the configured deadline (C-36). */
@Injectable()
export class DefenderContextFactory {
  constructor(@Inject(defenderConfig.KEY) private readonly config: ConfigType<typeof defenderConfig>) {}

  create(credentials: Credentials): DefenderContext {
    return new DefenderContext(credentials, Deadline.in(this.config.requestDeadlineMs));
  }

  /** Runs `work` inside a fresh context and releases its deadline timer afterwards. */
  async run<T>(credentials: Credentials, work: (ctx: DefenderContext) => Promise<T>): Promise<T> {
    const ctx = this.create(credentials);
    try {
      return await work(ctx);
    } finally {
      ctx.dispose();
    }
  }
}
