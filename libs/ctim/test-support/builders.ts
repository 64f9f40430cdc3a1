/**
 * Small Defender payload builders for unit tests. Each returns a realistic, fully populated
 * object; pass overrides for the fields a test is about.
 */
import type { Clock } from '@app/common/clock';
import {
  Alert,
  AlertEvidence,
  DeviceFileEvent,
  DeviceNetworkEvent,
  FileProfile,
  Indicator,
  Machine,
  MachineAction,
} from '@app/defender/models';
import { IdGenerator } from '../src/id.provider';
import type { SightingContext } from '../src/sighting.mapper';
import { StampProvider } from '../src/stamp.provider';

export const MACHINE_ID = '111e6dd8c833c8a052ea231ec1b19adaf497b625';
export const HOSTNAME = 'temp123.middleeast.corp.microsoft.com';
export const TENANT_ID = 'a839b112-1253-6432-9bf6-94542403f21c';
export const PORTAL_URL = 'https://security.microsoft.com';

/** rundll32.exe */
export const SHA1 = 'ff836cfb1af40252bd2a2ea843032e99a5b262ed';
export const SHA256 = 'a4752c71d81afd3d5865d24ddb11a6b0c615062fcc448d24050c2172d2cbccd6';
export const MD5 = '1e8ee4bbe3bd7ee6fd5a1e8c0d2bf0c5';

/** A second file (the parent / initiating process). */
export const PARENT_SHA1 = '36c5d12033b2eaf251bae61c00690ffb17fddc87';
export const PARENT_SHA256 = '908b64b1971a979c7e3e8ce4621945cba84854cb98d76367b791a6e22b5f6d53';
export const PARENT_MD5 = '7353f60b1739074eb17c5f4dddefe239';

export function anEvidence(overrides: Partial<AlertEvidence> = {}): AlertEvidence {
  return {
    entityType: 'Process',
    evidenceCreationTime: '2021-01-26T20:33:58.6133333Z',
    sha1: SHA1,
    sha256: SHA256,
    fileName: 'rundll32.exe',
    filePath: 'C:\\Windows\\SysWOW64',
    processId: 3276,
    processCommandLine: 'rundll32.exe  c:\\temp\\suspicious.dll,RepeatAfterMe',
    processCreationTime: '2021-01-26T20:31:32.9581596Z',
    parentProcessId: 8420,
    parentProcessCreationTime: '2021-01-26T20:31:32.9004163Z',
    parentProcessFileName: 'explorer.exe',
    parentProcessFilePath: 'C:\\Windows',
    ipAddress: null,
    url: null,
    registryKey: null,
    registryHive: null,
    registryValueType: null,
    registryValue: null,
    accountName: null,
    domainName: null,
    userSid: null,
    aadUserId: null,
    userPrincipalName: null,
    detectionStatus: 'Detected',
    ...overrides,
  };
}

/** An evidence item of a non-file kind (`Ip`, `Url`, `User`): every file/process key null. */
export function aNonFileEvidence(entityType: string, overrides: Partial<AlertEvidence> = {}): AlertEvidence {
  return anEvidence({
    entityType,
    sha1: null,
    sha256: null,
    fileName: null,
    filePath: null,
    processId: null,
    processCommandLine: null,
    processCreationTime: null,
    parentProcessId: null,
    parentProcessCreationTime: null,
    parentProcessFileName: null,
    parentProcessFilePath: null,
    detectionStatus: null,
    ...overrides,
  });
}

export function anAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 'da637472900382838869_1364969609',
    incidentId: 1126093,
    investigationId: null,
    assignedTo: null,
    severity: 'Low',
    status: 'New',
    classification: null,
    determination: null,
    investigationState: 'Queued',
    detectionSource: 'WindowsDefenderAtp',
    detectorId: '17e10bbc-3a68-474a-8aad-faef14d43952',
    category: 'Execution',
    threatFamilyName: null,
    threatName: null,
    title: 'Low-reputation arbitrary code executed by signed executable',
    description: 'Binaries signed by Microsoft can be used to run low-reputation arbitrary code.',
    alertCreationTime: '2021-01-26T20:33:57.7220239Z',
    firstEventTime: '2021-01-26T20:31:32.9562661Z',
    lastEventTime: '2021-01-26T20:31:33.0577322Z',
    lastUpdateTime: '2021-01-26T20:33:59.2Z',
    resolvedTime: null,
    machineId: MACHINE_ID,
    computerDnsName: HOSTNAME,
    rbacGroupName: 'A',
    aadTenantId: TENANT_ID,
    mitreTechniques: ['T1064', 'T1085'],
    relatedUser: { userName: 'temp123', domainName: 'DOMAIN' },
    comments: [],
    evidence: [anEvidence()],
    ...overrides,
  };
}

