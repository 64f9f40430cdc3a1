import { AccessRequirement } from './bearer.guard';

// Application permissions each Defender/Graph route accepts (any one of them), per Microsoft docs.
const defender = (...anyOfRoles: string[]): AccessRequirement => ({ audience: 'defender', anyOfRoles });

export const ACCESS = {
  alertsRead: defender('Alert.Read.All', 'Alert.ReadWrite.All'),
  fileRead: defender('File.Read.All'),
  ipRead: defender('Ip.Read.All'),
  urlRead: defender('URL.Read.All'),
  machineRead: defender('Machine.Read.All', 'Machine.ReadWrite.All'),
  isolate: defender('Machine.Isolate'),
  restrict: defender('Machine.RestrictExecution'),
  scan: defender('Machine.Scan'),
  collect: defender('Machine.CollectForensics'),
  quarantine: defender('Machine.StopAndQuarantine'),
  tag: defender('Machine.ReadWrite.All'),
  // Cancelling needs the permission of the action being cancelled; the handler checks which.
  cancel: defender('Machine.Isolate', 'Machine.RestrictExecution', 'Machine.Scan', 'Machine.CollectForensics', 'Machine.StopAndQuarantine'),
  investigate: defender('Alert.ReadWrite.All'),
  alertsWrite: defender('Alert.ReadWrite.All'),
  indicators: defender('Ti.ReadWrite', 'Ti.ReadWrite.All'),
  score: defender('Score.Read.All'),
  hunting: defender('AdvancedQuery.Read.All'),
  graphHunting: { audience: 'graph', anyOfRoles: ['ThreatHunting.Read.All'] } satisfies AccessRequirement,
  graphAlertsRead: { audience: 'graph', anyOfRoles: ['SecurityAlert.Read.All', 'SecurityAlert.ReadWrite.All'], graphWording: true } satisfies AccessRequirement,
  graphAlertsWrite: { audience: 'graph', anyOfRoles: ['SecurityAlert.ReadWrite.All'], graphWording: true } satisfies AccessRequirement,
} as const;
