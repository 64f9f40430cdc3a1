import { Indicator, Investigation, MachineAction, MachineActionStatus, MachineActionType } from '../model/entities';
import { newIndicator } from '../model/indicator.entity';
import { findSeedMachine, seedMachine } from './machines.seed';
import { ago } from './seed.builders';
import {
  DEMO_APP_NAME,
  DEMO_CLIENT_ID,
  DEMO_FLEET_IDS,
  DEMO_INDICATOR_IDS,
  DEMO_MACHINE_IDS,
  OTHER_CLIENT_ID,
  OTHER_INDICATOR_ID,
  SEED_FILES,
  SEED_NETWORK,
} from './seed.constants';

const DAY = 24 * 60;
const ANALYST = 'secops.lead@contosodemo.onmicrosoft.com';

export function action(
  id: string,
  type: MachineActionType,
  machineId: string,
  minutesAgo: number,
  status: MachineActionStatus,
  comment: string,
  scope: string | null = null,
): MachineAction {
  return {
    id,
    type,
    title: null,
    requestor: ANALYST,
    requestorComment: comment,
    status,
    machineId,
    // A device outside the inventory (a real payload's) has no name.
    computerDnsName: findSeedMachine(machineId)?.computerDnsName ?? '',
    creationDateTimeUtc: ago(minutesAgo),
    lastUpdateDateTimeUtc: ago(minutesAgo - 2),
    cancellationRequestor: null,
    cancellationComment: null,
    cancellationDateTimeUtc: null,
    errorHResult: status === 'Failed' ? -2147024891 : 0,
    scope,
    externalId: null,
    requestSource: 'Portal',
    relatedFileInfo: null,
    commands: [],
    troubleshootInfo: null,
  };
}

/**
 * History per machine (the latest Succeeded isolation-type action decides the state):
 * win10 — isolated then released 12 days ago; a new isolation 38 h ago Failed → not isolated.
 * win11 — isolated, released, isolated again 20 h ago → isolated (Full).
 * server2019 — code execution restricted 18 h ago → restricted.
 */
export const DEMO_MACHINE_ACTIONS: MachineAction[] = [
  action('2ac2c076-1000-44d0-8535-a7e09d20e801', 'Isolate', DEMO_MACHINE_IDS.win10, 13 * DAY, 'Succeeded', 'Phishing triage', 'Full'),
  action('2ac2c076-1000-44d0-8535-a7e09d20e802', 'Unisolate', DEMO_MACHINE_IDS.win10, 12 * DAY, 'Succeeded', 'False positive, released'),
  action('050b6516-e0ba-4d87-a57b-eef901c3acea', 'RunAntiVirusScan', DEMO_MACHINE_IDS.win10, 2400, 'Succeeded', 'Scan after Emotet detection', 'Quick'),
  action('412f88e7-27e4-4152-9805-5943ee598f86', 'CollectInvestigationPackage', DEMO_MACHINE_IDS.win10, 2340, 'Succeeded', 'Forensics for incident 4021'),
  action('f0d3661b-8235-43c0-b566-4f74b7bf41c4', 'Isolate', DEMO_MACHINE_IDS.win10, 2280, 'Failed', 'Contain Emotet', 'Full'),
  action('6298d4d1-061a-4423-8cf2-d2b17c8e7dd0', 'Isolate', DEMO_MACHINE_IDS.win11, 10 * DAY, 'Succeeded', 'Suspicious USB device', 'Selective'),
  action('6b9e38cf-55cb-478f-94b4-dedeed5dc377', 'Unisolate', DEMO_MACHINE_IDS.win11, 9 * DAY, 'Succeeded', 'Cleared'),
  action('d33091bc-06e5-4fbb-8198-0068fef97e70', 'Isolate', DEMO_MACHINE_IDS.win11, 1200, 'Succeeded', 'Contain stage-2 download (incident 4022)', 'Full'),
  action('74b9dada-b1cc-4ab9-9a2c-e6c71e807252', 'RestrictCodeExecution', DEMO_MACHINE_IDS.server2019, 1080, 'Succeeded', 'Block svc-updater.dll execution'),
  action('c87d3c67-3300-427d-82a0-19ef445c789b', 'RunAntiVirusScan', DEMO_MACHINE_IDS.linux, 300, 'Succeeded', 'Full scan after miner alert', 'Full'),
];

