import { graphPatch } from './alert-writers';

describe('Graph alerts_v2 PATCH body', () => {
  it('spells the enums in camelCase and renames the four determinations Graph calls otherwise', () => {
    expect(graphPatch({ status: 'Resolved', classification: 'FalsePositive', determination: 'Clean', comment: 'c' })).toEqual({
      status: 'resolved',
      classification: 'falsePositive',
      determination: 'notMalicious',
    });
    expect(graphPatch({ status: 'InProgress', comment: 'c' })).toEqual({ status: 'inProgress' });
    expect(graphPatch({ classification: 'InformationalExpectedActivity', determination: 'ConfirmedUserActivity', comment: 'c' })).toEqual({
      classification: 'informationalExpectedActivity',
      determination: 'confirmedActivity',
    });
    expect(graphPatch({ classification: 'TruePositive', determination: 'CompromisedUser', comment: 'c' }).determination).toBe('compromisedAccount');
    expect(graphPatch({ classification: 'FalsePositive', determination: 'InsufficientData', comment: 'c' }).determination).toBe('notEnoughDataToValidate');
    expect(graphPatch({ classification: 'TruePositive', determination: 'MultiStagedAttack', comment: 'c' }).determination).toBe('multiStagedAttack');
    expect(graphPatch({ assignedTo: 'lead@x.example', comment: 'c' })).toEqual({ assignedTo: 'lead@x.example' });
  });
});
