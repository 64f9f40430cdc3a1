import { Severity } from './ctim.types';

const SEVERITY_BY_DEFENDER: Readonly<Record<string, Severity>> = {
  informational: 'Info',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  unspecified: 'Unknown',
};

export function ctimSeverity(defenderSeverity: string | null | undefined): Severity {
  if (!defenderSeverity) return 'Unknown';
  return SEVERITY_BY_DEFENDER[defenderSeverity.trim().toLowerCase()] ?? 'Unknown';
}