/**
 * Actions on the rest of the fleet, for the response-activity tile: one of each outcome over the
 * last 30 days, and the kiosk's isolation 30.5 days ago, which still counts as isolated. None
 * touches the demo machines, whose isolation and restriction state the respond tests read.
 */
export const DEMO_ACTION_HISTORY: MachineAction[] = [
  action('b7e2a1c4-3d5f-4e60-8a9b-0c1d2e3f4a01', 'RunAntiVirusScan', DEMO_FLEET_IDS.hrWorkstation, 12, 'Pending', 'Scan after PowerShell alert', 'Quick'),
  {
    ...action('b7e2a1c4-3d5f-4e60-8a9b-0c1d2e3f4a02', 'RunAntiVirusScan', DEMO_FLEET_IDS.posTerminal, 50, 'Cancelled', 'Full scan of the till', 'Full'),
    cancellationRequestor: ANALYST,
    cancellationComment: 'Store opening hours; rescheduled',
    cancellationDateTimeUtc: ago(45),
  },
  action('b7e2a1c4-3d5f-4e60-8a9b-0c1d2e3f4a03', 'CollectInvestigationPackage', DEMO_FLEET_IDS.sqlServer, 200, 'Succeeded', 'Forensics for the LSASS alert'),
  action('b7e2a1c4-3d5f-4e60-8a9b-0c1d2e3f4a04', 'RunAntiVirusScan', DEMO_FLEET_IDS.labVm, 3000, 'TimeOut', 'Scan the lab image', 'Quick'),
  action('b7e2a1c4-3d5f-4e60-8a9b-0c1d2e3f4a05', 'CollectInvestigationPackage', DEMO_FLEET_IDS.hrWorkstation, 15_000, 'Failed', 'Forensics for the Qakbot alert'),
  action('b7e2a1c4-3d5f-4e60-8a9b-0c1d2e3f4a06', 'Isolate', DEMO_FLEET_IDS.kiosk, 43_900, 'Succeeded', 'Contain the kiosk until it is reimaged', 'Full'),
];

export const DEMO_INVESTIGATIONS: Investigation[] = [
  {
    id: '6301',
    startTime: ago(3044),
    endTime: null,
    state: 'Running',
    cancelledBy: null,
    statusDetails: null,
    machineId: DEMO_MACHINE_IDS.win10,
    computerDnsName: seedMachine(DEMO_MACHINE_IDS.win10).computerDnsName,
    triggeringAlertId: 'da638681844123456789_1364969609',
  },
];

interface IndicatorInput {
  id: string;
  indicatorValue: string;
  indicatorType: Indicator['indicatorType'];
  action: Indicator['action'];
  severity: Indicator['severity'];
  title: string;
  description: string;
  generateAlert: boolean;
  minutesAgo: number;
  educateUrl?: string;
  expirationTime?: string;
  byApp?: { clientId: string; name: string };
  recommendedActions?: string;
}

export function indicator(i: IndicatorInput): Indicator {
  return newIndicator({
    id: i.id,
    indicatorValue: i.indicatorValue,
    indicatorType: i.indicatorType,
    action: i.action,
    createdBy: i.byApp ? i.byApp.clientId : ANALYST,
    source: i.byApp ? i.byApp.name : ANALYST,
    sourceType: i.byApp ? 'AadApp' : 'User',
    severity: i.severity,
    application: null,
    educateUrl: i.educateUrl ?? null,
    title: i.title,
    description: i.description,
    recommendedActions: i.recommendedActions ?? null,
    expirationTime: i.expirationTime ?? null,
    rbacGroupNames: [],
    generateAlert: i.generateAlert,
    createdByDisplayName: i.byApp ? i.byApp.name : ANALYST,
    createdBySource: i.byApp ? 'PublicApi' : 'Portal',
    created: ago(i.minutesAgo),
  });
}

