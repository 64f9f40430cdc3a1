import { MachineActionName, MachineActionPath } from '../models';

export interface MachineActionRequestBody {
  Comment: string;
  IsolationType?: 'Full' | 'Selective';
  ScanType?: 'Quick' | 'Full';
}

export interface MachineActionRequest {
  path: MachineActionPath;
  body: MachineActionRequestBody;
}

const REQUESTS: Readonly<Record<MachineActionName, { path: MachineActionPath; extra?: Partial<MachineActionRequestBody> }>> = {
  FullIsolation: { path: 'isolate', extra: { IsolationType: 'Full' } },
  SelectiveIsolation: { path: 'isolate', extra: { IsolationType: 'Selective' } },
  Unisolate: { path: 'unisolate' },
  RestrictCodeExecution: { path: 'restrictCodeExecution' },
  UnrestrictCodeExecution: { path: 'unrestrictCodeExecution' },
  RunAntiVirusScanQuick: { path: 'runAntiVirusScan', extra: { ScanType: 'Quick' } },
  RunAntiVirusScanFull: { path: 'runAntiVirusScan', extra: { ScanType: 'Full' } },
  CollectInvestigationPackage: { path: 'collectInvestigationPackage' },
  InitiateInvestigation: { path: 'startInvestigation' },
};

export function machineActionRequest(name: MachineActionName, comment: string): MachineActionRequest {
  const { path, extra } = REQUESTS[name];
  return { path, body: { Comment: comment, ...extra } };
}

export function stopAndQuarantineRequest(sha1: string, comment: string): { Comment: string; Sha1: string } {
  return { Comment: comment, Sha1: sha1 };
}

export type TagChange = 'Add' | 'Remove';

export function machineTagRequest(tag: string, change: TagChange): { Value: string; Action: TagChange } {
  return { Value: tag, Action: change };
}

export function cancelRequest(comment: string): { Comment: string } {
  return { Comment: comment };
}
