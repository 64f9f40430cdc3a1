import type { Alert, AlertChange, AlertClassification } from '@app/defender/models';
import { CtimObservable, ResponseAction } from './ctim.types';
import { text } from './observable.helpers';
import { byNewestAlert } from './sighting.mapper';

/** One id for every triage choice; the choice travels in the `triage` and `classification` query-params. */
export const TRIAGE_ACTION_ID = 'microsoft-defender-triage-alerts';
export const ALERT_TRIAGE_CATEGORIES = ['Microsoft Defender for Endpoint', 'Alert Triage'] as const;

export const TRIAGE_CHOICES = ['resolve', 'in-progress', 'assign'] as const;

export const RESOLUTIONS: Readonly<Record<AlertClassification, { label: string; determination: string }>> = {
  TruePositive: { label: 'true positive', determination: 'Other' },
  FalsePositive: { label: 'false positive', determination: 'Clean' },
  InformationalExpectedActivity: { label: 'informational, expected activity', determination: 'ConfirmedUserActivity' },
};

export type TriageRequest =
  | { choice: 'resolve'; classification: AlertClassification; determination: string }
  | { choice: 'in-progress' }
  | { choice: 'assign'; assignee: string };

export interface TriageSettings {
  max: number;
  assignee?: string;
}

const NAMED = 3;

const isResolved = (a: Alert): boolean => text(a.status)?.toLowerCase() === 'resolved';
const isNew = (a: Alert): boolean => text(a.status)?.toLowerCase() === 'new';
const sameAccount = (a: string | null | undefined, b: string): boolean => text(a)?.toLowerCase() === b.toLowerCase();

/** The alerts a choice would change, newest first, uncapped: a second identical triage finds none. */
export function triageCandidates(alerts: readonly Alert[], request: Pick<TriageRequest, 'choice'> & { assignee?: string }): Alert[] {
  const open = alerts.filter((a) => !isResolved(a));
  const wanted = request.choice === 'in-progress' ? open.filter(isNew) : request.choice === 'assign' ? open.filter((a) => !sameAccount(a.assignedTo, request.assignee ?? '')) : open;
  return [...new Map(wanted.map((a) => [a.id, a])).values()].sort(byNewestAlert);
}

export function triageChange(request: TriageRequest, at: string): AlertChange {
  const via = `from Cisco XDR through Defender Relay at ${at}`;
  switch (request.choice) {
    case 'resolve':
      return {
        status: 'Resolved',
        classification: request.classification,
        determination: request.determination,
        comment: `Resolved as ${RESOLUTIONS[request.classification].label} ${via}`,
      };
    case 'in-progress':
      return { status: 'InProgress', comment: `Marked in progress ${via}` };
    case 'assign':
      return { assignedTo: request.assignee, comment: `Assigned to ${request.assignee} ${via}` };
  }
}

/** Resolve, mark in progress and assign, each offered only when some alert would change (docs/alert-triage.md). */
export function alertTriageActions(observable: CtimObservable, alerts: readonly Alert[], settings: TriageSettings): ResponseAction[] {
  const base = { observable_type: observable.type, observable_value: observable.value };
  const action = (targets: readonly Alert[], title: string, verb: string, params: Record<string, string>): ResponseAction => ({
    id: TRIAGE_ACTION_ID,
    title,
    description: `${verb} ${describe(targets, settings.max)}`,
    categories: [...ALERT_TRIAGE_CATEGORIES],
    'query-params': { ...base, ...params },
  });
  const open = triageCandidates(alerts, { choice: 'resolve' });
  const actions: ResponseAction[] = [];
  if (open.length > 0) {
    for (const [classification, { label, determination }] of Object.entries(RESOLUTIONS) as Array<[AlertClassification, (typeof RESOLUTIONS)[AlertClassification]]>) {
      actions.push(
        action(open, `Resolve ${count(open.length)} of ${observable.value}: ${label}`, `Resolves as ${label} (determination ${determination})`, {
          triage: 'resolve',
          classification,
        }),
      );
    }
  }
  const fresh = triageCandidates(alerts, { choice: 'in-progress' });
  if (fresh.length > 0) actions.push(action(fresh, `Mark ${count(fresh.length, 'new ')} of ${observable.value} in progress`, 'Sets to In progress', { triage: 'in-progress' }));
  const assignee = settings.assignee;
  if (assignee !== undefined) {
    const unassigned = triageCandidates(alerts, { choice: 'assign', assignee });
    if (unassigned.length > 0) actions.push(action(unassigned, `Assign ${count(unassigned.length)} of ${observable.value} to ${assignee}`, `Assigns to ${assignee}`, { triage: 'assign' }));
  }
  return actions;
}

function count(n: number, adjective = ''): string {
  return `${n} ${adjective}Defender alert${n === 1 ? '' : 's'}`;
}

function describe(alerts: readonly Alert[], max: number): string {
  const named = alerts
    .slice(0, NAMED)
    .map((a) => `${text(a.severity) ?? 'Unknown'} "${text(a.title) ?? a.id}"`)
    .join(', ');
  const rest = alerts.length > NAMED ? ` and ${alerts.length - NAMED} more` : '';
  const capped = alerts.length > max ? `. ${alerts.length} is above ALERT_TRIAGE_MAX (${max}): it acts on the newest ${max} only` : '';
  return `${alerts.length === 1 ? 'the alert' : `the ${alerts.length} alerts`}, newest first: ${named}${rest}${capped}.`;
}
