import { Sandbox, SandboxOptions, startSandbox } from '../sandbox';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID } from '../seed/seed.constants';

// Small HTTP client for the sandbox's own tests (Node's global fetch, real sockets).

export const DEFENDER_RESOURCE = 'https://api.securitycenter.windows.com';
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';

export interface TokenRequest {
  tenant?: string;
  clientId?: string;
  clientSecret?: string;
  resource?: string;
}

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export async function postForm(url: string, form: Record<string, string>): Promise<JsonResponse> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, headers: res.headers, body: await readBody(res) };
}

/** A v1 access token for the given app (demo app and Defender resource by default). */
export async function tokenFor(sandbox: Sandbox, req: TokenRequest = {}): Promise<string> {
  const res = await postForm(`${sandbox.url}/${req.tenant ?? DEMO_TENANT_ID}/oauth2/token`, {
    grant_type: 'client_credentials',
    client_id: req.clientId ?? DEMO_CLIENT_ID,
    client_secret: req.clientSecret ?? DEMO_CLIENT_SECRET,
    resource: req.resource ?? DEFENDER_RESOURCE,
  });
  const token = (res.body as { access_token?: unknown }).access_token;
  if (res.status !== 200 || typeof token !== 'string') throw new Error(`token request failed: ${res.status}`);
  return token;
}

export async function call<T = unknown>(
  sandbox: Sandbox,
  path: string,
  init: { token?: string; method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${sandbox.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    signal: init.signal,
  });
  return { status: res.status, headers: res.headers, body: (await readBody(res)) as T };
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** OData collection body. */
export interface Collection<T> {
  '@odata.context': string;
  value: T[];
}

export interface ErrorEnvelope {
  error: { code: string; message: string; target?: string; innerError?: Record<string, string> };
}

export interface SandboxFixture {
  sandbox: Sandbox;
  /** A demo-app Defender token, fetched once. */
  token: string;
  /** Moves the sandbox's clock forward until the next test. */
  advanceClock(ms: number): void;
}

/** One sandbox for a describe block, on a clock a test can move; reset to its seed after each test. */
export function sandboxFixture(options: Omit<SandboxOptions, 'clock'> = {}): SandboxFixture {
  let offsetMs = 0;
  const fixture = { advanceClock: (ms: number) => void (offsetMs += ms) } as SandboxFixture;
  beforeAll(async () => {
    fixture.sandbox = await startSandbox({ ...options, clock: () => Date.now() + offsetMs });
    fixture.token = await tokenFor(fixture.sandbox);
  });
  afterEach(() => {
    fixture.sandbox.reset();
    offsetMs = 0;
  });
  afterAll(() => fixture.sandbox.close());
  return fixture;
}
