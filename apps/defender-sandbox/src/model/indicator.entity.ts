import { Indicator } from './entities';

type IndicatorFields = Pick<
  Indicator,
  | 'id'
  | 'indicatorValue'
  | 'indicatorType'
  | 'action'
  | 'createdBy'
  | 'source'
  | 'sourceType'
  | 'severity'
  | 'application'
  | 'educateUrl'
  | 'title'
  | 'description'
  | 'recommendedActions'
  | 'expirationTime'
  | 'rbacGroupNames'
  | 'generateAlert'
  | 'createdByDisplayName'
  | 'createdBySource'
> & { created: string };

/** A new indicator as Defender stores it: what its author chose, and Defender's defaults for the rest. */
export function newIndicator(f: IndicatorFields): Indicator {
  return {
    id: f.id,
    indicatorValue: f.indicatorValue,
    indicatorType: f.indicatorType,
    action: f.action,
    createdBy: f.createdBy,
    source: f.source,
    sourceType: f.sourceType,
    severity: f.severity,
    category: 1,
    application: f.application,
    educateUrl: f.educateUrl,
    bypassDurationHours: null,
    title: f.title,
    description: f.description,
    recommendedActions: f.recommendedActions,
    creationTimeDateTimeUtc: f.created,
    expirationTime: f.expirationTime,
    lastUpdateTime: f.created,
    lastUpdatedBy: null,
    rbacGroupNames: f.rbacGroupNames,
    rbacGroupIds: [],
    notificationId: null,
    notificationBody: null,
    version: null,
    mitreTechniques: [],
    historicalDetection: false,
    lookBackPeriod: null,
    generateAlert: f.generateAlert,
    additionalInfo: null,
    createdByDisplayName: f.createdByDisplayName,
    createdBySource: f.createdBySource,
    certificateInfo: null,
  };
}
