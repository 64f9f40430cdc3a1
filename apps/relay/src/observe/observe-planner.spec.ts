import type { Observable } from '@app/common';
import type { HuntingEvent } from '@app/defender';
import { alertIdBatches, evidenceAlertIds, hostOf, planAlertLookups, plannedApis, restCalls } from './observe-planner';

const sha1 = (n: number): Observable => ({ type: 'sha1', value: n.toString(16).padStart(40, '0') });
const sha256 = (n: number): Observable => ({ type: 'sha256', value: n.toString(16).padStart(64, '0') });
const md5 = (n: number): Observable => ({ type: 'md5', value: n.toString(16).padStart(32, '0') });
const ip = (n: number): Observable => ({ type: 'ip', value: `10.0.${n >> 8}.${n & 255}` });
const domain = (n: number): Observable => ({ type: 'domain', value: `host${n}.example` });

const plenty = { files: 100, 'files/alerts': 100, 'domains/alerts': 100, 'ips/alerts': 100 };

describe('planAlertLookups', () => {
  it('sends everything to REST while every API it needs has slots beyond the headroom', () => {
    const observables = [sha1(1), sha256(2), md5(3), ip(4), { type: 'ipv6', value: '2001:db8::1' } as Observable, domain(5)];
    const plan = planAlertLookups(observables, plenty);
    expect(plan.map((p) => p.observable)).toEqual(observables);
    expect(plan.map((p) => p.route)).toEqual([
      { kind: 'rest', calls: ['files/alerts'] },
      { kind: 'rest', calls: ['files', 'files/alerts'] },
      { kind: 'rest', calls: ['files', 'files/alerts'] },
      { kind: 'rest', calls: ['ips/alerts'] },
      { kind: 'rest', calls: ['ips/alerts'] },
      { kind: 'rest', calls: ['domains/alerts'] },
    ]);
  });

  it('routes to hunting, by the evidence column of the type, what the budget of its API does not cover', () => {
    const observables = [...[1, 2, 3].map(ip), ...[1, 2].map(domain), sha1(1), sha256(1)];
    const plan = planAlertLookups(observables, { 'ips/alerts': 12, 'domains/alerts': 0, 'files/alerts': 11, files: 10 }, 10);
    expect(plan.map((p) => p.route)).toEqual([
      { kind: 'rest', calls: ['ips/alerts'] },
      { kind: 'rest', calls: ['ips/alerts'] },
      { kind: 'hunting', column: 'RemoteIP' },
      { kind: 'hunting', column: 'RemoteUrl' },
      { kind: 'hunting', column: 'RemoteUrl' },
      { kind: 'rest', calls: ['files/alerts'] },
      // its file profile has no slot left: matched by SHA256 in the evidence instead
      { kind: 'hunting', column: 'SHA256' },
    ]);
  });

  it('plans md5s first, as REST is their only route, and past the budget when it must', () => {
    const observables = [sha256(1), md5(2), md5(3)];
    const plan = planAlertLookups(observables, { files: 11, 'files/alerts': 100 }, 10);
    expect(plan.map((p) => p.route)).toEqual([
      { kind: 'hunting', column: 'SHA256' },
      { kind: 'rest', calls: ['files', 'files/alerts'] },
      { kind: 'rest', calls: ['files', 'files/alerts'] },
    ]);
  });

  it('treats an API it was given no figure for as having no free slot', () => {
    expect(planAlertLookups([ip(1)], {}).map((p) => p.route)).toEqual([{ kind: 'hunting', column: 'RemoteIP' }]);
  });

  it('plans no alert lookup for types Defender has no related alerts for', () => {
    const observables: Observable[] = [
      { type: 'ms_machine_id', value: 'a'.repeat(40) },
      { type: 'url', value: 'https://x.example/' },
    ];
    expect(planAlertLookups(observables, plenty).map((p) => p.route)).toEqual([{ kind: 'none' }, { kind: 'none' }]);
  });

  it('at investigation scale stays within every budget and routes every lookable observable somewhere', () => {
    const makers = [sha1, sha256, md5, ip, domain];
    const observables = Array.from({ length: 500 }, (_, i) => makers[i % makers.length](i));
    const plan = planAlertLookups(observables, plenty);
    const spent = new Map<string, number>();
    for (const { route } of plan) if (route.kind === 'rest') for (const api of route.calls) spent.set(api, (spent.get(api) ?? 0) + 1);
    // md5s (100) go to REST whatever the budget; the other APIs stay under 100 - headroom.
    expect(spent.get('files')).toBe(100);
    expect(spent.get('ips/alerts')).toBe(90);
    expect(spent.get('domains/alerts')).toBe(90);
    expect(spent.get('files/alerts')).toBe(100);
    expect(plan.filter((p) => p.route.kind === 'none')).toHaveLength(0);
  });
});

describe('restCalls and plannedApis', () => {
  it('name the APIs the REST route costs, each once and sorted', () => {
    expect(restCalls(md5(1))).toEqual(['files', 'files/alerts']);
    expect(plannedApis([ip(1), md5(1), domain(1), ip(2)])).toEqual(['domains/alerts', 'files', 'files/alerts', 'ips/alerts']);
    expect(plannedApis([])).toEqual([]);
  });
});

describe('alertIdBatches', () => {
  it('splits unique ids into batches of at most the size, keeping order', () => {
    expect(alertIdBatches(['a', 'b', 'a', 'c', 'd', 'e'], 2)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(alertIdBatches([], 2)).toEqual([]);
  });

  it('refuses a batch size that is not a positive integer', () => {
    expect(() => alertIdBatches(['a'], 0)).toThrow('batch size must be a positive integer, got 0');
    expect(() => alertIdBatches(['a'], 1.5)).toThrow(RangeError);
  });
});

describe('evidenceAlertIds', () => {
  const row = (AlertId: unknown, RemoteUrl = ''): HuntingEvent => ({ AlertId, RemoteUrl }) as unknown as HuntingEvent;

  it('names each alert once, in row order, skipping rows without an id', () => {
    const rows = [row('da2'), row('da1'), row('da2'), row(''), row(undefined)];
    expect(evidenceAlertIds(rows, { column: 'SHA1', value: 'aa' })).toEqual(['da2', 'da1']);
  });

  it("keeps a domain's rows only when the URL's host is the domain or a subdomain of it", () => {
    const rows = [
      row('exact', 'evil.example'),
      row('sub', 'https://cdn.Evil.Example/x?y=1'),
      row('super', 'https://evil.example.attacker.net/'),
      row('path', 'https://other.net/evil.example'),
      row('empty', ''),
    ];
    expect(evidenceAlertIds(rows, { column: 'RemoteUrl', value: 'Evil.Example' })).toEqual(['exact', 'sub']);
  });

  it('reads hosts with or without a scheme, and none from what is not a URL', () => {
    expect(hostOf('ftp://files.example:21/a')).toBe('files.example');
    expect(hostOf('files.example.')).toBe('files.example');
    expect(hostOf('')).toBeUndefined();
    expect(hostOf('http://')).toBeUndefined();
  });
});
