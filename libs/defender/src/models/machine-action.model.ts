export type MachineActionType =
  | 'RunAntiVirusScan'
  | 'Offboard'
  | 'LiveResponse'
  | 'CollectInvestigationPackage'
  | 'Isolate'
  | 'Unisolate'
  | 'StopAndQuarantineFile'
  | 'RestrictCodeExecution'
  | 'UnrestrictCodeExecution';

export type MachineActionStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'TimeOut' | 'Cancelled';

export interface MachineActionRelatedFileInfo {
  fileIdentifier?: string | null;
  fileIdentifierType?: 'Sha1' | 'Sha256' | 'Md5' | string | null;
}

export interface MachineAction {
  id: string;
  type: MachineActionType | string;
  title?: string | null;
  requestor?: string | null;
  requestorComment?: string | null;
  status: MachineActionStatus | string;
  machineId?: string | null;
  computerDnsName?: string | null;
  creationDateTimeUtc?: string | null;
  lastUpdateDateTimeUtc?: string | null;
  cancellationRequestor?: string | null;
  cancellationComment?: string | null;
  cancellationDateTimeUtc?: string | null;
  errorHResult?: number | null;
  /** `Full`/`Selective` for isolation, `Quick`/`Full` for scans, else null. */
  scope?: string | null;
  externalId?: string | null;
  requestSource?: string | null;
  relatedFileInfo?: MachineActionRelatedFileInfo | null;
  troubleshootInfo?: string | null;
}

export type MachineActionPath =
  | 'isolate'
  | 'unisolate'
  | 'restrictCodeExecution'
  | 'unrestrictCodeExecution'
  | 'runAntiVirusScan'
  | 'collectInvestigationPackage'
  | 'startInvestigation';

/** Defender's actions with the isolation and scan type made part of the name, as XDR offers them. */
export type MachineActionName =
  | 'FullIsolation'
  | 'SelectiveIsolation'
  | 'Unisolate'
  | 'RestrictCodeExecution'
  | 'UnrestrictCodeExecution'
  | 'RunAntiVirusScanQuick'
  | 'RunAntiVirusScanFull'
  | 'CollectInvestigationPackage'
  | 'InitiateInvestigation';