export function aMachine(overrides: Partial<Machine> = {}): Machine {
  return {
    id: MACHINE_ID,
    computerDnsName: HOSTNAME,
    firstSeen: '2018-08-02T14:55:03.7791856Z',
    lastSeen: '2021-01-25T07:27:36.052313Z',
    osPlatform: 'Windows10',
    osProcessor: 'x64',
    version: '1901',
    lastIpAddress: '10.166.113.46',
    lastExternalIpAddress: '167.220.203.175',
    osBuild: 19042,
    healthStatus: 'Active',
    deviceValue: 'Normal',
    rbacGroupId: 140,
    rbacGroupName: 'The-A-Team',
    riskScore: 'High',
    exposureLevel: 'Low',
    isAadJoined: true,
    aadDeviceId: 'fd2e4d29-7072-4195-aaa5-1af139b78028',
    machineTags: ['Tag1', 'Tag2'],
    onboardingStatus: 'Onboarded',
    osArchitecture: '64-bit',
    ipAddresses: [{ ipAddress: '10.166.113.47', macAddress: '8CEC4B897E73', operationalStatus: 'Up' }],
    ...overrides,
  };
}

export function aFileEvent(overrides: Partial<DeviceFileEvent> = {}): DeviceFileEvent {
  return {
    Timestamp: '2020-05-28T07:06:58.4340352Z',
    DeviceId: MACHINE_ID,
    DeviceName: HOSTNAME,
    ActionType: 'FileCreated',
    FileName: 'payload.exe',
    FolderPath: 'C:\\Users\\temp123\\Downloads\\payload.exe',
    SHA1: SHA1,
    SHA256: '',
    MD5: MD5,
    FileOriginUrl: '',
    FileOriginReferrerUrl: '',
    FileOriginIP: '',
    PreviousFolderPath: '',
    PreviousFileName: '',
    FileSize: 2843585,
    InitiatingProcessAccountDomain: 'domain',
    InitiatingProcessAccountName: 'temp123',
    InitiatingProcessSHA1: PARENT_SHA1,
    InitiatingProcessSHA256: PARENT_SHA256,
    InitiatingProcessMD5: PARENT_MD5,
    InitiatingProcessFolderPath: 'c:\\windows\\system32\\windowspowershell\\v1.0\\powershell.exe',
    InitiatingProcessFileName: 'powershell.exe',
    InitiatingProcessId: 7248,
    InitiatingProcessCommandLine: 'powershell.exe -nop -w hidden',
    InitiatingProcessCreationTime: '2020-05-28T07:06:50.0000000Z',
    InitiatingProcessParentId: 7700,
    InitiatingProcessParentFileName: 'explorer.exe',
    RequestProtocol: 'Local',
    ReportId: 4242,
    ...overrides,
  };
}

export function aNetworkEvent(overrides: Partial<DeviceNetworkEvent> = {}): DeviceNetworkEvent {
  return {
    Timestamp: '2020-05-28T08:00:00.0000000Z',
    DeviceId: MACHINE_ID,
    DeviceName: HOSTNAME,
    ActionType: 'ConnectionSuccess',
    RemoteIP: '93.184.216.34',
    RemotePort: 443,
    RemoteUrl: 'example.com',
    LocalIP: '10.1.1.68',
    LocalPort: 51234,
    Protocol: 'Tcp',
    LocalIPType: 'Private',
    RemoteIPType: 'Public',
    InitiatingProcessSHA1: PARENT_SHA1,
    InitiatingProcessSHA256: PARENT_SHA256,
    InitiatingProcessMD5: PARENT_MD5,
    InitiatingProcessFileName: 'powershell.exe',
    InitiatingProcessFolderPath: 'c:\\windows\\system32\\windowspowershell\\v1.0\\powershell.exe',
    InitiatingProcessCommandLine: 'powershell.exe -nop -w hidden',
    InitiatingProcessParentFileName: 'explorer.exe',
    InitiatingProcessAccountDomain: 'domain',
    InitiatingProcessAccountName: 'temp123',
    ReportId: 4343,
    ...overrides,
  };
}

