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
