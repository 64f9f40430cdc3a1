import { DEMO_CLIENT_ID, DEMO_TENANT_ID } from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';
import { hsToken } from './support/tokens';

// Upstream error text reaches the caller (and the logs) only with anything shaped like a JWT, a
// bearer token or a secret parameter cut out.

const JWT = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2FwaS5zZWN1cml0eWNlbnRlci5taWNyb3NvZnQuY29tIiwidGlkIjoieCJ9.c2lnbmF0dXJl';

describe('no tokens in upstream error text', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay()));
  afterAll(() => relay.close());
  beforeEach(() => relay.sandbox.reset());

  const deliberate = (token?: string) => relay.post('/deliberate/observables', [{ type: 'sha256', value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }], { token });

  it('Defender’s error message: a JWT and a bearer token are cut out, the rest kept', async () => {
    relay.sandbox.faults.add({
      route: 'files.get',
      status: 400,
      body: { error: { code: 'BadRequest', message: `Request with Authorization: Bearer ${JWT} failed; token ${JWT} has no role`, target: 'x' } },
    });
    const res = await deliberate();
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('eyJ');
    expect(res.body.errors).toEqual([
      { type: 'fatal', code: 'invalid request', message: 'Invalid request to Microsoft Defender for Endpoint: Request with Authorization: [redacted] failed; token [redacted] has no role' },
    ]);
  });

  it('Azure AD’s error description: an assertion and a client secret are cut out', async () => {
    relay.sandbox.faults.add({
      route: 'token',
      status: 401,
      body: { error: 'invalid_client', error_description: `AADSTS7000215: Invalid client secret provided (client_secret=Rly8Q~leaked.value) for assertion ${JWT}.\r\nTrace ID: 1` },
    });
    // A credential not proven yet, so that Azure AD is asked.
    const res = await deliberate(hsToken({ client_id: DEMO_CLIENT_ID, client_secret: 'not-yet-proven', tenant_id: DEMO_TENANT_ID }));
    expect(JSON.stringify(res.body)).not.toMatch(/eyJ|Rly8Q/);
    expect(res.body.errors[0]).toEqual({
      type: 'fatal',
      code: 'authorization error',
      message: 'Authorization failed: AADSTS7000215: Invalid client secret provided (client_secret=[redacted]) for assertion [redacted]',
    });
  });
});
