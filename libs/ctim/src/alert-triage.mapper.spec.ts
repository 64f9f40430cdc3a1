import { anAlert } from '../test-support/builders';
import { alertTriageActions, triageCandidates, triageChange, TRIAGE_ACTION_ID } from './alert-triage.mapper';

const IP = { type: 'ip' as const, value: '198.51.100.23' };
const at = (hour: number) => `2026-11-25T${String(hour).padStart(2, '0')}:00:00Z`;
const alert = (id: string, status: string, hour: number, extra = {}) =>
  anAlert({ id, status, title: `Alert ${id}`, severity: 'High', firstEventTime: at(hour), alertCreationTime: at(hour), assignedTo: null, ...extra });

describe('alert triage actions', () => {
  const alerts = [alert('a', 'New', 1), alert('b', 'InProgress', 3, { severity: 'Low' }), alert('c', 'Resolved', 5), alert('d', 'New', 2, { assignedTo: 'Lead@x.example' })];

  it('counts only what each choice would change, newest first', () => {
    expect(triageCandidates(alerts, { choice: 'resolve' }).map((a) => a.id)).toEqual(['b', 'd', 'a']);
    expect(triageCandidates(alerts, { choice: 'in-progress' }).map((a) => a.id)).toEqual(['d', 'a']);
    expect(triageCandidates(alerts, { choice: 'assign', assignee: 'lead@x.example' }).map((a) => a.id)).toEqual(['b', 'a']);
    // The same alert found twice (a host name's devices) counts once.
    expect(triageCandidates([...alerts, alerts[0]], { choice: 'resolve' })).toHaveLength(3);
  });

  it('offers resolve ×3, in progress and assign under one id, told apart by query-params', () => {
    const actions = alertTriageActions(IP, alerts, { max: 100, assignee: 'lead@x.example' });
    expect(actions.map((a) => a.id)).toEqual(Array(5).fill(TRIAGE_ACTION_ID));
    expect(actions.map((a) => a.title)).toEqual([
      'Resolve 3 Defender alerts of 198.51.100.23: true positive',
      'Resolve 3 Defender alerts of 198.51.100.23: false positive',
      'Resolve 3 Defender alerts of 198.51.100.23: informational, expected activity',
      'Mark 2 new Defender alerts of 198.51.100.23 in progress',
      'Assign 2 Defender alerts of 198.51.100.23 to lead@x.example',
    ]);
    expect(actions.map((a) => a['query-params'])).toEqual([
      { observable_type: 'ip', observable_value: IP.value, triage: 'resolve', classification: 'TruePositive' },
      { observable_type: 'ip', observable_value: IP.value, triage: 'resolve', classification: 'FalsePositive' },
      { observable_type: 'ip', observable_value: IP.value, triage: 'resolve', classification: 'InformationalExpectedActivity' },
      { observable_type: 'ip', observable_value: IP.value, triage: 'in-progress' },
      { observable_type: 'ip', observable_value: IP.value, triage: 'assign' },
    ]);
    expect(actions[1].description).toBe('Resolves as false positive (determination Clean) the 3 alerts, newest first: Low "Alert b", High "Alert d", High "Alert a".');
  });

  it('offers nothing for resolved alerts only, no assign without an assignee, singular for one alert', () => {
    expect(alertTriageActions(IP, [alerts[2]], { max: 100, assignee: 'x' })).toEqual([]);
    const one = alertTriageActions(IP, [alerts[1]], { max: 100 });
    expect(one.map((a) => a.title)).toEqual([
      'Resolve 1 Defender alert of 198.51.100.23: true positive',
      'Resolve 1 Defender alert of 198.51.100.23: false positive',
      'Resolve 1 Defender alert of 198.51.100.23: informational, expected activity',
    ]);
    expect(one[0].description).toBe('Resolves as true positive (determination Other) the alert, newest first: Low "Alert b".');
  });

  it('names three newest alerts and the cap when there are more than ALERT_TRIAGE_MAX', () => {
    const many = Array.from({ length: 5 }, (_, i) => alert(`m${i}`, 'New', i));
    const [resolve] = alertTriageActions(IP, many, { max: 4 });
    expect(resolve.title).toBe('Resolve 5 Defender alerts of 198.51.100.23: true positive');
    expect(resolve.description).toBe(
      'Resolves as true positive (determination Other) the 5 alerts, newest first: High "Alert m4", High "Alert m3", High "Alert m2" and 2 more. 5 is above ALERT_TRIAGE_MAX (4): it acts on the newest 4 only.',
    );
  });

  it('writes the change with a comment naming Cisco XDR, Defender Relay and the trigger time', () => {
    const when = '2026-12-06T13:00:00.000Z';
    expect(triageChange({ choice: 'resolve', classification: 'InformationalExpectedActivity', determination: 'SecurityTesting' }, when)).toEqual({
      status: 'Resolved',
      classification: 'InformationalExpectedActivity',
      determination: 'SecurityTesting',
      comment: `Resolved as informational, expected activity from Cisco XDR through Defender Relay at ${when}`,
    });
    expect(triageChange({ choice: 'in-progress' }, when)).toEqual({ status: 'InProgress', comment: `Marked in progress from Cisco XDR through Defender Relay at ${when}` });
    expect(triageChange({ choice: 'assign', assignee: 'a@b' }, when)).toEqual({ assignedTo: 'a@b', comment: `Assigned to a@b from Cisco XDR through Defender Relay at ${when}` });
  });
});
