import { Env, ErrorList, loadDefenderConfig, Observable, RelayError } from '@app/common';
import { IdGenerator, Sighting, SightingMapper, StampProvider } from '@app/ctim';
import {
  Alert,
  AlertListsCache,
  DefenderContext,
  FileProfile,
  FilesRepository,
  Found,
  HuntingEvent,
  Machine,
  MachinesRepository,
  ObservableSearch,
} from '@app/defender';
import { ObservableAlerts } from '../alerts/observable-alerts';
import { ObserveService } from './observe.service';
import { unprovenContexts } from '../test-support/unproven-contexts';
import { ANALYST, M1, M2, MD5, minutesAgo, NOW, SHA1, SHA256 } from '../test-support/service-fixtures';

// Planning of one observe request below the e2e tests: a strict fake search (what each observable
// found, per test) and fake profile repositories, each call recorded; the real sighting mapper and
// the real respond alert cache, with a fixed clock and ids.


const config = (env: Env = {}) => loadDefenderConfig(env);
const CONTEXTS = unprovenContexts();

const alert = (id: string, age: number, fields: Partial<Alert> = {}): Alert =>
  ({ id, title: `alert ${id}`, alertCreationTime: minutesAgo(age), severity: 'High', status: 'New', machineId: M1, ...fields }) as Alert;
const event = (n: number, age: number, fields: Partial<HuntingEvent> = {}): HuntingEvent =>
  ({ Timestamp: minutesAgo(age), ActionType: 'ProcessCreated', DeviceId: M1, ReportId: n, ...fields }) as unknown as HuntingEvent;
const machine = (id: string, name: string): Machine => ({ id, computerDnsName: name, lastIpAddress: '10.0.0.7', ipAddresses: [] }) as Machine;

const hostOf = (s: Sighting) => s.targets?.[0]?.observables.find((o) => o.type === 'hostname')?.value;
const alertIdOf = (s: Sighting) => s.external_ids?.[0];

