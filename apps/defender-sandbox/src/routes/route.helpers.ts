import { isIP } from 'node:net';
import { ApiError } from '../http/api-error';
import { CallContext, RouteResult } from '../http/route.pipeline';
import { SandboxServices } from '../http/sandbox.services';
import { TenantData } from '../state/sandbox.state';

/** Defender serves every API under both `/api` and the explicit-version alias `/api/v1.0`. */
export const API_PREFIXES = ['/api', '/api/v1.0'];

/** The data of the caller's tenant (routes with access requirements only). */
export function callerTenant(services: SandboxServices, call: CallContext): TenantData {
  if (!call.token) throw new ApiError(401, 'Unauthorized', 'Authorization header is missing.');
  return services.state.tenant(call.token.tenantId);
}

export function odataContext(call: CallContext, fragment: string): string {
  return `${call.origin}${call.prefix}/$metadata#${fragment}`;
}

export const ok = (body: unknown): RouteResult => ({ status: 200, body });

export function collection(call: CallContext, fragment: string, value: unknown[]): RouteResult {
  return ok({ '@odata.context': odataContext(call, fragment), value });
}

/**
 * The list a lookup found. Nothing found is the documented 200 with an empty list, or 404
 * ResourceNotFound with `unknownLookups: 'notFound'`; `known` says the looked-up thing exists
 * even without entries (a file Defender has a profile of).
 */
export function lookupResult(
  services: SandboxServices,
  call: CallContext,
  fragment: string,
  value: unknown[],
  notFound: string,
  known = value.length > 0,
): RouteResult {
  if (!known && services.config.unknownLookups === 'notFound') throw new ApiError(404, 'ResourceNotFound', notFound);
  return collection(call, fragment, value);
}

export const isSha1 = (v: string): boolean => /^[0-9a-f]{40}$/i.test(v);
export const isSha256 = (v: string): boolean => /^[0-9a-f]{64}$/i.test(v);
export const isMd5 = (v: string): boolean => /^[0-9a-f]{32}$/i.test(v);

export function isDomainName(v: string): boolean {
  return v.length <= 253 && /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*$/.test(v);
}

export const isIPv4 = (v: string): boolean => isIP(v) === 4;
export const isIPv6 = (v: string): boolean => isIP(v) === 6;

/** The `:hash` path parameter, lower-cased; anything but a SHA-1/SHA-256/MD5 is Defender's 400. */
export function hashParam(call: CallContext): string {
  const hash = call.params.hash.toLowerCase();
  if (!isSha1(hash) && !isSha256(hash) && !isMd5(hash)) throw new ApiError(400, 'InvalidHashValue', `Invalid hash value: ${hash.slice(0, 80)}`);
  return hash;
}

export function domainParam(call: CallContext): string {
  const domain = call.params.domain.toLowerCase();
  if (!isDomainName(domain)) throw new ApiError(400, 'InvalidDomainName', `Invalid domain name: ${domain.slice(0, 80)}`);
  return domain;
}

export function ipv4Param(call: CallContext): string {
  const ip = call.params.ip;
  if (!isIPv4(ip)) throw new ApiError(400, 'InvalidIpAddress', `Invalid IP address: ${ip.slice(0, 60)}`);
  return ip;
}

/** Whether a URL (or bare host) is the domain or one of its subdomains. */
export function hostMatches(url: unknown, domain: string): boolean {
  const host = typeof url === 'string' && url !== '' ? hostOf(url) : undefined;
  return host !== undefined && (host === domain || host.endsWith(`.${domain}`));
}

/** Host of a URL evidence value, which may also be a bare host name. */
export function hostOf(url: string): string | undefined {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}
