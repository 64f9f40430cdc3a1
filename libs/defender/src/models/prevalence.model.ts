/** `InOrgFileStats`, `InOrgIPStats`, `InOrgDomainStats`; older pages spelled the count `orgPrevalence`, as a string. */
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
