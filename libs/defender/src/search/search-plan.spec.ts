import type { Observable } from '@app/common';
import { apiPath } from '../http/encode';
import { apiName } from '../limits/api-names';
import { alertIdBatches } from '../repositories/alerts.repository';
import { EVIDENCE_AT_SCALE, planAlertLookups, plannedApis, planPrevalence, restCalls } from './search-plan';
import { SEARCH_TABLE } from './search-table';

const sha1 = (n: number): Observable => ({ type: 'sha1', value: n.toString(16).padStart(40, '0') });
const sha256 = (n: number): Observable => ({ type: 'sha256', value: n.toString(16).padStart(64, '0') });
const md5 = (n: number): Observable => ({ type: 'md5', value: n.toString(16).padStart(32, '0') });
const ip = (n: number): Observable => ({ type: 'ip', value: `10.0.${n >> 8}.${n & 255}` });
const domain = (n: number): Observable => ({ type: 'domain', value: `host${n}.example` });

const plenty = { files: 100, 'files/alerts': 100, 'domains/alerts': 100, 'ips/alerts': 100 };

describe('planAlertLookups', () => {
  it('sends everything to REST while every API it needs has slots beyond the headroom', () => {
    const observables = [sha1(1), sha256(2), md5(3), ip(4), { type: 'ipv6', value: '2001:db8::1' } as Observable, domain(5)];
    expect(planAlertLookups(observables, plenty)).toEqual([
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
    expect(plan).toEqual([
      { kind: 'rest', calls: ['ips/alerts'] },
      { kind: 'rest', calls: ['ips/alerts'] },
      { kind: 'evidence' },
      { kind: 'evidence' },
      { kind: 'evidence' },
      { kind: 'rest', calls: ['files/alerts'] },
      // its file profile has no slot left: matched by SHA256 in the evidence instead
      { kind: 'evidence' },
    ]);
  });

  it('plans md5s first, as REST is their only route, and past the budget when it must', () => {
    const observables = [sha256(1), md5(2), md5(3)];
    const plan = planAlertLookups(observables, { files: 11, 'files/alerts': 100 }, 10);
    expect(plan).toEqual([
      { kind: 'evidence' },
      { kind: 'rest', calls: ['files', 'files/alerts'] },
      { kind: 'rest', calls: ['files', 'files/alerts'] },
    ]);
  });

  it('treats an API it was given no figure for as having no free slot', () => {
    expect(planAlertLookups([ip(1)], {})).toEqual([{ kind: 'evidence' }]);
  });

  it('plans no alert lookup for types Defender has no related alerts for', () => {
    const observables: Observable[] = [
      { type: 'ms_machine_id', value: 'a'.repeat(40) },
      { type: 'url', value: 'https://x.example/' },
    ];
    expect(planAlertLookups(observables, plenty)).toEqual([{ kind: 'none' }, { kind: 'none' }]);
  });

  it('at investigation scale stays within every budget and routes every lookable observable somewhere', () => {
    const makers = [sha1, sha256, md5, ip, domain];
    const observables = Array.from({ length: 500 }, (_, i) => makers[i % makers.length](i));
    const plan = planAlertLookups(observables, plenty);
    const spent = new Map<string, number>();
    for (const route of plan) if (route.kind === 'rest') for (const api of route.calls) spent.set(api, (spent.get(api) ?? 0) + 1);
    // md5s (100) go to REST whatever the budget; sha1s, IPs and domains (300) are past the size threshold.
    expect(spent.get('files')).toBe(100);
    expect(spent.get('files/alerts')).toBe(100);
    expect(spent.get('ips/alerts')).toBeUndefined();
    expect(spent.get('domains/alerts')).toBeUndefined();
    expect(plan.filter((route) => route.kind === 'none')).toHaveLength(0);
  });
});

describe('planAlertLookups past the size threshold', () => {
  const unlimited = { files: Infinity, 'files/alerts': Infinity, 'domains/alerts': Infinity, 'ips/alerts': Infinity };
  const ipv6: Observable = { type: 'ipv6', value: '2001:db8::1' };
  /** `n` sha1s, IPs and domains in turn. */
  const mixed = (n: number) => Array.from({ length: n }, (_, i) => [sha1, ip, domain][i % 3](i));

  it('keeps REST for a request of up to EVIDENCE_AT_SCALE lookups AlertEvidence could take over', () => {
    const plan = planAlertLookups([...mixed(EVIDENCE_AT_SCALE), md5(1), sha256(1), ipv6], unlimited);
    expect(plan.every((route) => route.kind === 'rest')).toBe(true);
  });

  it('past it, finds sha1s, IPs and domains through AlertEvidence, keeping their REST route for a failed hunting query', () => {
    const plan = planAlertLookups([...mixed(EVIDENCE_AT_SCALE + 1), md5(1), sha256(1), ipv6], unlimited);
    expect(plan.slice(0, 3)).toEqual([
      { kind: 'evidence', rest: ['files/alerts'] },
      { kind: 'evidence', rest: ['ips/alerts'] },
      { kind: 'evidence', rest: ['domains/alerts'] },
    ]);
    expect(plan.slice(0, EVIDENCE_AT_SCALE + 1).every((route) => route.kind === 'evidence')).toBe(true);
    // Their REST route needs the file profile (sha256, md5) or finds nothing AlertEvidence would (IPv6): unchanged.
    expect(plan.slice(EVIDENCE_AT_SCALE + 1)).toEqual([
      { kind: 'rest', calls: ['files', 'files/alerts'] },
      { kind: 'rest', calls: ['files', 'files/alerts'] },
      { kind: 'rest', calls: ['ips/alerts'] },
    ]);
  });

  it('counts only the observables AlertEvidence can take over, not the request size', () => {
    const plan = planAlertLookups([...mixed(EVIDENCE_AT_SCALE), ...Array.from({ length: 300 }, (_, i) => md5(i))], unlimited);
    expect(plan.every((route) => route.kind === 'rest')).toBe(true);
  });

  it('leaves no REST route to fall back on where the budget would not have covered it', () => {
    const plan = planAlertLookups(mixed(EVIDENCE_AT_SCALE + 2), { 'files/alerts': 11, 'ips/alerts': 10, 'domains/alerts': 100 }, 10);
    expect(plan.slice(0, 3)).toEqual([{ kind: 'evidence', rest: ['files/alerts'] }, { kind: 'evidence' }, { kind: 'evidence', rest: ['domains/alerts'] }]);
    // One files/alerts slot beyond the headroom: the first sha1 keeps its fallback, the next does not.
    expect(plan[3]).toEqual({ kind: 'evidence' });
  });

  it('still asks the statistics of every file, IP and domain sent to AlertEvidence for size', () => {
    const observables = mixed(EVIDENCE_AT_SCALE + 1);
    const free = { ...unlimited, 'files/stats': Infinity, 'ips/stats': Infinity, 'domains/stats': Infinity };
    expect(planPrevalence(observables, planAlertLookups(observables, free), free).every(Boolean)).toBe(true);
  });
});

describe('restCalls and plannedApis', () => {
  it('name the APIs the REST route costs, each once and sorted', () => {
    expect(restCalls(md5(1))).toEqual(['files', 'files/alerts']);
    expect(plannedApis([ip(1), md5(1), domain(1), ip(2)])).toEqual(['domains/alerts', 'domains/stats', 'files', 'files/alerts', 'files/stats', 'ips/alerts', 'ips/stats']);
    expect(plannedApis([ip(1), md5(1), domain(1), ip(2)], false)).toEqual(['domains/alerts', 'files', 'files/alerts', 'ips/alerts']);
    expect(plannedApis([{ type: 'ipv6', value: '2001:db8::1' }, { type: 'url', value: 'https://x.example/' }])).toEqual(['ips/alerts']);
    expect(plannedApis([])).toEqual([]);
  });
});

describe('planPrevalence', () => {
  const stats = { 'files/stats': 100, 'ips/stats': 100, 'domains/stats': 100 };

  it('asks the statistics of every file, IP and domain while their API has slots beyond the headroom', () => {
    const observables = [sha1(1), sha256(2), md5(3), ip(4), { type: 'ipv6', value: '2001:db8::1' } as Observable, domain(5), { type: 'hostname', value: 'h' } as Observable];
    const free = { ...plenty, ...stats };
    expect(planPrevalence(observables, planAlertLookups(observables, free), free)).toEqual([true, true, true, true, false, true, false]);
  });

  it('skips, in input order, what the budget of the statistics API no longer covers', () => {
    const observables = [ip(1), ip(2), ip(3), domain(1), sha1(1)];
    const free = { ...plenty, 'ips/stats': 12, 'domains/stats': 10, 'files/stats': 11 };
    expect(planPrevalence(observables, planAlertLookups(observables, free), free, 10)).toEqual([true, true, false, false, true]);
  });

  it('a sha256/md5 only when its alert lookup resolves its SHA-1 through REST (the profile is read once, by that lookup)', () => {
    const observables = [sha256(1), sha256(2)];
    const free = { files: 11, 'files/alerts': 100, 'files/stats': 100 };
    const routes = planAlertLookups(observables, free, 10);
    expect(routes.map((r) => r.kind)).toEqual(['rest', 'evidence']);
    expect(planPrevalence(observables, routes, free, 10)).toEqual([true, false]);
  });
});

describe('the search table and the limiter agree on API names', () => {
  it('names every planned API as the limiter names the path it calls', () => {
    const paths: Record<string, string> = {
      file: apiPath`files/${'a'.repeat(40)}/alerts`,
      domain: apiPath`domains/${'evil.example'}/alerts`,
      ip: apiPath`ips/${'10.0.0.1'}/alerts`,
      user: apiPath`users/${'jdoe'}/alerts`,
    };
    expect(SEARCH_TABLE.sha1.rest.apis).toEqual([apiName(paths.file)]);
    expect(SEARCH_TABLE.sha256.rest.apis).toEqual([apiName(apiPath`files/${'b'.repeat(64)}`), apiName(paths.file)]);
    expect(SEARCH_TABLE.domain.rest.apis).toEqual([apiName(paths.domain)]);
    expect(SEARCH_TABLE.ip.rest.apis).toEqual([apiName(paths.ip)]);
    expect(SEARCH_TABLE.user.rest.apis).toEqual([apiName(paths.user)]);
    expect(SEARCH_TABLE.md5.prevalence.api).toBe(apiName(apiPath`files/${'a'.repeat(40)}/stats`));
    expect(SEARCH_TABLE.ip.prevalence.api).toBe(apiName(apiPath`ips/${'10.0.0.1'}/stats`));
    expect(SEARCH_TABLE.domain.prevalence.api).toBe(apiName(apiPath`domains/${'evil.example'}/stats`));
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
