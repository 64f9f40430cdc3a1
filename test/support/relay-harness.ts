import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createRelayApp } from '../../apps/relay/src/app.factory';
import type { RelayAppOptions } from '../../apps/relay/src/relay-app.options';
import { Sandbox, SandboxOptions, startSandbox } from '../../apps/defender-sandbox/src';
import { sandboxEnv } from '../../scripts/relay-process';
import { bearer, hsToken, TEST_PUBLIC_URL, TEST_SECRET_KEY } from './tokens';

export interface RelayHarness {
  /** The relay's origin, e.g. http://127.0.0.1:40123 */
  url: string;
  app: NestFastifyApplication;
  sandbox: Sandbox;
  /** POSTs JSON (or a raw string) over a real socket; `token` null sends no Authorization header. */
  post(path: string, body?: unknown, options?: { token?: string | null; headers?: Record<string, string>; raw?: boolean }): Promise<HttpResult>;
  get(path: string, headers?: Record<string, string>): Promise<HttpResult>;
  close(): Promise<void>;
}

export interface HttpResult {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test assertions read arbitrary JSON
  body: any;
  headers: Headers;
}

/**
 * Starts the Defender sandbox and the production relay app (same factory as main.ts) wired to it,
 * both listening on loopback ports. `env` overrides the relay's environment for this instance;
 * `relayOptions` can give the relay a clock the test moves.
 */
export async function startRelay(env: Record<string, string | undefined> = {}, sandboxOptions: SandboxOptions = {}, relayOptions: RelayAppOptions = {}): Promise<RelayHarness> {
  const sandbox = await startSandbox(sandboxOptions);
  try {
    const relay = await attachRelay(sandbox, env, relayOptions);
    return { ...relay, close: async () => (await relay.close(), await sandbox.close()) };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}

/** A relay wired to a sandbox that is already running (several relays can share one); close() leaves the sandbox up. */
export async function attachRelay(sandbox: Sandbox, env: Record<string, string | undefined> = {}, relayOptions: RelayAppOptions = {}): Promise<RelayHarness> {
  const app = await createRelayApp(relayEnv(sandbox.url, env), relayOptions);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return harness(url, app, sandbox);
}

/**
 * The whole environment of a test relay: the contract variables pointing it at the sandbox, then
 * `env` (undefined unsets). Nothing comes from the test process's own environment.
 * `{sandbox}` in a value stands for the sandbox origin, which is only known once it listens.
 */
export function relayEnv(sandboxUrl: string, env: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const given = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v?.replace(/\{sandbox\}/g, sandboxUrl)]));
  return {
    ...sandboxEnv(sandboxUrl, TEST_SECRET_KEY),
    LOG_LEVEL: 'silent',
    RELAY_PUBLIC_URL: TEST_PUBLIC_URL,
    DEFENDER_PORTAL_URL: undefined,
    DEFENDER_RATE_LIMIT: 'off',
    ...given,
  };
}

function harness(url: string, app: NestFastifyApplication, sandbox: Sandbox): RelayHarness {
  const defaultToken = hsToken();
  return {
    url,
    app,
    sandbox,
    async post(path, body, options = {}) {
      const token = options.token === undefined ? defaultToken : options.token;
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? bearer(token) : {}), ...options.headers };
      const payload = body === undefined ? undefined : options.raw ? String(body) : JSON.stringify(body);
      return request(`${url}${path}`, { method: 'POST', headers, body: payload });
    },
    async get(path, headers = {}) {
      return request(`${url}${path}`, { method: 'GET', headers });
    },
    async close() {
      await app.close();
    },
  };
}

export async function request(url: string, init: RequestInit): Promise<HttpResult> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text so the assertion shows it
  }
  return { status: response.status, body, headers: response.headers };
}
