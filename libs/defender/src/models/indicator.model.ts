export type IndicatorType =
  | 'FileSha1'
  | 'FileSha256'
  | 'FileMd5'
  | 'CertificateThumbprint'
  | 'IpAddress'
  | 'DomainName'
  | 'Url';

/** Current values plus the legacy `Alert` / `AlertAndBlock` that existing indicators still carry. */
export type IndicatorAction =
  | 'Allowed'
  | 'Audit'
  | 'Warn'
  | 'Block'
  | 'BlockAndRemediate'
  | 'Alert'
  | 'AlertAndBlock';

/** What an indicator the relay submits does: alert, alert and block, or allow. */
export type IndicatorPolicy = 'alert' | 'alert-and-block' | 'allowed';

export type IndicatorSeverity = 'Informational' | 'Low' | 'Medium' | 'High';

/** `GET /api/indicators` item and the POST response. `id` is a string of digits. */
export interface Indicator {
  id: string;
  indicatorValue: string;
  indicatorType: IndicatorType | string;
  action: IndicatorAction | string;
  title?: string | null;
  description?: string | null;
  severity?: IndicatorSeverity | string | null;
  createdBy?: string | null;
  createdByDisplayName?: string | null;
  createdBySource?: string | null;
  source?: string | null;
  sourceType?: 'User' | 'AadApp' | string | null;
  category?: number | null;
  application?: string | null;
  educateUrl?: string | null;
  bypassDurationHours?: number | null;
  recommendedActions?: string | null;
  creationTimeDateTimeUtc?: string | null;
  expirationTime?: string | null;
  lastUpdateTime?: string | null;
  lastUpdatedBy?: string | null;
  rbacGroupNames?: string[] | null;
  rbacGroupIds?: number[] | null;
  mitreTechniques?: string[] | null;
  generateAlert?: boolean | null;
  historicalDetection?: boolean | null;
  lookBackPeriod?: string | null;
}

export interface IndicatorRequest {
  indicatorValue: string;
  indicatorType: IndicatorType;
  action: IndicatorAction;
  title: string;
  description: string;
  severity?: IndicatorSeverity;
  generateAlert?: boolean;
  expirationTime?: string;
  application?: string;
  recommendedActions?: string;
  rbacGroupNames?: string[];
}
