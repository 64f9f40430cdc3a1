import { NOW, SHA256, aFileProfile, anIndicator, fixedStamps, uuidNo } from '../test-support/builders';
import { CTIM_SCHEMA_VERSION, FAR_FUTURE, SOURCE } from './ctim.constants';
import { CtimObservable, DispositionNumber } from './ctim.types';
import { DISPOSITIONS, VerdictAndJudgement, VerdictMapper } from './verdict.mapper';

/** A mapper stamped at `at` whose ids count from uuidNo(1). */
const mapper = (at?: string) => new VerdictMapper(fixedStamps(at));

const domain = { type: 'domain', value: 'asdf.com' };

describe('VerdictMapper.fromIndicator', () => {
  it.each([
    ['Block', 2, 'Malicious'],
    ['BlockAndRemediate', 2, 'Malicious'],
    ['AlertAndBlock', 2, 'Malicious'],
    ['Audit', 3, 'Suspicious'],
    ['Alert', 3, 'Suspicious'],
    ['Warn', 3, 'Suspicious'],
    ['Allowed', 1, 'Clean'],
  ])('maps action %p to disposition %p %p', (action, disposition, name) => {
    const result = mapper().fromIndicator(anIndicator({ action }), domain);
    expect(result?.verdict).toMatchObject({ disposition, disposition_name: name });
    expect(result?.judgement).toMatchObject({ disposition, disposition_name: name });
  });

  it('gives no verdict for an action without a disposition', () => {
    expect(mapper().fromIndicator(anIndicator({ action: 'Something' }), domain)).toBeUndefined();
  });

  it('builds a complete judgement and a verdict pointing at it', () => {
    const result = mapper().fromIndicator(anIndicator(), domain);

    expect(result?.judgement).toEqual({
      id: `transient:judgement-${uuidNo(1)}`,
      type: 'judgement',
      schema_version: CTIM_SCHEMA_VERSION,
      source: SOURCE,
      observable: domain,
      disposition: 2,
      disposition_name: 'Malicious',
      priority: 95,
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
    const result = mapper().fromIndicator(indicator, domain);
    expect(result?.verdict.valid_time).toEqual({ start_time: NOW, end_time: '2027-01-01T00:00:00Z' });
  });

  it('judges expiry against the time of mapping', () => {
    const indicator = anIndicator({ expirationTime: '2026-06-01T00:00:00Z' });
    expect(mapper().fromIndicator(indicator, domain)?.verdict.valid_time.end_time).toBe('2026-06-01T00:00:00Z');
    expect(mapper('2026-06-01T00:00:00.000Z').fromIndicator(indicator, domain)).toBeUndefined();
  });

  it('gives no verdict for an expired indicator', () => {
    const indicator = anIndicator({ expirationTime: '2026-01-01T00:00:00Z' });
    expect(mapper().fromIndicator(indicator, domain)).toBeUndefined();
  });

  it.each([
    ['Informational', 'Info'],
    ['Low', 'Low'],
    [null, 'Medium'],
  ])('maps indicator severity %p to %p', (severity, expected) => {
    expect(mapper().fromIndicator(anIndicator({ severity }), domain)?.judgement.severity).toBe(expected);
  });
});

describe('VerdictMapper.fromFileProfile', () => {
  const file = { type: 'sha256', value: SHA256 };

  it('judges a Malware determination malicious', () => {
    const result = mapper().fromFileProfile(aFileProfile({ determinationType: 'Malware', determinationValue: 'Trojan:Win32/Wacatac' }), file);
    expect(result?.verdict).toMatchObject({
      disposition: 2,
      disposition_name: 'Malicious',
      observable: file,
      valid_time: { start_time: NOW, end_time: FAR_FUTURE },
    });
    expect(result?.judgement.reason).toContain('Trojan:Win32/Wacatac');
    expect(result?.judgement.priority).toBe(90);
  });

  it("judges Microsoft's own Pua example suspicious", () => {
    const result = mapper().fromFileProfile(aFileProfile({ determinationType: 'Pua', determinationValue: 'PUA:Win32/FusionCore' }), file);
    expect(result?.verdict).toMatchObject({ disposition: 3, disposition_name: 'Suspicious', observable: file, valid_time: { start_time: NOW, end_time: FAR_FUTURE } });
    expect(result?.judgement).toMatchObject({ priority: 90, severity: 'Medium', reason: 'File determined as a potentially unwanted application (PUA:Win32/FusionCore) by Microsoft Defender for Endpoint' });
  });

  it.each([
    ['Malware', 2, 'Malicious', 'High'],
    ['PUA', 3, 'Suspicious', 'Medium'],
    ['Clean', 1, 'Clean', 'Info'],
    [' clean ', 1, 'Clean', 'Info'],
  ])('maps determination %p to disposition %p %p', (determinationType, disposition, name, severity) => {
    const result = mapper().fromFileProfile(aFileProfile({ determinationType, determinationValue: '' }), file);
    expect(result?.verdict).toMatchObject({ disposition, disposition_name: name });
    expect(result?.judgement.severity).toBe(severity);
    expect(result?.judgement.reason).not.toContain('(');
  });

  it.each(['Unknown', 'null', '', 'Suspicious', 'toString', null])('gives no verdict for determination %p', (determinationType) => {
    expect(mapper().fromFileProfile(aFileProfile({ determinationType }), file)).toBeUndefined();
  });
});

describe('VerdictMapper.perObservable: CTIM chooses by priority, then Clean first', () => {
  const sha1 = { type: 'sha1', value: 'ab'.repeat(20) };
  const fromIndicator = (action: string, observable: CtimObservable = sha1) =>
    mapper().fromIndicator(anIndicator({ action }), observable) as VerdictAndJudgement;
  const malware = (observable: CtimObservable = sha1) =>
    mapper().fromFileProfile(aFileProfile({ determinationType: 'Malware' }), observable) as VerdictAndJudgement;
  /** A judgement of any priority and disposition (what another source could say). */
  const judged = (priority: number, disposition: DispositionNumber): VerdictAndJudgement => {
    const base = fromIndicator('Allowed');
    const name = Object.values(DISPOSITIONS).find((d) => d.disposition === disposition)!.disposition_name;
    return {
      verdict: { ...base.verdict, disposition, disposition_name: name },
      judgement: { ...base.judgement, priority, disposition, disposition_name: name },
    };
  };

  it("an Allowed indicator overrides Defender's Malware determination, in either order", () => {
    const allowed = fromIndicator('Allowed');
    for (const order of [[allowed, malware()], [malware(), allowed]]) {
      const verdict = mapper().perObservable(order)[0];
      expect(verdict).toMatchObject({ disposition: 1, disposition_name: 'Clean' });
      expect(verdict?.judgement_id).toBe(allowed.judgement.id);
    }
  });

  it('a Malware determination decides when no indicator judges the file', () => {
    const determination = malware();
    expect(mapper().perObservable([determination])[0]).toBe(determination.verdict);
  });

  it.each<[string, DispositionNumber, DispositionNumber, DispositionNumber]>([
    ['Clean over Malicious', 2, 1, 1],
    ['Malicious over Suspicious', 3, 2, 2],
    ['Suspicious over Common', 4, 3, 3],
    ['Common over Unknown', 5, 4, 4],
    ['Clean over Unknown', 1, 5, 1],
  ])('a tie in priority is broken by disposition: %s', (_name, first, second, expected) => {
    expect(mapper().perObservable([judged(95, first), judged(95, second)])[0]?.disposition).toBe(expected);
    expect(mapper().perObservable([judged(95, second), judged(95, first)])[0]?.disposition).toBe(expected);
  });

  it('two indicators of equal priority, Block and Allowed: Clean, in either order', () => {
    expect(mapper().perObservable([fromIndicator('Block'), fromIndicator('Allowed')])[0]?.disposition).toBe(1);
    expect(mapper().perObservable([fromIndicator('Allowed'), fromIndicator('Block')])[0]?.disposition).toBe(1);
  });

  it('a higher priority wins whatever its disposition', () => {
    expect(mapper().perObservable([judged(90, 1), judged(95, 5)])[0]?.disposition).toBe(5);
    expect(mapper().perObservable([judged(95, 2), judged(90, 1)])[0]?.disposition).toBe(2);
  });

  it('keeps the first of equal judgements, and gives no verdict for none', () => {
    const [a, b] = [judged(95, 2), judged(95, 2)];
    expect(mapper().perObservable([a, b])[0]).toBe(a.verdict);
    expect(mapper().perObservable([])).toEqual([]);
  });

  it('keeps one verdict per observable, in first-seen order', () => {
    const domain = { type: 'domain', value: 'a.example' };
    const result = mapper().perObservable([fromIndicator('Block', domain), malware(), fromIndicator('Allowed'), fromIndicator('Warn', domain)]);
    expect(result.map((v) => [v.observable.type, v.disposition])).toEqual([
      ['domain', 2],
      ['sha1', 1],
    ]);
  });
});
