import type { RouteKey, Sandbox } from '../../apps/defender-sandbox/src';

/**
 * Resolves once the sandbox has received `count` calls of `route`: tests order their requests
 * by what the sandbox saw rather than by sleeping and hoping.
 */
export async function sandboxReceived(sandbox: Sandbox, route: RouteKey, count = 1, timeoutMs = 15_000): Promise<void> {
  await sandboxShows(() => sandbox.stats.count(route) >= count, () => `the sandbox saw ${sandbox.stats.count(route)} of ${count} ${route} calls within ${timeoutMs} ms`, timeoutMs);
}

/** Resolves once `seen()` (a reading of the sandbox's statistics) holds; polls, never sleeps a fixed time. */
export async function sandboxShows(seen: () => boolean, failure: () => string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!seen()) {
    if (Date.now() > deadline) throw new Error(failure());
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Whether every call of `route` the sandbox received has been answered (none still delayed or hanging). */
export function sandboxAnswered(sandbox: Sandbox, route: RouteKey): boolean {
  return sandbox.stats.entries(route).every((entry) => entry.status !== 0);
}