describe('ObserveService', () => {
  let calls: string[];
  let answers: Map<string, Omit<Found, 'observable'> & { error?: RelayError }>;
  let fleet: Map<string, Machine | RelayError>;
  let files: Map<string, FileProfile | RelayError>;
  let cache: AlertListsCache;
  let shared: ObservableAlerts;

  const contexts = CONTEXTS;
  const search = {
    find: (_ctx: DefenderContext, observables: readonly Observable[], options: Parameters<ObservableSearch['find']>[2]): Promise<Found>[] => {
      calls.push(`find ${observables.map((o) => o.value).join(',')} limit ${options.limit}`);
      return observables.map(async (observable) => {
        const { error, ...found } = answers.get(observable.value) ?? { alerts: [], events: [], devices: [] };
        if (error) options.errors.add(error);
        return { observable, ...found };
      });
    },
    // Only the respond side reaches this, on a cache miss.
    alertsOf: async (_ctx: DefenderContext, observables: readonly Observable[]) => {
      calls.push(`alertsOf ${observables.map((o) => o.value).join(',')}`);
      return observables.map(() => [] as Alert[]);
    },
  };
  // A recorded read of the test's table; a RelayError there is thrown, as the repository would.
  const readOf =
    <T>(name: string, table: () => Map<string, T | RelayError>) =>
    async (_ctx: DefenderContext, key: string) => {
      calls.push(`${name} ${key}`);
      const known = table().get(key);
      if (known instanceof RelayError) throw known;
      return known;
    };
  const machines = { machine: readOf('machine', () => fleet) };
  const fileProfiles = { profile: readOf('profile', () => files) };
  let uuid = 0;
  const ids: IdGenerator = { uuid: () => `id-${++uuid}` };

  const service = (env: Env = {}) =>
    new ObserveService(
      contexts,
      search as unknown as ObservableSearch,
      fileProfiles as unknown as FilesRepository,
      machines as unknown as MachinesRepository,
      new SightingMapper(new StampProvider(() => NOW, ids)),
      shared,
      config(env),
    );
  const found = (value: string, fields: Partial<Omit<Found, 'observable'>> & { error?: RelayError }) =>
    answers.set(value, { alerts: [], events: [], devices: [], ...fields });
  const sha1: Observable = { type: 'sha1', value: SHA1 };
  const host: Observable = { type: 'hostname', value: 'ws-1.contoso.local' };
  const ip: Observable = { type: 'ip', value: '10.0.0.7' };
  /** What the respond listing would get for an observable right after: from the cache, or a new lookup. */
  const respondLookup = async (observable: Observable) => {
    const before = calls.length;
    const ctx = CONTEXTS.create(ANALYST);
    try {
      const alerts = await shared.of(ctx, observable, new ErrorList({ error: () => undefined }));
      return { alerts: alerts.map((a) => a.id), lookedUp: calls.length > before };
    } finally {
      ctx.dispose();
    }
  };

  beforeEach(() => {
    calls = [];
    answers = new Map();
    fleet = new Map([[M1, machine(M1, 'ws-1.contoso.local')], [M2, machine(M2, 'ws-2.contoso.local')]]);
    files = new Map();
    cache = new AlertListsCache(() => NOW);
    shared = new ObservableAlerts(search as unknown as ObservableSearch, cache);
  });

  it('answers no observables without any Defender call, keeping the warnings it was given', async () => {
    const warning = new RelayError('unknown', 'observable dropped', { type: 'warning' }).toBody();
    expect(await service().observe(ANALYST, [], [warning])).toEqual({ sightings: [], errors: [warning] });
    expect(calls).toEqual([]);
  });

  describe('trimming to the entities limit', () => {
    it('keeps alerts before events, each newest first, and counts everything found', async () => {
      found(SHA1, {
        alerts: [alert('old', 50), alert('new', 5), alert('mid', 20)],
        events: [event(1, 1), event(2, 2)],
      });
      const { sightings, errors } = await service({ CTR_ENTITIES_LIMIT: '2' }).observe(ANALYST, [sha1]);
      expect(calls[0]).toBe(`find ${SHA1} limit 2`);
      expect(sightings.map(alertIdOf)).toEqual(['new', 'mid']);
      expect(sightings.map((s) => s.count)).toEqual([5, 5]);
      expect(errors).toEqual([]);
    });

    it('fills what the alerts leave of the limit with the newest events', async () => {
      found(SHA1, { alerts: [alert('only', 30)], events: [event(1, 40), event(2, 3), event(3, 10)] });
      const { sightings } = await service({ CTR_ENTITIES_LIMIT: '3' }).observe(ANALYST, [sha1]);
      expect(sightings).toHaveLength(3);
      expect(alertIdOf(sightings[0])).toBe('only');
      expect(sightings.slice(1).map((s) => s.observed_time.start_time)).toEqual([minutesAgo(3), minutesAgo(10)]);
      expect(sightings.map((s) => s.count)).toEqual([4, 4, 4]);
    });

    it('takes the limit the caller’s token sets over the configured one, per observable', async () => {
      found(SHA1, { alerts: [alert('a1', 1), alert('a2', 2), alert('a3', 3)] });
      found(host.value, { alerts: [alert('h1', 1), alert('h2', 2)], devices: [machine(M1, 'ws-1.contoso.local')] });
      const { sightings } = await service({ CTR_ENTITIES_LIMIT: '50' }).observe({ ...ANALYST, entitiesLimit: 1 }, [sha1, host]);
      expect(calls[0]).toBe(`find ${SHA1},${host.value} limit 1`);
      expect(sightings.map((s) => [s.observables[0].value, alertIdOf(s), s.count])).toEqual([
        [SHA1, 'a1', 3],
        [host.value, 'h1', 2],
      ]);
    });
  });

  describe('profile completion', () => {
    it('fetches each device its observable’s findings name once, and none its own search resolved', async () => {
      // The host name's search resolved M2 with its profile, in another spelling of its id.
      found(host.value, {
        alerts: [alert('h1', 1, { machineId: M1 }), alert('h2', 2, { machineId: M2 }), alert('h3', 3, { machineId: M1 })],
        events: [event(1, 4, { DeviceId: M2 })],
        devices: [machine(M2.toUpperCase(), 'ws-2.contoso.local')],
      });
      const { sightings, errors } = await service().observe(ANALYST, [host]);
      expect(calls.filter((c) => c.startsWith('machine'))).toEqual([`machine ${M1}`]);
      // Every sighting's device is described from a profile, fetched or resolved.
      expect(sightings.map(hostOf)).toEqual(['ws-1.contoso.local', 'ws-2.contoso.local', 'ws-1.contoso.local', 'ws-2.contoso.local']);
      expect(errors).toEqual([]);
    });

    // Known gap: the plan is made per observable, so a device two observables name is asked for by
    // each (the repository's per-request memo saves the second HTTP call) and a device one search
    // resolved is fetched again for another observable. Flip to `it` once the service plans per request.
    it.failing('fetches no device twice in one request, across observables', async () => {
      found(SHA1, { alerts: [alert('s1', 1, { machineId: M1 }), alert('s2', 2, { machineId: M2 })] });
      found(ip.value, { events: [event(1, 1, { DeviceId: M2 })] });
      found(host.value, { alerts: [alert('h1', 3, { machineId: M1 })], devices: [machine(M1, 'ws-1.contoso.local')] });
      await service().observe(ANALYST, [sha1, ip, host]);
      expect(calls.filter((c) => c.startsWith('machine'))).toEqual([`machine ${M2}`]);
    });

    it('completes each file missing sibling hashes once, and not a file a hunting row already gave in full', async () => {
      const other = 'd'.repeat(40);
      files.set(other, { sha1: other, sha256: 'e'.repeat(64), md5: 'f'.repeat(32) } as FileProfile);
      found(SHA1, {
        alerts: [alert('x', 1, { evidence: [{ entityType: 'File', sha1: other, fileName: 'dropper.exe' }, { entityType: 'File', sha1: SHA1, fileName: 'evil.exe' }] } as Partial<Alert>)],
        events: [event(1, 1, { SHA1, SHA256, MD5, FileName: 'evil.exe' } as Partial<HuntingEvent>)],
      });
      found(ip.value, { alerts: [alert('y', 2, { evidence: [{ entityType: 'File', sha1: other, fileName: 'dropper.exe' }] } as Partial<Alert>)] });
      const { sightings } = await service().observe(ANALYST, [sha1, ip]);
      expect(calls.filter((c) => c.startsWith('profile'))).toEqual([`profile ${other}`]);
      // The alert's relations carry the completed hashes: one from the profile, one from the hunting row.
      const relations = JSON.stringify(sightings.find((s) => alertIdOf(s) === 'x')?.relations);
      expect(relations).toContain('e'.repeat(64));
      expect(relations).toContain(SHA256);
    });

    it('uses the profile a sha256 was resolved with instead of fetching it again', async () => {
      const sha256: Observable = { type: 'sha256', value: SHA256 };
      found(SHA256, {
        alerts: [alert('z', 1, { evidence: [{ entityType: 'File', sha1: SHA1, fileName: 'evil.exe' }] } as Partial<Alert>)],
        profile: { sha1: SHA1, sha256: SHA256, md5: MD5 } as FileProfile,
      });
      const { sightings } = await service().observe(ANALYST, [sha256]);
      expect(calls.filter((c) => c.startsWith('profile'))).toEqual([]);
      expect(JSON.stringify(sightings[0].relations)).toContain(MD5);
    });
  });

  describe('errors', () => {
    it('a failed device or file lookup costs only its own details: every sighting is kept, with the error once', async () => {
      fleet.set(M2, new RelayError('timeout', 'Defender did not answer in time'));
      files.set(SHA1, new RelayError('timeout', 'Defender did not answer in time'));
      found(SHA1, { alerts: [alert('s1', 1, { machineId: M2, evidence: [{ entityType: 'File', sha1: SHA1, fileName: 'evil.exe' }] } as Partial<Alert>)] });
      found(ip.value, { alerts: [alert('i1', 1, { machineId: M1 }), alert('i2', 2, { machineId: M2 })] });
      const { sightings, errors } = await service().observe(ANALYST, [sha1, ip]);
      expect(sightings.map(alertIdOf)).toEqual(['s1', 'i1', 'i2']);
      expect(sightings.map(hostOf)).toEqual([undefined, 'ws-1.contoso.local', undefined]);
      expect(errors).toEqual([{ type: 'fatal', code: 'timeout', message: 'Defender did not answer in time' }]);
      expect(new Set(calls.filter((c) => c.startsWith('machine')))).toEqual(new Set([`machine ${M1}`, `machine ${M2}`]));
    });

    it('an observable whose search failed does not cost the others their sightings', async () => {
      found(host.value, { error: new RelayError('unknown', 'More than 10 devices are named ws-1', { type: 'warning' }) });
      found(SHA1, { alerts: [alert('s1', 1)] });
      const { sightings, errors } = await service().observe(ANALYST, [host, sha1]);
      expect(sightings.map(alertIdOf)).toEqual(['s1']);
      expect(errors).toEqual([expect.objectContaining({ type: 'warning', message: 'More than 10 devices are named ws-1' })]);
    });
  });

  describe('the alert list shared with the respond listing', () => {
    it('is kept for every observable when no lookup failed, the whole list and not the trimmed one', async () => {
      found(SHA1, { alerts: [alert('s1', 1), alert('s2', 2)] });
      found(ip.value, {});
      await service({ CTR_ENTITIES_LIMIT: '1' }).observe(ANALYST, [sha1, ip]);
      calls = [];
      expect(await respondLookup(sha1)).toEqual({ alerts: ['s1', 's2'], lookedUp: false });
      expect(await respondLookup(ip)).toEqual({ alerts: [], lookedUp: false });
    });

    it('is not kept when any lookup of the request failed, even that of another observable', async () => {
      found(SHA1, { alerts: [alert('s1', 1)] });
      found(host.value, { error: new RelayError('timeout', 'Defender did not answer in time') });
      await service().observe(ANALYST, [sha1, host]);
      expect(await respondLookup(sha1)).toEqual({ alerts: [], lookedUp: true });
    });

    it('is kept despite warnings the request arrived with', async () => {
      found(SHA1, { alerts: [alert('s1', 1)] });
      const warning = new RelayError('unknown', 'observable dropped', { type: 'warning' }).toBody();
      const { errors } = await service().observe(ANALYST, [sha1], [warning]);
      expect(errors).toEqual([warning]);
      expect(await respondLookup(sha1)).toEqual({ alerts: ['s1'], lookedUp: false });
    });
  });
});
