/** The alert statuses a triage writes. */
export type AlertUpdateStatus = 'New' | 'InProgress' | 'Resolved';

export const ALERT_CLASSIFICATIONS = ['TruePositive', 'FalsePositive', 'InformationalExpectedActivity'] as const;
export type AlertClassification = (typeof ALERT_CLASSIFICATIONS)[number];

/**
 * The determinations Defender accepts with each classification, in the spelling of its alerts
 * reference (the update page's `ConfirmedActivity`/`NotMalicious` are not sent).
 */
export const DETERMINATIONS_BY_CLASSIFICATION: Readonly<Record<AlertClassification, readonly string[]>> = {
  TruePositive: ['MultiStagedAttack', 'MaliciousUserActivity', 'CompromisedUser', 'Malware', 'Phishing', 'UnwantedSoftware', 'Other'],
  InformationalExpectedActivity: ['SecurityTesting', 'LineOfBusinessApplication', 'ConfirmedUserActivity', 'Other'],
  FalsePositive: ['Clean', 'InsufficientData', 'Other'],
};

/** One change applied to every alert of a triage; absent fields keep their value. */
export interface AlertChange {
  status?: AlertUpdateStatus;
  classification?: AlertClassification;
  determination?: string;
  assignedTo?: string;
  comment: string;
}
