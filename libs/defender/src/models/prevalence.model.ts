/**
 * `GET /api/files/{sha1}/stats`, `/api/ips/{ip}/stats`, `/api/domains/{domain}/stats`
 * (`InOrgFileStats`, `InOrgIPStats`, `InOrgDomainStats`). Only files carry the global fields.
 * Pages before about 2020 showed `orgPrevalence`, a number in a string, instead of `organizationPrevalence`.
 */
export interface PrevalenceStats {
  sha1?: string | null;
  ipAddress?: string | null;
  host?: string | null;
  organizationPrevalence?: number | string | null;
  orgPrevalence?: number | string | null;
  orgFirstSeen?: string | null;
  orgLastSeen?: string | null;
  globallyPrevalence?: number | string | null;
  globalFirstObserved?: string | null;
  globalLastObserved?: string | null;
  topFileNames?: string[] | null;
}
