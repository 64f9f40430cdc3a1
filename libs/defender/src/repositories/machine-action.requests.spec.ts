import { cancelRequest, machineActionRequest, machineTagRequest, stopAndQuarantineRequest } from './machine-action.requests';

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

describe('device-level request bodies (PascalCase, as Defender requires)', () => {
  it('stop and quarantine: Comment and Sha1', () => {
    expect(stopAndQuarantineRequest('1f0b9493fdec2b3c3e9203495d7b3fe0a644a7dc', 'c')).toEqual({ Comment: 'c', Sha1: '1f0b9493fdec2b3c3e9203495d7b3fe0a644a7dc' });
  });

  it('tags: Value and Action', () => {
    expect(machineTagRequest('XDR-Contained', 'Remove')).toEqual({ Value: 'XDR-Contained', Action: 'Remove' });
  });

  it('cancel: Comment', () => {
    expect(cancelRequest('c')).toEqual({ Comment: 'c' });
  });
});
