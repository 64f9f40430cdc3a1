import { accountName, type Observable } from '@app/common';
import type { Machine } from '@app/defender';

export interface ReferLink {
  id: string;
  title: string;
  description: string;
  url: string;
  categories: string[];
}

const CATEGORIES = ['Search', 'Microsoft Defender for Endpoint'];

/** Pinned to the tenant; a host name has no page of its own (its devices are linked by `deviceLink`). */
export function portalPage(observable: Observable, portalUrl: string, tenantId: string): string | undefined {
  const v = encodeURIComponent(observable.value);
  const tid = `tid=${encodeURIComponent(tenantId)}`;
  switch (observable.type) {
    case 'sha1':
    case 'sha256':
    case 'md5':
      return `${portalUrl}/file/${v}?${tid}`;
    case 'ip':
    case 'ipv6':
      return `${portalUrl}/ip/${v}/overview?${tid}`;
    case 'domain':
    case 'url':
      return `${portalUrl}/url/overview?url=${v}&${tid}`;
    case 'ms_machine_id':
      return `${portalUrl}/machines/${v}/overview?${tid}`;
    case 'user':
    case 'email':
      // The portal's search, for the account without its domain (how Defender names users).
      return `${portalUrl}/search?query=${encodeURIComponent(accountName(observable.value))}&${tid}`;
    default:
      // Host names and MACs link their devices' pages (`deviceLink`); names, paths and keys have no page.
      return undefined;
  }
}

export function referLink(observable: Observable, portalUrl: string, tenantId: string): ReferLink | undefined {
  const url = portalPage(observable, portalUrl, tenantId);
  if (url === undefined) return undefined;
  const label = observable.type.toUpperCase();
  return {
    id: `ref-md-search-${observable.type}-${observable.value}`,
    title: `Search for this ${label}`,
    description: `Lookup this ${label} on Microsoft Defender for Endpoint`,
    url,
    categories: [...CATEGORIES],
  };
}

/** The device page of one device a host name or MAC resolved to, titled with the device's name. */
export function deviceLink(observable: Observable, device: Machine, portalUrl: string, tenantId: string): ReferLink {
  const id = String(device.id);
  const name = device.computerDnsName ?? observable.value;
  return {
    id: `ref-md-search-${observable.type}-${observable.value}-${id}`,
    title: `Open device ${name}`,
    description: `Open device ${name} on Microsoft Defender for Endpoint`,
    url: `${portalUrl}/machines/${encodeURIComponent(id)}/overview?tid=${encodeURIComponent(tenantId)}`,
    categories: [...CATEGORIES],
  };
}
