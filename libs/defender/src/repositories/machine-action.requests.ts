import { MachineActionName, MachineActionPath } from '../models';

export interface MachineActionRequestBody {
  Comment: string;
  IsolationType?: 'Full' | 'Selective';
  ScanType?: 'Quick' | 'Full';
}

/** A machine action to POST at `machines/{id}/<path>`. */
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

/** Path and body of a machine action, the comment saying who asked. */
export function machineActionRequest(name: MachineActionName, comment: string): MachineActionRequest {
  const { path, extra } = REQUESTS[name];
  return { path, body: { Comment: comment, ...extra } };
}

/** `POST machines/{id}/StopAndQuarantineFile`: stops the file's processes and quarantines it on one device. */
export function stopAndQuarantineRequest(sha1: string, comment: string): { Comment: string; Sha1: string } {
  return { Comment: comment, Sha1: sha1 };
}

export type TagChange = 'Add' | 'Remove';

/** `POST machines/{id}/tags`: adds or removes one tag. */
export function machineTagRequest(tag: string, change: TagChange): { Value: string; Action: TagChange } {
  return { Value: tag, Action: change };
}

/** `POST machineactions/{id}/cancel`. */
export function cancelRequest(comment: string): { Comment: string } {
  return { Comment: comment };
}
