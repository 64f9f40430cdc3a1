import type { FileProfile, Indicator } from '@app/defender/models';
import { Injectable } from '@nestjs/common';
import { CTIM_LIMITS, CTIM_SCHEMA_VERSION, FAR_FUTURE, SOURCE } from './ctim.constants';
import { CtimObservable, DispositionName, DispositionNumber, Judgement, MappingStamp, Severity, ValidTime, Verdict } from './ctim.types';
import { text, truncate } from './observable.helpers';
import { ctimSeverity } from './severity.mapper';
import { StampProvider } from './stamp.provider';

export interface Disposition {
  disposition: DispositionNumber;
  disposition_name: DispositionName;
}

export interface VerdictAndJudgement {
  verdict: Verdict;
  judgement: Judgement;
}

export const DISPOSITIONS = {
  clean: { disposition: 1, disposition_name: 'Clean' },
  malicious: { disposition: 2, disposition_name: 'Malicious' },
  suspicious: { disposition: 3, disposition_name: 'Suspicious' },
  common: { disposition: 4, disposition_name: 'Common' },
  unknown: { disposition: 5, disposition_name: 'Unknown' },
} as const satisfies Record<string, Disposition>;

// CTIM keeps 95 for curated allow/block lists, which custom indicators are; automated sources stay at or below 90.
export const JUDGEMENT_PRIORITY = { indicator: 95, determination: 90 } as const;

const DISPOSITION_BY_ACTION: Readonly<Record<string, Disposition>> = {
  block: DISPOSITIONS.malicious,
  blockandremediate: DISPOSITIONS.malicious,
  alertandblock: DISPOSITIONS.malicious,
  audit: DISPOSITIONS.suspicious,
  alert: DISPOSITIONS.suspicious,
  warn: DISPOSITIONS.suspicious,
  allowed: DISPOSITIONS.clean,
};

function dispositionForIndicatorAction(action: string | null | undefined): Disposition | undefined {
  const key = text(action)?.toLowerCase();
  return key === undefined ? undefined : DISPOSITION_BY_ACTION[key];
}

function validIso(value: unknown): string | undefined {
  const iso = text(value);
  return iso !== undefined && !Number.isNaN(Date.parse(iso)) ? iso : undefined;
}

/** Defender no longer applies an expired indicator, so it judges nothing. */
export function indicatorExpired(indicator: Pick<Indicator, 'expirationTime'>, now: Date): boolean {
  const expiration = validIso(indicator.expirationTime);
  return expiration !== undefined && Date.parse(expiration) <= now.getTime();
}

interface DeterminationJudgement {
  disposition: Disposition;
  severity: Severity;
  label: string;
}

// Any other `determinationType` (`Unknown`) judges nothing.
const FILE_DETERMINATIONS: Readonly<Record<string, DeterminationJudgement>> = {
  malware: { disposition: DISPOSITIONS.malicious, severity: 'High', label: 'Malware' },
  pua: { disposition: DISPOSITIONS.suspicious, severity: 'Medium', label: 'a potentially unwanted application' },
  clean: { disposition: DISPOSITIONS.clean, severity: 'Info', label: 'Clean' },
};

function build(
  observable: CtimObservable,
  priority: number,
  disposition: Disposition,
  severity: Severity,
  validTime: ValidTime,
  reason: string,
  extra: Partial<Pick<Judgement, 'external_ids' | 'timestamp'>>,
  stamp: MappingStamp,
): VerdictAndJudgement {
  const subject = { type: observable.type, value: observable.value };
  const judgement: Judgement = {
    id: stamp.newId('judgement'),
    type: 'judgement',
    schema_version: CTIM_SCHEMA_VERSION,
    source: SOURCE,
    observable: subject,
    disposition: disposition.disposition,
    disposition_name: disposition.disposition_name,
    priority,
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

function verdictAndJudgementFromIndicator(indicator: Indicator, observable: CtimObservable, stamp: MappingStamp): VerdictAndJudgement | undefined {
  const disposition = dispositionForIndicatorAction(indicator.action);
  if (!disposition) return undefined;
  if (indicatorExpired(indicator, stamp.now)) return undefined;
  const expiration = validIso(indicator.expirationTime);
  const created = validIso(indicator.creationTimeDateTimeUtc);
  const start =
    created !== undefined && (expiration === undefined || Date.parse(created) <= Date.parse(expiration))
      ? created
      : stamp.now.toISOString();
  const severity = text(indicator.severity) === undefined ? 'Medium' : ctimSeverity(indicator.severity);
  const title = text(indicator.title) ?? text(indicator.id) ?? 'untitled';
  const reason = `Custom indicator "${title}" (${text(indicator.action)}) in ${SOURCE}`;
  const externalId = text(indicator.id);
  return build(
    observable,
    JUDGEMENT_PRIORITY.indicator,
    disposition,
    severity,
    { start_time: start, end_time: expiration ?? FAR_FUTURE },
    reason,
    {
      ...(externalId === undefined ? {} : { external_ids: [externalId] }),
      ...(text(indicator.lastUpdateTime) === undefined ? {} : { timestamp: text(indicator.lastUpdateTime) }),
    },
    stamp,
  );
}

function verdictAndJudgementFromFileProfile(profile: FileProfile, observable: CtimObservable, stamp: MappingStamp): VerdictAndJudgement | undefined {
  const type = text(profile.determinationType)?.toLowerCase();
  const determination = type === undefined || !Object.hasOwn(FILE_DETERMINATIONS, type) ? undefined : FILE_DETERMINATIONS[type];
  if (!determination) return undefined;
  const threat = text(profile.determinationValue);
  const reason = `File determined as ${determination.label}${threat === undefined ? '' : ` (${threat})`} by ${SOURCE}`;
  return build(
    observable,
    JUDGEMENT_PRIORITY.determination,
    determination.disposition,
    determination.severity,
    { start_time: stamp.now.toISOString(), end_time: FAR_FUTURE },
    reason,
    {},
    stamp,
  );
}

// As CTIM chooses: the higher priority, then the disposition in its order Clean, Malicious, Suspicious, Common, Unknown.
function outranks(a: Judgement, b: Judgement): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  return a.disposition < b.disposition;
}

function verdictOf(judged: readonly VerdictAndJudgement[]): Verdict | undefined {
  let chosen: VerdictAndJudgement | undefined;
  for (const candidate of judged) {
    if (!chosen || outranks(candidate.judgement, chosen.judgement)) chosen = candidate;
  }
  return chosen?.verdict;
}

function verdictPerObservable(judged: readonly VerdictAndJudgement[]): Verdict[] {
  const byObservable = new Map<string, VerdictAndJudgement[]>();
  for (const item of judged) {
    const { type, value } = item.verdict.observable;
    const key = `${type}\u0000${value}`;
    const group = byObservable.get(key);
    if (group) group.push(item);
    else byObservable.set(key, [item]);
  }
  return [...byObservable.values()].map((group) => verdictOf(group)).filter((v): v is Verdict => v !== undefined);
}

@Injectable()
export class VerdictMapper {
  constructor(private readonly stamps: StampProvider) {}

  fromIndicator(indicator: Indicator, observable: CtimObservable): VerdictAndJudgement | undefined {
    return verdictAndJudgementFromIndicator(indicator, observable, this.stamps.stamp());
  }

  fromFileProfile(profile: FileProfile, observable: CtimObservable): VerdictAndJudgement | undefined {
    return verdictAndJudgementFromFileProfile(profile, observable, this.stamps.stamp());
  }

  perObservable(judged: readonly VerdictAndJudgement[]): Verdict[] {
    return verdictPerObservable(judged);
  }
}
