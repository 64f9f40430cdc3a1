import { RelayError, WindowStore } from '@app/common';
import { Deadline } from './deadline';
import { Bucket, DEFENDER_LIMITS } from './defender-limits';

/** Waits for a free slot within the request deadline instead of provoking Defender's 429s. */
export class TenantRateLimiter {
  constructor(
    private readonly store: () => WindowStore,
    private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void> = abortableSleep,
  ) {}

  // Defender counts the general quota per API, hence `api`.
  async acquire(account: string, bucket: Bucket, deadline: Deadline, api = '', count = 1): Promise<number> {
    const key = quotaKey(account, bucket, api);
    let waited = 0;
    for (;;) {
      const wait = await this.store().tryAcquire(key, DEFENDER_LIMITS[bucket], count);
      if (wait === 0) break;
      if (wait >= deadline.remaining()) {
        const seconds = Math.ceil(wait / 1000);
        const what = bucket === 'hunting' ? 'Advanced Hunting API rate limit' : 'Microsoft Defender for Endpoint API rate limit';
        throw new RelayError('too many requests', `${what} for this tenant is reached; retry after ${seconds} s`, { retryAfterSeconds: seconds });
      }
      // A little past the freed slot, so concurrent waiters do not all wake at the same instant.
      const pause = wait + Math.floor(Math.random() * 25);
      await this.sleep(pause, deadline.signal);
      waited += pause;
    }
    return waited;
  }

  available(account: string, bucket: Bucket, api = ''): Promise<number> {
    return this.store().available(quotaKey(account, bucket, api), DEFENDER_LIMITS[bucket]);
  }
}

function quotaKey(account: string, bucket: Bucket, api: string): string {
  return bucket === 'general' ? `${bucket}:${api}:${account}` : `${bucket}:${account}`;
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
