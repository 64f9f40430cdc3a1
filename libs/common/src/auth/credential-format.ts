// Claims become URL segments, cache keys and per-tenant state, so the guard refuses any other shape.
// Free of imports so `scripts/jwt.ts` shares it.

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/i;

export function isClientId(value: string): boolean {
  return GUID.test(value);
}

export function isTenantId(value: string): boolean {
  return GUID.test(value) || DOMAIN.test(value);
}
