import { FileProfile, Indicator } from '@app/defender/models';
import { CTIM_LIMITS, CTIM_SCHEMA_VERSION, FAR_FUTURE, SOURCE } from './ctim.constants';
import { DispositionName, DispositionNumber, Judgement, Observable, Severity, ValidTime, Verdict } from './ctim.types';
import { transientId } from './id';
import { text } from './observable.helpers';
import { ctimSeverity } from './severity.mapper';

export interface Disposition {
  disposition: DispositionNumber;
  disposition_name: DispositionName;
}

export interface VerdictAndJudgement {
  verdict: Verdict;
  judgement: Judgement;
}

/** CTIM disposition numbers and names. */
export const DISPOSITIONS = {
  clean: { disposition: 1, disposition_name: 'Clean' },
  malicious: { disposition: 2, disposition_name: 'Malicious' },
  suspicious: { disposition: 3, disposition_name: 'Suspicious' },
  common: { disposition: 4, disposition_name: 'Common' },
  unknown: { disposition: 5, disposition_name: 'Unknown' },
} as const satisfies Record<string, Disposition>;

/** Judgement priority: automated sources stay at or below 90. */
export const JUDGEMENT_PRIORITY = 90;

const DISPOSITION_BY_ACTION: Readonly<Record<string, Disposition>> = {
  block: DISPOSITIONS.malicious,
  blockandremediate: DISPOSITIONS.malicious,
  alertandblock: DISPOSITIONS.malicious,
  audit: DISPOSITIONS.suspicious,
  alert: DISPOSITIONS.suspicious,
  warn: DISPOSITIONS.suspicious,
  allowed: DISPOSITIONS.clean,
};

/**
 * The disposition a custom indicator action stands for (C-40): Block / BlockAndRemediate /
 * AlertAndBlock → Malicious; Audit / Alert / Warn → Suspicious; Allowed → Clean; else undefined.
 */
export function dispositionForIndicatorAction(action: string | null | undefined): Disposition | undefined {
  const key = text(action)?.toLowerCase();
  return key === undefined ? undefined : DISPOSITION_BY_ACTION[key];
}

function toDate(now: Date | string): Date {
  return typeof now === 'string' ? new Date(now) : now;
}

function validIso(value: unknown): string | undefined {
  const iso = text(value);
  return iso !== undefined && !Number.isNaN(Date.parse(iso)) ? iso : undefined;
}

function truncate(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

function build(
  observable: Observable,
  disposition: Disposition,
  severity: Severity,
  validTime: ValidTime,
  reason: string,
  extra: Partial<Pick<Judgement, 'external_ids' | 'timestamp'>>,
): VerdictAndJudgement {
  const subject = { type: observable.type, value: observable.value };
  const judgement: Judgement = {
    id: transientId('judgement'),
    type: 'judgement',
    schema_version: CTIM_SCHEMA_VERSION,
    source: SOURCE,
    observable: subject,
    disposition: disposition.disposition,
    disposition_name: disposition.disposition_name,
    priority: JUDGEMENT_PRIORITY,
    confidence: 'High',
    severity,
    valid_time: validTime,
    reason: truncate(reason, CTIM_LIMITS.reason),
    ...extra,
  };
  const verdict: Verdict = {
    type: 'verdict',
    disposition: disposition.disposition,
    disposition_name: disposition.disposition_name,
    observable: { ...subject },
    valid_time: { ...validTime },
    judgement_id: judgement.id,
  };
  return { verdict, judgement };
}

/**
 * Verdict + judgement from a custom indicator (C-40). Valid from the indicator's creation
 * (else `now`) until its `expirationTime` (else 2525-01-01). Undefined for an action with no
 * disposition, or an indicator that has already expired.
 */
export function verdictAndJudgementFromIndicator(
  indicator: Indicator,
  observable: Observable,
  now: Date | string = new Date(),
): VerdictAndJudgement | undefined {
  const disposition = dispositionForIndicatorAction(indicator.action);
  if (!disposition) return undefined;
  const nowDate = toDate(now);
  const expiration = validIso(indicator.expirationTime);
  if (expiration !== undefined && Date.parse(expiration) <= nowDate.getTime()) return undefined;
  const created = validIso(indicator.creationTimeDateTimeUtc);
  const start =
    created !== undefined && (expiration === undefined || Date.parse(created) <= Date.parse(expiration))
      ? created
      : nowDate.toISOString();
  const severity = text(indicator.severity) === undefined ? 'Medium' : ctimSeverity(indicator.severity);
  const title = text(indicator.title) ?? text(indicator.id) ?? 'untitled';
  const reason = `Custom indicator "${title}" (${text(indicator.action)}) in ${SOURCE}`;
  const externalId = text(indicator.id);
  return build(
    observable,
    disposition,
    severity,
    { start_time: start, end_time: expiration ?? FAR_FUTURE },
    reason,
    {
      ...(externalId === undefined ? {} : { external_ids: [externalId] }),
      ...(text(indicator.lastUpdateTime) === undefined ? {} : { timestamp: text(indicator.lastUpdateTime) }),
    },
  );
}

/**
 * Verdict + judgement from a file profile whose `determinationType` is `Malware` (Malicious,
 * severity High, valid from `now` to 2525-01-01); undefined for any other determination.
 */
export function verdictAndJudgementFromFileProfile(
  profile: FileProfile,
  observable: Observable,
  now: Date | string = new Date(),
): VerdictAndJudgement | undefined {
  if (text(profile.determinationType)?.toLowerCase() !== 'malware') return undefined;
  const threat = text(profile.determinationValue);
  const reason =
    threat === undefined
      ? `File determined as Malware by ${SOURCE}`
      : `File determined as Malware (${threat}) by ${SOURCE}`;
  return build(
    observable,
    DISPOSITIONS.malicious,
    'High',
    { start_time: toDate(now).toISOString(), end_time: FAR_FUTURE },
    reason,
    {},
  );
}

/** Malicious > Suspicious > Clean > Common > Unknown. */
const SEVERITY_RANK: Readonly<Record<DispositionNumber, number>> = { 2: 5, 3: 4, 1: 3, 4: 2, 5: 1 };

/**
 * The verdict to keep when several sources judge the same observable: the worst disposition
 * (Malicious > Suspicious > Clean > Common > Unknown); the first one among equals.
 */
export function worstVerdict(verdicts: readonly Verdict[]): Verdict | undefined {
  let worst: Verdict | undefined;
  for (const verdict of verdicts) {
    if (!worst || SEVERITY_RANK[verdict.disposition] > SEVERITY_RANK[worst.disposition]) worst = verdict;
  }
  return worst;
}

/** One verdict per observable (type + value), the worst of each, in first-seen order. */
export function worstVerdictPerObservable(verdicts: readonly Verdict[]): Verdict[] {
  const byObservable = new Map<string, Verdict[]>();
  for (const verdict of verdicts) {
    const key = `${verdict.observable.type}\u0000${verdict.observable.value}`;
    const group = byObservable.get(key);
    if (group) group.push(verdict);
    else byObservable.set(key, [verdict]);
  }
  return [...byObservable.values()].map((group) => worstVerdict(group)).filter((v): v is Verdict => v !== undefined);
}
