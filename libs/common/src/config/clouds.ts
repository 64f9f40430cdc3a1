export type DefenderCloud = 'commercial' | 'gcc' | 'gcc-high' | 'dod';
export const DEFENDER_CLOUDS: readonly DefenderCloud[] = ['commercial', 'gcc', 'gcc-high', 'dod'];

export const DEFENDER_API_REGIONS = ['us', 'eu', 'uk', 'au', 'swa', 'ina', 'aea'] as const;
export type DefenderApiRegion = (typeof DEFENDER_API_REGIONS)[number];

export function regionalApiUrl(region: DefenderApiRegion): string {
  return `https://${region}.api.security.microsoft.com`;
}

export interface CloudEndpoints {
  loginUrl: string;
  apiUrl: string;
  apiResource: string;
  portalUrl: string;
  graphUrl: string;
  graphResource: string;
}

export const CLOUD_ENDPOINTS: Record<DefenderCloud, CloudEndpoints> = {
  commercial: {
    loginUrl: 'https://login.microsoftonline.com',
    // The documented API base; the older api.securitycenter.microsoft.com host still answers,
    // and remains the token audience.
    apiUrl: 'https://api.security.microsoft.com',
    apiResource: 'https://api.securitycenter.microsoft.com',
    portalUrl: 'https://security.microsoft.com',
    graphUrl: 'https://graph.microsoft.com',
    graphResource: 'https://graph.microsoft.com',
  },
  gcc: {
    loginUrl: 'https://login.microsoftonline.com',
    apiUrl: 'https://api-gcc.securitycenter.microsoft.us',
    apiResource: 'https://api-gcc.securitycenter.microsoft.us',
    portalUrl: 'https://security.microsoft.com',
    graphUrl: 'https://graph.microsoft.com',
    graphResource: 'https://graph.microsoft.com',
  },
  'gcc-high': {
    loginUrl: 'https://login.microsoftonline.us',
    apiUrl: 'https://api-gov.securitycenter.microsoft.us',
    apiResource: 'https://api-gov.securitycenter.microsoft.us',
    portalUrl: 'https://security.microsoft.us',
    graphUrl: 'https://graph.microsoft.us',
    graphResource: 'https://graph.microsoft.us',
  },
  dod: {
    loginUrl: 'https://login.microsoftonline.us',
    apiUrl: 'https://api-gov.securitycenter.microsoft.us',
    apiResource: 'https://api-gov.securitycenter.microsoft.us',
    portalUrl: 'https://security.apps.mil',
    graphUrl: 'https://dod-graph.microsoft.us',
    graphResource: 'https://dod-graph.microsoft.us',
  },
};

/** The day Defender's own hunting API (`/api/advancedqueries/run`) stops returning data. */
export const DEFENDER_HUNTING_RETIREMENT = '2027-02-01';
