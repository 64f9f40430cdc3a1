import { ErrorFamily } from './api-error';

const DEFENDER_REGIONS = ['us', 'eu', 'uk', 'au', 'swa', 'ina', 'aea'];
const LEGACY_REGIONS = ['us', 'eu', 'uk', 'au'];

/** The hosts Microsoft documents for each service, in every cloud. */
const MICROSOFT_HOSTS: Record<Exclude<ErrorFamily, 'plain'>, ReadonlySet<string>> = {
  aad: new Set(['login.microsoftonline.com', 'login.windows.net', 'login.microsoftonline.us']),
  defender: new Set([
    'api.security.microsoft.com',
    ...DEFENDER_REGIONS.map((r) => `${r}.api.security.microsoft.com`),
    'api.securitycenter.microsoft.com',
    ...LEGACY_REGIONS.map((r) => `api-${r}.securitycenter.microsoft.com`),
    'api.securitycenter.windows.com',
    ...LEGACY_REGIONS.filter((r) => r !== 'au').map((r) => `api-${r}.securitycenter.windows.com`),
    'api-gcc.securitycenter.microsoft.us',
    'api-gov.securitycenter.microsoft.us',
  ]),
  graph: new Set(['graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us']),
};

const MICROSOFT_DOMAIN = /(^|\.)(microsoft\.com|microsoft\.us|windows\.com|windows\.net|microsoftonline\.com|microsoftonline\.us)$/;

/**
 * Whether a route of `family` answers on `host` (the request's Host header). Called by a
 * Microsoft host name — through a DNS override or a proxy — the sandbox answers only on the hosts
 * that serve that API, so a client using a made-up regional host or the wrong service's host
 * notices. Any other name (loopback, `localhost`, a test host) serves every route.
 */
export function answersOn(family: ErrorFamily, host: string): boolean {
  if (family === 'plain') return true;
  const name = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  return !MICROSOFT_DOMAIN.test(name) || MICROSOFT_HOSTS[family].has(name);
}
