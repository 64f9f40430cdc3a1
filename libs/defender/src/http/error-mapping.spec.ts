import { AxiosError, InternalAxiosRequestConfig } from 'axios';
import { redactCredentials, transportFailure, upstreamMessage } from './error-mapping';

function failed(code: string, url: string | undefined, baseURL?: string): AxiosError {
  const config = { url, baseURL, headers: {} } as InternalAxiosRequestConfig;
  return new AxiosError(`connect ${code}`, code, config);
}

describe('transportFailure', () => {
  it('names the host that could not be reached, so the operator knows which setting or DNS entry to check', () => {
    const { error, reason } = transportFailure('Azure AD', failed('ENOTFOUND', 'https://login.microsoftonline.us/contoso.onmicrosoft.com/oauth2/v2.0/token'), 10_000);
    expect(error.message).toBe('Azure AD at login.microsoftonline.us is unreachable (ENOTFOUND)');
    expect(error.code).toBe('service unavailable');
    expect(reason).toBeUndefined();
  });

  it('keeps the port and resolves a relative URL against the base URL', () => {
    expect(transportFailure('Microsoft Graph', failed('ECONNREFUSED', '/v1.0/security/runHuntingQuery', 'http://127.0.0.1:9191'), 1000).error.message).toBe(
      'Microsoft Graph at 127.0.0.1:9191 is unreachable (ECONNREFUSED)',
    );
    expect(transportFailure('Microsoft Defender for Endpoint', failed('CERT_HAS_EXPIRED', 'https://api.securitycenter.microsoft.com/api/alerts'), 1000).error.message).toBe(
      'TLS error talking to Microsoft Defender for Endpoint at api.securitycenter.microsoft.com: CERT_HAS_EXPIRED',
    );
  });

  it('says only the service when the failure carries no URL, and never the request path or query', () => {
    expect(transportFailure('Azure AD', Object.assign(new Error('boom'), { code: 'ECONNRESET' }), 1000).error.message).toBe('Azure AD is unreachable (ECONNRESET)');
    const withQuery = transportFailure('Microsoft Defender for Endpoint', failed('EHOSTUNREACH', 'https://api.securitycenter.microsoft.com/api/files/abc?$filter=x'), 1000);
    expect(withQuery.error.message).toBe('Microsoft Defender for Endpoint at api.securitycenter.microsoft.com is unreachable (EHOSTUNREACH)');
  });
});

describe('upstream error text', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL2FwaS5zZWN1cml0eWNlbnRlci5taWNyb3NvZnQuY29tIn0.c2lnbmF0dXJlLWJ5dGVz';

  it.each([
    [`The token ${jwt} is expired`, 'The token [redacted] is expired'],
    [`Authorization: Bearer ${jwt}`, 'Authorization: [redacted]'],
    ['header was bearer abc.def-ghi_jkl~mno+pq/rs=', 'header was [redacted]'],
    ['request had access_token=abc123&x=1 and "client_secret": "s3cr3t~value"', 'request had access_token=[redacted]&x=1 and "client_secret": "[redacted]"'],
    [`unsigned ${jwt.split('.').slice(0, 2).join('.')}. token`, 'unsigned [redacted] token'],
  ])('cuts credentials out of %j', (text, expected) => {
    expect(redactCredentials(text)).toBe(expected);
    expect(upstreamMessage({ error: { message: text } })).toBe(expected);
  });

  it('keeps ordinary text: ids, hashes, host names and dotted versions', () => {
    const text = 'Machine 1e5bc9d7e413ddd7902c2932e418702b84d0cc07 on ws-01.contoso.com (sensor 10.8040.19041.1) was not found; eyes.only is a file';
    expect(redactCredentials(text)).toBe(text);
  });
});