export const DEMO_INDICATORS: Indicator[] = [
  indicator({
    id: DEMO_INDICATOR_IDS.dropperHash,
    indicatorValue: SEED_FILES.emotetDropper.sha256,
    indicatorType: 'FileSha256',
    action: 'BlockAndRemediate',
    severity: 'High',
    title: 'Emotet dropper (invoice lure)',
    description: 'Dropper delivered by the November invoice phishing wave.',
    generateAlert: true,
    minutesAgo: 2500,
    recommendedActions: 'Isolate the device and reset the user password.',
  }),
  indicator({
    id: DEMO_INDICATOR_IDS.payloadDomain,
    indicatorValue: SEED_NETWORK.payloadDomain,
    indicatorType: 'DomainName',
    action: 'Audit',
    severity: 'Medium',
    title: 'Stage-2 payload host',
    description: 'Serves PowerShell and DLL payloads for the Emotet follow-up.',
    generateAlert: true,
    minutesAgo: 2000,
    byApp: { clientId: DEMO_CLIENT_ID, name: DEMO_APP_NAME },
  }),
  indicator({
    id: DEMO_INDICATOR_IDS.partnerVpnIp,
    indicatorValue: SEED_NETWORK.partnerVpnIp,
    indicatorType: 'IpAddress',
    action: 'Allowed',
    severity: 'Informational',
    title: 'Partner VPN concentrator',
    description: 'Trusted partner endpoint; suppress network alerts.',
    generateAlert: false,
    minutesAgo: 40 * DAY,
  }),
  indicator({
    id: DEMO_INDICATOR_IDS.phishingUrl,
    indicatorValue: SEED_NETWORK.phishingUrl,
    indicatorType: 'Url',
    action: 'Warn',
    severity: 'Low',
    title: 'Credential phishing page',
    description: 'Fake Microsoft 365 sign-in page.',
    generateAlert: false,
    minutesAgo: 6 * DAY,
    educateUrl: 'https://intranet.contosodemo.example/security/phishing',
    expirationTime: '2027-01-31T00:00:00Z',
  }),
];

export const OTHER_INDICATORS: Indicator[] = [
  indicator({
    id: OTHER_INDICATOR_ID,
    indicatorValue: SEED_NETWORK.otherTenantDomain,
    indicatorType: 'DomainName',
    action: 'Block',
    severity: 'High',
    title: 'Fabrikam blocked domain',
    description: 'Lab test indicator.',
    generateAlert: true,
    minutesAgo: 500,
    byApp: { clientId: OTHER_CLIENT_ID, name: 'Fabrikam SOC automation' },
  }),
];

/** Indicators added over the last 30 days (one in the last hour), for the response-activity tile. */
export const DEMO_INDICATOR_HISTORY: Indicator[] = [
  indicator({
    id: '105',
    indicatorValue: '203.0.113.77',
    indicatorType: 'IpAddress',
    action: 'Block',
    severity: 'High',
    title: 'Scanner hitting the VPN portal',
    description: 'Password spraying source.',
    generateAlert: true,
    minutesAgo: 30,
  }),
  indicator({
    id: '106',
    indicatorValue: 'a3f5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1',
    indicatorType: 'FileSha1',
    action: 'BlockAndRemediate',
    severity: 'High',
    title: 'Mimikatz build seen on hr-wks-031',
    description: 'Credential theft tool.',
    generateAlert: true,
    minutesAgo: 600,
  }),
  indicator({
    id: '107',
    indicatorValue: 'tracker-cdn.example',
    indicatorType: 'DomainName',
    action: 'Audit',
    severity: 'Low',
    title: 'Ad tracker used by BundleInstaller',
    description: 'Audit only.',
    generateAlert: true,
    minutesAgo: 4000,
    byApp: { clientId: DEMO_CLIENT_ID, name: DEMO_APP_NAME },
  }),
  indicator({
    id: '108',
    indicatorValue: 'invoice-portal.example',
    indicatorType: 'DomainName',
    action: 'Warn',
    severity: 'Medium',
    title: 'Invoice lure domain',
    description: 'Look-alike of the supplier portal.',
    generateAlert: false,
    minutesAgo: 20_000,
  }),
];
