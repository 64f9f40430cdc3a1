import { Credentials, loadDefenderConfig } from '@app/common';
import { DefenderContext, DefenderContextFactory } from '@app/defender';

/**
 * Contexts as the relay makes them, for service unit tests: `run` is the factory's without the
 * credential proof (there is no Defender client here), and disposes the context after the work.
 */
export function unprovenContexts(): DefenderContextFactory {
  const factory = new DefenderContextFactory(undefined as never, loadDefenderConfig({ REQUEST_DEADLINE_MS: '5000' }));
  const run = async <T>(credentials: Credentials, work: (ctx: DefenderContext) => Promise<T>): Promise<T> => {
    const ctx = factory.create(credentials);
    try {
      return await work(ctx);
    } finally {
      ctx.dispose();
    }
  };
  return Object.assign(Object.create(factory) as DefenderContextFactory, { run });
}
