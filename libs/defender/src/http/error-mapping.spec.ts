import { AxiosError, InternalAxiosRequestConfig } from 'axios';
import { transportFailure } from './error-mapping';

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
