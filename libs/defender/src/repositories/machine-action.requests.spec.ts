import { machineActionRequest } from './machine-action.requests';

describe('machineActionRequest', () => {
  const comment = 'Performed via SecureX Threat Response';

  it.each([
    ['FullIsolation', 'isolate', { Comment: comment, IsolationType: 'Full' }],
    ['SelectiveIsolation', 'isolate', { Comment: comment, IsolationType: 'Selective' }],
    ['Unisolate', 'unisolate', { Comment: comment }],
    ['RestrictCodeExecution', 'restrictCodeExecution', { Comment: comment }],
    ['UnrestrictCodeExecution', 'unrestrictCodeExecution', { Comment: comment }],
    ['RunAntiVirusScanQuick', 'runAntiVirusScan', { Comment: comment, ScanType: 'Quick' }],
    ['RunAntiVirusScanFull', 'runAntiVirusScan', { Comment: comment, ScanType: 'Full' }],
    ['CollectInvestigationPackage', 'collectInvestigationPackage', { Comment: comment }],
    ['InitiateInvestigation', 'startInvestigation', { Comment: comment }],
  ] as const)('%s → POST machines/{id}/%s', (name, path, body) => {
    expect(machineActionRequest(name, comment)).toEqual({ path, body });
  });
});
