/**
 * The shapes Azure AD gives the credential claims. The relay refuses anything else at the guard:
 * the values become URL segments, cache keys and per-tenant state, so a caller must not be able
 * to choose arbitrary strings for them. Kept free of imports so `scripts/jwt.ts` shares it.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A DNS name of at least two labels (e.g. contoso.onmicrosoft.com); IDNs in their xn-- form. */
const DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/** An Azure AD application (client) id. */
export function isClientId(value: string): boolean {
  return GUID.test(value);
}

/** An Azure AD tenant: its GUID or one of its verified domain names. */
export function isTenantId(value: string): boolean {
  return GUID.test(value) || DOMAIN.test(value);
}
