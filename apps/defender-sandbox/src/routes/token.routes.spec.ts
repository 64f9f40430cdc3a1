import { AadErrorBody } from '../http/api-error';
import { Sandbox, startSandbox } from '../sandbox';
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT_DOMAIN,
  DEMO_TENANT_ID,
  NOPERM_CLIENT_ID,
  NOPERM_CLIENT_SECRET,
} from '../seed/seed.constants';
import { call, DEFENDER_RESOURCE, postForm } from '../testing/sandbox-client.helper';

describe('Azure AD token endpoints', () => {
  let sandbox: Sandbox;
  const v1 = (tenant = DEMO_TENANT_ID) => `${sandbox.url}/${tenant}/oauth2/token`;
  const v2 = (tenant = DEMO_TENANT_ID) => `${sandbox.url}/${tenant}/oauth2/v2.0/token`;
  const demoForm = { grant_type: 'client_credentials', client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET };

  beforeAll(async () => {
    sandbox = await startSandbox({ config: { tokenLifetimeSeconds: 1200 } });
  });
  afterAll(() => sandbox.close());

  it('v1 issues a token with string numbers, expires_on and the requested resource', async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await postForm(v1(), { ...demoForm, resource: DEFENDER_RESOURCE });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      token_type: 'Bearer',
      expires_in: '1200',
      ext_expires_in: '1200',
      expires_on: expect.stringMatching(/^\d{10}$/),
      not_before: expect.stringMatching(/^\d{10}$/),
      resource: DEFENDER_RESOURCE,
      access_token: expect.any(String),
    });
    const body = res.body as { expires_on: string; access_token: string };
    expect(Number(body.expires_on) - before).toBeGreaterThanOrEqual(1199);
    // The token works against the API.
    expect((await call(sandbox, '/api/machines?$top=1', { token: body.access_token })).status).toBe(200);
  });

  it('v2 accepts scope …/.default and answers numbers, without expires_on/resource', async () => {
    const res = await postForm(v2(), { ...demoForm, scope: 'https://api.securitycenter.microsoft.com/.default' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ token_type: 'Bearer', expires_in: 1200, ext_expires_in: 1200, access_token: expect.any(String) });
  });

  it('accepts the tenant domain name in place of the GUID and the GCC resource', async () => {
    const res = await postForm(v1(DEMO_TENANT_DOMAIN), { ...demoForm, resource: 'https://api-gcc.securitycenter.microsoft.us' });
    expect(res.status).toBe(200);
  });

  it('issues a token to an app without roles (the API then answers 403)', async () => {
    const res = await postForm(v1(), {
      grant_type: 'client_credentials',
      client_id: NOPERM_CLIENT_ID,
      client_secret: NOPERM_CLIENT_SECRET,
      resource: DEFENDER_RESOURCE,
    });
    expect(res.status).toBe(200);
    const token = (res.body as { access_token: string }).access_token;
    const api = await call<{ error: { code: string; message: string } }>(sandbox, '/api/alerts', { token });
    expect(api.status).toBe(403);
    expect(api.body.error.code).toBe('Forbidden');
  });

  const cases: Array<[string, () => Promise<{ status: number; body: unknown }>, number, string, number, string]> = [
    [
      'unknown tenant GUID',
      () => postForm(v1('00000000-1111-2222-3333-444444444444'), { ...demoForm, resource: DEFENDER_RESOURCE }),
      400,
      'invalid_request',
      90002,
      "Tenant '00000000-1111-2222-3333-444444444444' not found.",
    ],
    [
      'malformed tenant',
      () => postForm(v1('not_a_tenant'), { ...demoForm, resource: DEFENDER_RESOURCE }),
      400,
      'invalid_request',
      900023,
      "Specified tenant identifier 'not_a_tenant' is neither a valid DNS name, nor a valid external domain.",
    ],
    [
      'unknown client',
      () => postForm(v1(), { ...demoForm, client_id: '99999999-9999-9999-9999-999999999999', resource: DEFENDER_RESOURCE }),
      400,
      'unauthorized_client',
      700016,
      "Application with identifier '99999999-9999-9999-9999-999999999999' was not found in the directory",
    ],
    [
      'wrong secret',
      () => postForm(v1(), { ...demoForm, client_secret: 'wrong', resource: DEFENDER_RESOURCE }),
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${DEMO_CLIENT_ID}'.`,
    ],
    [
      'missing grant_type',
      () => postForm(v1(), { client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, resource: DEFENDER_RESOURCE }),
      400,
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'grant_type'.",
    ],
    [
      'missing resource (v1)',
      () => postForm(v1(), demoForm),
      400,
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'resource'.",
    ],
    [
      'unknown resource',
      () => postForm(v1(), { ...demoForm, resource: 'https://management.azure.com' }),
      400,
      'invalid_resource',
      500011,
      'The resource principal named https://management.azure.com was not found in the tenant named Contoso Demo.',
    ],
    [
      'v2 scope without /.default',
      () => postForm(v2(), { ...demoForm, scope: 'https://graph.microsoft.com' }),
      400,
      'invalid_scope',
      1002012,
      'The provided value for scope https://graph.microsoft.com is not valid.',
    ],
    [
      'GET instead of POST',
      async () => {
        const res = await fetch(v1());
        return { status: res.status, body: await res.json() };
      },
      400,
      'invalid_request',
      900561,
      'The endpoint only accepts POST, OPTIONS requests. Received a GET request.',
    ],
  ];

  it.each(cases)('%s → Azure AD error envelope', async (_name, request, status, error, code, description) => {
    const res = await request();
    expect(res.status).toBe(status);
    const body = res.body as AadErrorBody;
    expect(body.error).toBe(error);
    expect(body.error_codes).toEqual([code]);
    expect(body.error_description.startsWith(`AADSTS${code}: ${description}`)).toBe(true);
    expect(body.error_description).toMatch(
      /\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
    );
    expect(body.trace_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.error_uri).toBe(`${sandbox.url}/error?code=${code}`);
  });

  it('logs token calls per tenant with the secret redacted', async () => {
    sandbox.stats.reset();
    await postForm(v1(), { ...demoForm, resource: DEFENDER_RESOURCE });
    const [entry] = sandbox.stats.entries('token');
    expect(entry).toMatchObject({ route: 'token', method: 'POST', tenant: DEMO_TENANT_ID, clientId: DEMO_CLIENT_ID, status: 200 });
    expect(entry.body).toMatchObject({ client_secret: '[redacted]', resource: DEFENDER_RESOURCE });
    expect(sandbox.stats.count('token', DEMO_TENANT_ID)).toBe(1);
  });
});
