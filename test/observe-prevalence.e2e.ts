/**
 * Prevalence sightings from Defender's statistics (files/{sha1}/stats, ips/{ip}/stats,
 * domains/{domain}/stats), each expected sighting computed here from the demo seed: the devices of
 * the alerts and hunting rows that name the value, first and last seen.
 */
import {
  DEMO_FILES,
  DEMO_TENANT,
  DEMO_TENANT_ID,
  OTHER_TENANT,
  READ_ONLY_CLIENT_ID,
  READ_ONLY_CLIENT_SECRET,
  RELAY_DEFENDER_ROLES,
  RELAY_GRAPH_ROLES,
  SEED_FILES,
  SEED_NETWORK,
} from '../apps/defender-sandbox/src';
import { isPrevalence } from './support/prevalence';
import { RelayHarness, startRelay } from './support/relay-harness';
import { hsToken } from './support/tokens';

interface Doc {
  title: string;
  description?: string;
  count: number;
  observables: { type: string; value: string }[];
  observed_time: { start_time: string; end_time: string };
  data?: { columns: { name: string }[]; rows: unknown[][] };
}

const SOURCE = 'Microsoft Defender for Endpoint';
const hostOf = (url: unknown) => (typeof url === 'string' && url !== '' ? new URL(/:\/\//.test(url) ? url : `http://${url}`).hostname.toLowerCase() : '');
const underDomain = (url: unknown, domain: string) => hostOf(url) === domain || hostOf(url).endsWith(`.${domain}`);

/** From the seed alone: which devices saw the value, first and last. */
function seenInSeed(alertHas: (e: (typeof DEMO_TENANT.alerts)[number]['evidence'][number]) => boolean, rowHas: (r: Record<string, unknown>) => boolean) {
  const devices = new Set<string>();
  const times: string[] = [];
  for (const alert of DEMO_TENANT.alerts.filter((a) => a.evidence.some(alertHas))) {
    devices.add(alert.machineId.toLowerCase());
    times.push(alert.firstEventTime ?? alert.alertCreationTime, alert.lastEventTime ?? alert.alertCreationTime);
  }
  for (const row of Object.values(DEMO_TENANT.hunting).flat().filter(rowHas)) {
    devices.add(String(row.DeviceId).toLowerCase());
    times.push(String(row.Timestamp));
  }
  times.sort((a, b) => Date.parse(a) - Date.parse(b));
  return { devices: devices.size, first: times[0], last: times[times.length - 1] };
}

const fileSeen = (sha1: string) => seenInSeed((e) => e.sha1 === sha1, (r) => r.SHA1 === sha1 || r.InitiatingProcessSHA1 === sha1);
const ipSeen = (ip: string) => seenInSeed((e) => e.ipAddress === ip, (r) => r.RemoteIP === ip);
const domainSeen = (domain: string) => seenInSeed((e) => underDomain(e.url, domain), (r) => underDomain(r.RemoteUrl, domain));

function expectedSighting(type: string, value: string, seen: ReturnType<typeof seenInSeed>, worldwide?: number) {
  const plural = seen.devices === 1 ? 'device' : 'devices';
  return {
    count: seen.devices,
    observables: [{ type, value }],
    observed_time: { start_time: seen.first, end_time: seen.last },
    title: `${SOURCE}: seen on ${seen.devices} ${plural} of your organisation`,
    description: `Seen on ${seen.devices} ${plural} of your organisation since ${seen.first}, last ${seen.last}${worldwide === undefined ? '' : `; on ${worldwide} device${worldwide === 1 ? '' : 's'} worldwide`}`,
  };
}

const worldwide = (sha1: string, devices: number) => Math.max(DEMO_FILES.find((f) => f.sha1 === sha1)?.globalPrevalence ?? 0, devices);

describe('observe: prevalence from Defender statistics', () => {
  let relay: RelayHarness;
  const observe = async (body: unknown[], token?: string) => {
    const res = await relay.post('/observe/observables', body, token === undefined ? {} : { token });
    expect(res.status).toBe(200);
    return { docs: (res.body.data?.sightings?.docs ?? []) as Doc[], errors: res.body.errors as { type: string; code: string; message: string }[] | undefined };
  };

  describe('the relay app (every permission)', () => {
    beforeAll(async () => (relay = await startRelay()));
    afterAll(() => relay.close());
    afterEach(() => relay.sandbox.reset());

    it('known value of each type → one sighting as the seed computes it; sha256/md5 asked by the SHA-1 of the profile read once', async () => {
      const cases = [
        { type: 'sha1', value: SEED_FILES.svcUpdater.sha1, sha1: SEED_FILES.svcUpdater.sha1 },
        { type: 'sha256', value: SEED_FILES.emotetDropper.sha256, sha1: SEED_FILES.emotetDropper.sha1 },
        { type: 'md5', value: SEED_FILES.webShell.md5, sha1: SEED_FILES.webShell.sha1 },
      ];
      const { docs, errors } = await observe([
        ...cases.map(({ type, value }) => ({ type, value })),
        { type: 'ip', value: SEED_NETWORK.c2Ip },
        { type: 'domain', value: SEED_NETWORK.payloadDomain },
      ]);
      expect(errors).toBeUndefined();
      const prevalence = docs.filter(isPrevalence);
      expect(prevalence).toHaveLength(5);
      for (const { type, value, sha1 } of cases) {
        const seen = fileSeen(sha1);
        expect(seen.devices).toBeGreaterThan(0);
        expect(prevalence.find((d) => d.observables[0].value === value)).toMatchObject(expectedSighting(type, value, seen, worldwide(sha1, seen.devices)));
      }
      const ip = ipSeen(SEED_NETWORK.c2Ip);
      expect(ip.devices).toBeGreaterThan(1);
      expect(prevalence.find((d) => d.observables[0].value === SEED_NETWORK.c2Ip)).toMatchObject(expectedSighting('ip', SEED_NETWORK.c2Ip, ip));
      // The payload domain counts its subdomain's devices too, as Defender's domain APIs do.
      const domain = domainSeen(SEED_NETWORK.payloadDomain);
      expect(prevalence.find((d) => d.observables[0].value === SEED_NETWORK.payloadDomain)).toMatchObject(expectedSighting('domain', SEED_NETWORK.payloadDomain, domain));
      const stats = relay.sandbox.stats;
      expect([stats.count('files.stats'), stats.count('ips.stats'), stats.count('domains.stats')]).toEqual([3, 1, 1]);
      expect(stats.entries('files.stats').map((e) => e.path.split('/').at(-2))).toEqual(expect.arrayContaining(cases.map((c) => c.sha1)));
      // Only the sha256 and md5 are resolved, once each, whatever the statistics and alerts ask.
      expect(stats.entries('files.get').filter((e) => /[0-9a-f]{64}|\/[0-9a-f]{32}$/.test(e.path))).toHaveLength(2);
      expect(stats.count('graph.hunting')).toBe(1);
    });

    it('unknown values → no prevalence sighting and no error (404 for a file, prevalence 0 for an IP or domain, no call for a hash without profile)', async () => {
      const { docs, errors } = await observe([
        { type: 'sha1', value: '0123456789abcdef0123456789abcdef01234567' },
        { type: 'sha256', value: 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210' },
        { type: 'ip', value: '192.0.2.201' },
        { type: 'domain', value: 'never-seen.example' },
      ]);
      expect(errors).toBeUndefined();
      expect(docs.filter(isPrevalence)).toEqual([]);
      const stats = relay.sandbox.stats;
      expect([stats.count('files.stats'), stats.count('ips.stats'), stats.count('domains.stats')]).toEqual([1, 1, 1]);
      expect(stats.entries('files.stats')[0].status).toBe(404);
    });

    it('other types are not asked for statistics (IPv6, URL, host name)', async () => {
      await observe([
        { type: 'ipv6', value: SEED_NETWORK.webShellClientIpv6 },
        { type: 'url', value: `https://${SEED_NETWORK.payloadDomain}/x` },
        { type: 'hostname', value: 'fin-wks-017' },
      ]);
      const stats = relay.sandbox.stats;
      expect(stats.count('files.stats') + stats.count('ips.stats') + stats.count('domains.stats')).toBe(0);
    });
  });

  describe('permissions', () => {
    // The relay's permissions but no Ip.Read.All / URL.Read.All, with tokens whose roles cannot be read.
    const OPAQUE_NO_STATS = { clientId: '3c0e5a7b-9d21-4f6e-8a4b-1d2c3e4f5a6b', clientSecret: 'Ons8Q~sandbox.NoStats-Secret_3c0e5a7b9d21' };
    const seed = {
      tenants: [
        {
          ...DEMO_TENANT,
          apps: [
            ...DEMO_TENANT.apps,
            {
              ...OPAQUE_NO_STATS,
              displayName: 'Relay without statistics, opaque tokens',
              roles: { defender: RELAY_DEFENDER_ROLES.filter((r) => r !== 'Ip.Read.All' && r !== 'URL.Read.All'), graph: RELAY_GRAPH_ROLES },
              opaqueTokens: true,
            },
          ],
        },
        OTHER_TENANT,
      ],
    };
    const opaque = hsToken({ client_id: OPAQUE_NO_STATS.clientId, client_secret: OPAQUE_NO_STATS.clientSecret, tenant_id: DEMO_TENANT_ID });
    const readOnly = hsToken({ client_id: READ_ONLY_CLIENT_ID, client_secret: READ_ONLY_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID });
    const BODY = [
      { type: 'ip', value: SEED_NETWORK.c2Ip },
      { type: 'domain', value: SEED_NETWORK.payloadDomain },
      { type: 'sha1', value: SEED_FILES.svcUpdater.sha1 },
    ];
    beforeAll(async () => (relay = await startRelay({}, { seed })));
    afterAll(() => relay.close());
    afterEach(() => relay.sandbox.reset());

    it('roles unreadable and Defender answers 403 → a clear error naming the permission; the other sightings stay', async () => {
      const { docs, errors } = await observe(BODY, opaque);
      expect(errors).toEqual(
        expect.arrayContaining([
          { type: 'fatal', code: 'permission denied', message: expect.stringMatching(/Ip\.Read\.All.*IP prevalence needs the application permission WindowsDefenderATP Ip\.Read\.All with admin consent$/) },
          { type: 'fatal', code: 'permission denied', message: expect.stringMatching(/Domain prevalence needs the application permission WindowsDefenderATP URL\.Read\.All with admin consent$/) },
        ]),
      );
      expect(errors).toHaveLength(2);
      expect(docs.filter(isPrevalence).map((d) => d.observables[0].type)).toEqual(['sha1']);
      expect(docs.filter((d) => !isPrevalence(d) && d.observables[0].value === SEED_NETWORK.c2Ip).length).toBeGreaterThan(0);
      expect(relay.sandbox.stats.entries('ips.stats').map((e) => e.status)).toEqual([403]);
    });

    it('roles readable and lacking the permission → skipped without error or call; /health names the permission', async () => {
      const { docs, errors } = await observe(BODY, readOnly);
      expect(errors).toBeUndefined();
      expect(docs.filter(isPrevalence).map((d) => d.observables[0].type)).toEqual(['sha1']);
      expect(relay.sandbox.stats.count('ips.stats') + relay.sandbox.stats.count('domains.stats')).toBe(0);
      const health = await relay.post('/health', undefined, { token: readOnly });
      const messages = health.body.errors.map((e: { message: string }) => e.message);
      expect(messages).toContainEqual(expect.stringMatching(/^The app lacks the application permission WindowsDefenderATP Ip\.Read\.All .*: disabled observe: IP prevalence$/));
      expect(messages).toContainEqual(expect.stringMatching(/^The app lacks the application permission WindowsDefenderATP URL\.Read\.All .*: disabled observe: domain prevalence$/));
    });
  });

  describe('budget', () => {
    beforeAll(async () => (relay = await startRelay({ DEFENDER_RATE_LIMIT: 'on', REQUEST_DEADLINE_MS: '60000' }, { rateLimits: true })));
    afterAll(() => relay.close());

    it('statistics are planned by the free slots beyond the headroom: short → skipped without an error', async () => {
      // 91 IPs nobody saw: 90 statistics fit the 100 a minute less the headroom of 10.
      const unseen = Array.from({ length: 91 }, (_, i) => ({ type: 'ip', value: `192.0.2.${i + 100}` }));
      const first = await observe(unseen);
      expect(first.errors).toBeUndefined();
      expect(relay.sandbox.stats.count('ips.stats')).toBe(90);
      relay.sandbox.stats.reset();
      const { docs, errors } = await observe([{ type: 'ip', value: SEED_NETWORK.c2Ip }, { type: 'sha1', value: SEED_FILES.svcUpdater.sha1 }]);
      expect(errors).toBeUndefined();
      expect(relay.sandbox.stats.count('ips.stats')).toBe(0);
      expect(docs.filter(isPrevalence).map((d) => d.observables[0].type)).toEqual(['sha1']);
      expect(docs.some((d) => d.observables[0].value === SEED_NETWORK.c2Ip)).toBe(true);
    });
  });
});