export function aFileProfile(overrides: Partial<FileProfile> = {}): FileProfile {
  return {
    sha1: SHA1,
    sha256: SHA256,
    md5: MD5,
    globalPrevalence: 15,
    globalFirstObserved: '2017-03-16T12:02:32.4527362Z',
    globalLastObserved: '2020-06-17T06:54:07.852862Z',
    size: 2843585,
    fileType: null,
    isPeFile: true,
    filePublisher: null,
    fileProductName: null,
    signer: null,
    issuer: null,
    signerHash: null,
    isValidCertificate: null,
    determinationType: 'Unknown',
    determinationValue: '',
    ...overrides,
  };
}

export function anIndicator(overrides: Partial<Indicator> = {}): Indicator {
  return {
    id: '13',
    indicatorValue: 'asdf.com',
    indicatorType: 'DomainName',
    action: 'Block',
    createdBy: '0006810a-4b24-40b7-862b-6e30a2ed88d4',
    source: 'Defender for Endpoint Relay API',
    sourceType: 'AadApp',
    severity: 'High',
    category: 1,
    application: null,
    educateUrl: null,
    bypassDurationHours: null,
    title: 'From SecureX Threat Response',
    description: 'This indicator was added via SecureX Threat Response',
    recommendedActions: null,
    creationTimeDateTimeUtc: '2020-07-13T16:49:50.290203Z',
    expirationTime: null,
    lastUpdateTime: '2020-07-13T16:49:50.290203Z',
    lastUpdatedBy: null,
    rbacGroupNames: [],
    rbacGroupIds: [],
    mitreTechniques: [],
    historicalDetection: false,
    lookBackPeriod: null,
    generateAlert: true,
    createdByDisplayName: 'Defender for Endpoint Relay API',
    createdBySource: 'PublicApi',
    ...overrides,
  };
}

export function aMachineAction(overrides: Partial<MachineAction> = {}): MachineAction {
  return {
    id: '8af71966-4671-4734-a777-a855875c0ec4',
    type: 'Isolate',
    title: null,
    requestor: 'Defender for Endpoint API',
    requestorComment: 'Performed via SecureX Threat Response',
    status: 'Succeeded',
    machineId: MACHINE_ID,
    computerDnsName: HOSTNAME,
    creationDateTimeUtc: '2026-01-23T20:10:40.8785235Z',
    lastUpdateDateTimeUtc: '2026-01-23T20:12:40.8785246Z',
    cancellationRequestor: null,
    cancellationComment: null,
    cancellationDateTimeUtc: null,
    errorHResult: 0,
    scope: 'Full',
    externalId: null,
    requestSource: 'PublicApi',
    relatedFileInfo: null,
    troubleshootInfo: null,
    ...overrides,
  };
}

/** File profiles keyed by each of their lower-case hashes, as `SightingContext.files` wants. */
export function filesIndex(...profiles: FileProfile[]): Map<string, FileProfile> {
  const index = new Map<string, FileProfile>();
  for (const profile of profiles) {
    for (const hash of [profile.sha1, profile.sha256, profile.md5]) {
      if (hash) index.set(hash.toLowerCase(), profile);
    }
  }
  return index;
}

/** A context with no machine or file data unless overridden. */
export function aSightingContext(overrides: Partial<SightingContext> = {}): SightingContext {
  return {
    observable: { type: 'sha1', value: SHA1 },
    count: 1,
    portalUrl: PORTAL_URL,
    tenantId: TENANT_ID,
    machines: new Map(),
    files: new Map(),
    ...overrides,
  };
}

/** The time of `fixedClock` unless told otherwise. */
export const NOW = '2026-03-01T12:00:00.000Z';

/** A clock stopped at `at`. */
export function fixedClock(at: string = NOW): Clock {
  const ms = Date.parse(at);
  return () => ms;
}

/** UUIDs counting up in order of use: `uuidNo(1)`, `uuidNo(2)`, … */
export class CountingIds extends IdGenerator {
  private count = 0;

  uuid(): string {
    this.count += 1;
    return uuidNo(this.count);
  }
}

/** The `n`th UUID of `CountingIds`: `00000000-0000-4000-8000-000000000001` for 1. */
export function uuidNo(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** Stamps at a fixed time with counting ids, as the mappers get them from `CtimModule`. */
export function fixedStamps(at: string = NOW): StampProvider {
  return new StampProvider(fixedClock(at), new CountingIds());
}
