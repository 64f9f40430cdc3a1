export type AlertUpdateStatus = 'New' | 'InProgress' | 'Resolved';

export const ALERT_CLASSIFICATIONS = ['TruePositive', 'FalsePositive', 'InformationalExpectedActivity'] as const;
export type AlertClassification = (typeof ALERT_CLASSIFICATIONS)[number];

// Spelled as the alerts reference spells them; the update page's `ConfirmedActivity`/`NotMalicious` are not sent.
export const DETERMINATIONS_BY_CLASSIFICATION: Readonly<Record<AlertClassification, readonly string[]>> = {
  TruePositive: ['MultiStagedAttack', 'MaliciousUserActivity', 'CompromisedUser', 'Malware', 'Phishing', 'UnwantedSoftware', 'Other'],
  InformationalExpectedActivity: ['SecurityTesting', 'LineOfBusinessApplication', 'ConfirmedUserActivity', 'Other'],
  FalsePositive: ['Clean', 'InsufficientData', 'Other'],
};

export interface AlertChange {
  status?: AlertUpdateStatus;
  classification?: AlertClassification;
  determination?: string;
  assignedTo?: string;
  comment: string;
}
