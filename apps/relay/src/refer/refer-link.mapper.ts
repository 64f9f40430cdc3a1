import type { Observable } from '@app/common';

export interface ReferLink {
  id: string;
  title: string;
  description: string;
  url: string;
  categories: string[];
}

const CATEGORIES = ['Search', 'Microsoft Defender for Endpoint'];

/** The Defender portal page of an observable (defender-api.md §9), pinned to the tenant. */
export function portalPage(observable: Observable, portalUrl: string, tenantId: string): string {
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
  }
}

/** One pivot link per observable (C-50). */
export function referLink(observable: Observable, portalUrl: string, tenantId: string): ReferLink {
  const label = observable.type.toUpperCase();
  return {
    id: `ref-md-search-${observable.type}-${observable.value}`,
    title: `Search for this ${label}`,
    description: `Lookup this ${label} on Microsoft Defender for Endpoint`,
    url: portalPage(observable, portalUrl, tenantId),
    categories: [...CATEGORIES],
  };
}
