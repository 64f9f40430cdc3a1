import { SHA256, aFileProfile, anIndicator } from '../test-support/builders';
import { CTIM_SCHEMA_VERSION, FAR_FUTURE, SOURCE } from './ctim.constants';
import { Verdict } from './ctim.types';
import {
  verdictAndJudgementFromFileProfile,
  verdictAndJudgementFromIndicator,
  worstVerdict,
  worstVerdictPerObservable,
} from './verdict.mapper';

const domain = { type: 'domain', value: 'asdf.com' };
const NOW = new Date('2026-03-01T12:00:00.000Z');

describe('verdictAndJudgementFromIndicator', () => {
  it.each([
    ['Block', 2, 'Malicious'],
    ['BlockAndRemediate', 2, 'Malicious'],
    ['AlertAndBlock', 2, 'Malicious'],
    ['Audit', 3, 'Suspicious'],
    ['Alert', 3, 'Suspicious'],
    ['Warn', 3, 'Suspicious'],
    ['Allowed', 1, 'Clean'],
  ])('maps action %p to disposition %p %p', (action, disposition, name) => {
    const result = verdictAndJudgementFromIndicator(anIndicator({ action }), domain, NOW);
    expect(result?.verdict).toMatchObject({ disposition, disposition_name: name });
    expect(result?.judgement).toMatchObject({ disposition, disposition_name: name });
  });

  it('gives no verdict for an action without a disposition', () => {
    expect(verdictAndJudgementFromIndicator(anIndicator({ action: 'Something' }), domain, NOW)).toBeUndefined();
  });

  it('builds a complete judgement and a verdict pointing at it', () => {
    const result = verdictAndJudgementFromIndicator(anIndicator(), domain, NOW);

    expect(result?.judgement).toEqual({
      id: expect.stringMatching(/^transient:judgement-[0-9a-f-]{36}$/),
      type: 'judgement',
      schema_version: CTIM_SCHEMA_VERSION,
      source: SOURCE,
      observable: domain,
      disposition: 2,
      disposition_name: 'Malicious',
      priority: 90,
      confidence: 'High',
      severity: 'High',
      valid_time: { start_time: '2020-07-13T16:49:50.290203Z', end_time: FAR_FUTURE },
      reason: `Custom indicator "From SecureX Threat Response" (Block) in ${SOURCE}`,
      external_ids: ['13'],
      timestamp: '2020-07-13T16:49:50.290203Z',
    });
    expect(result?.verdict).toEqual({
      type: 'verdict',
      disposition: 2,
      disposition_name: 'Malicious',
      observable: domain,
      valid_time: { start_time: '2020-07-13T16:49:50.290203Z', end_time: FAR_FUTURE },
      judgement_id: result?.judgement.id,
    });
  });

  it('ends validity at the indicator expiration and starts now when the creation time is unknown', () => {
    const indicator = anIndicator({ creationTimeDateTimeUtc: null, expirationTime: '2027-01-01T00:00:00Z' });
    const result = verdictAndJudgementFromIndicator(indicator, domain, NOW);
    expect(result?.verdict.valid_time).toEqual({ start_time: NOW.toISOString(), end_time: '2027-01-01T00:00:00Z' });
  });

  it('gives no verdict for an expired indicator', () => {
    const indicator = anIndicator({ expirationTime: '2026-01-01T00:00:00Z' });
    expect(verdictAndJudgementFromIndicator(indicator, domain, NOW)).toBeUndefined();
  });

  it.each([
    ['Informational', 'Info'],
    ['Low', 'Low'],
    [null, 'Medium'],
  ])('maps indicator severity %p to %p', (severity, expected) => {
    expect(verdictAndJudgementFromIndicator(anIndicator({ severity }), domain, NOW)?.judgement.severity).toBe(expected);
  });
});

describe('verdictAndJudgementFromFileProfile', () => {
  const file = { type: 'sha256', value: SHA256 };

  it('judges a Malware determination malicious', () => {
    const result = verdictAndJudgementFromFileProfile(
      aFileProfile({ determinationType: 'Malware', determinationValue: 'Trojan:Win32/Wacatac' }),
      file,
      NOW,
    );
    expect(result?.verdict).toMatchObject({
      disposition: 2,
      disposition_name: 'Malicious',
      observable: file,
      valid_time: { start_time: NOW.toISOString(), end_time: FAR_FUTURE },
    });
    expect(result?.judgement.reason).toContain('Trojan:Win32/Wacatac');
  });

  it.each(['Unknown', 'Clean', 'Pua', null])('gives no verdict for determination %p', (determinationType) => {
    expect(verdictAndJudgementFromFileProfile(aFileProfile({ determinationType }), file, NOW)).toBeUndefined();
  });
});

describe('worstVerdict', () => {
  const verdict = (disposition: Verdict['disposition'], value = 'asdf.com'): Verdict => ({
    type: 'verdict',
    disposition,
    disposition_name: ({ 1: 'Clean', 2: 'Malicious', 3: 'Suspicious', 4: 'Common', 5: 'Unknown' } as const)[disposition],
    observable: { type: 'domain', value },
    valid_time: {},
  });

  it('prefers Malicious over Suspicious over Clean', () => {
    expect(worstVerdict([verdict(1), verdict(3), verdict(2), verdict(3)])?.disposition).toBe(2);
    expect(worstVerdict([verdict(1), verdict(3)])?.disposition).toBe(3);
    expect(worstVerdict([verdict(5), verdict(1)])?.disposition).toBe(1);
    expect(worstVerdict([])).toBeUndefined();
  });

  it('keeps one verdict per observable', () => {
    const result = worstVerdictPerObservable([verdict(1, 'a.com'), verdict(3, 'b.com'), verdict(2, 'a.com')]);
    expect(result.map((v) => [v.observable.value, v.disposition])).toEqual([
      ['a.com', 2],
      ['b.com', 3],
    ]);
  });
});
