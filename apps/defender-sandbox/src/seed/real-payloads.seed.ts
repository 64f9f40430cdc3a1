import { Alert, FileProfile, Indicator, MachineAction } from '../model/entities';
import { action, indicator } from './actions.seed';
import { fileEvidence } from './seed.builders';
import { DEMO_TENANT_ID, REAL_PAYLOADS } from './seed.constants';

const { puaFile, offboardedMachineId, offboardedDnsName } = REAL_PAYLOADS;

export const REAL_PAYLOAD_FILES: FileProfile[] = [
  {
    sha1: puaFile.sha1,
    sha256: puaFile.sha256,
    md5: puaFile.md5,
    globalPrevalence: 180022,
    globalFirstObserved: '2017-09-19T03:51:27.6785431Z',
    globalLastObserved: '2020-01-06T03:59:21.3229314Z',
    size: 22139496,
    fileType: 'APP',
    isPeFile: true,
    filePublisher: 'CHENGDU YIWO Tech Development Co., Ltd.',
    fileProductName: 'EaseUS MobiSaver for Android',
    signer: 'CHENGDU YIWO Tech Development Co., Ltd.',
    issuer: 'VeriSign Class 3 Code Signing 2010 CA',
    signerHash: '6c3245d4a9bc0244d99dff27af259cbbae2e2d16',
    isValidCertificate: false,
    determinationType: 'Pua',
    determinationValue: 'PUA:Win32/FusionCore',
  },
];

export const REAL_PAYLOAD_INDICATORS: Indicator[] = [
  {
    ...indicator({
      id: REAL_PAYLOADS.expiredIndicatorId,
      indicatorValue: puaFile.sha1,
      indicatorType: 'FileSha1',
      action: 'AlertAndBlock',
      severity: 'Informational',
      title: 'test',
      description: 'test',
      generateAlert: true,
      minutesAgo: 0,
      expirationTime: '2020-12-12T00:00:00Z',
    }),
    creationTimeDateTimeUtc: '2020-07-13T16:49:50.290203Z',
    lastUpdateTime: '2020-07-13T16:49:50.290203Z',
  },
];

export const REAL_PAYLOAD_MACHINE_ACTIONS: MachineAction[] = [
  {
    ...action('a3f5c7e9-2019-4b1d-8f3a-5c7e9b1d3f51', 'Isolate', offboardedMachineId, 0, 'Succeeded', 'Isolate and offboard', 'Full'),
    computerDnsName: offboardedDnsName,
    creationDateTimeUtc: '2019-08-12T09:14:03.4412336Z',
    lastUpdateDateTimeUtc: '2019-08-12T09:16:40.1018795Z',
  },
];

export const REAL_PAYLOAD_ALERTS: Alert[] = [
  {
    id: REAL_PAYLOADS.nullCategoryAlertId,
    incidentId: 1126,
    investigationId: null,
    assignedTo: null,
    severity: 'Low',
    status: 'New',
    classification: null,
    determination: null,
    investigationState: 'UnsupportedAlertType',
    detectionSource: 'WindowsDefenderAv',
    detectorId: '0b3e6a0f-3b1c-4a7e-9d2f-1c3e5a7b9d10',
    category: 'null',
    threatFamilyName: 'FusionCore',
    threatName: 'PUA:Win32/FusionCore',
    title: "'FusionCore' unwanted software was detected",
    description: 'Potentially unwanted application FusionCore was detected.',
    alertCreationTime: '2019-06-25T08:33:47.6966667Z',
    firstEventTime: '2019-06-25T08:31:12.6033333Z',
    lastEventTime: '2019-08-10T14:18:02.1Z',
    lastUpdateTime: '2019-08-12T09:16:40.1Z',
    resolvedTime: null,
    machineId: offboardedMachineId,
    computerDnsName: offboardedDnsName,
    rbacGroupName: null,
    aadTenantId: DEMO_TENANT_ID,
    mitreTechniques: [],
    relatedUser: null,
    comments: [],
    evidence: [fileEvidence('2019-06-25T08:33:47.6966667Z', puaFile, 'C:\\Users\\temp123\\Downloads')],
  },
];
