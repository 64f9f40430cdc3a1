/** Which API a token is for: Defender for Endpoint or Microsoft Graph. */
export type Audience = 'defender' | 'graph';

// Token resources (v1 `resource`, v2 `scope` without `/.default`) per API, all clouds.
const RESOURCES: Record<string, Audience> = {
  'https://api.securitycenter.microsoft.com': 'defender',
  'https://api.securitycenter.windows.com': 'defender',
  'https://api.security.microsoft.com': 'defender',
  'https://api-gcc.securitycenter.microsoft.us': 'defender',
  'https://api-gov.securitycenter.microsoft.us': 'defender',
  'https://securitycenter.onmicrosoft.com/windowsatpservice': 'defender',
  'https://securitycenter.onmicrosoft.us/windowsatpservice': 'defender',
  // WindowsDefenderATP first-party application id.
  'fc780465-2017-40d4-a0c5-307022471b92': 'defender',
  'https://graph.microsoft.com': 'graph',
  'https://graph.microsoft.us': 'graph',
  'https://dod-graph.microsoft.us': 'graph',
  '00000003-0000-0000-c000-000000000000': 'graph',
};

/** Resolves a resource identifier (trailing slash and case ignored) to its API. */
export function resolveResource(resource: string): Audience | undefined {
  const normalised = resource.trim().replace(/\/+$/, '').toLowerCase();
  return RESOURCES[normalised];
}
