import { READ_ONLY_CLIENT_ID, READ_ONLY_CLIENT_SECRET, SEED_FILES, SEED_NETWORK } from '../seed/seed.constants';
import { call, ErrorEnvelope, tokenFor, sandboxFixture } from '../testing/sandbox-client.helper';

interface Stats {
  '@odata.context': string;
  organizationPrevalence: number;
  orgFirstSeen: string | null;
  orgLastSeen: string | null;
  [key: string]: unknown;
}

describe('Defender statistics (prevalence)', () => {
  const env = sandboxFixture({ rateLimits: true });
  const get = <T = Stats>(path: string, as = env.token) => call<T>(env.sandbox, path, { token: as });

  it('files/{sha1}/stats: the documented InOrgFileStats shape, the devices that saw the file, first and last', async () => {
    const res = await get(`/api/files/${SEED_FILES.svcUpdater.sha1}/stats?lookBackHours=48`);
    expect(res.status).toBe(200);
    expect(res.body['@odata.context']).toMatch(/\/api\/\$metadata#microsoft\.windowsDefenderATP\.api\.InOrgFileStats$/);
    expect(Object.keys(res.body).sort()).toEqual(
      ['@odata.context', 'sha1', 'organizationPrevalence', 'orgFirstSeen', 'orgLastSeen', 'globallyPrevalence', 'globalFirstObserved', 'globalLastObserved', 'topFileNames'].sort(),
    );
    expect(res.body).toMatchObject({ sha1: SEED_FILES.svcUpdater.sha1, topFileNames: expect.arrayContaining([SEED_FILES.svcUpdater.fileName]) });
    // "alerts on two machines + file events"
    expect(res.body.organizationPrevalence).toBeGreaterThanOrEqual(2);
    expect(res.body.globallyPrevalence).toBeGreaterThanOrEqual(res.body.organizationPrevalence);
    expect(Date.parse(String(res.body.orgFirstSeen))).toBeLessThanOrEqual(Date.parse(String(res.body.orgLastSeen)));
  });

  it('a file Defender does not know: 404; statistics by SHA-1 only (sha256/md5 404); a malformed hash 400', async () => {
    expect((await get<ErrorEnvelope>(`/api/files/${'0'.repeat(40)}/stats`)).body.error.code).toBe('ResourceNotFound');
    expect((await get(`/api/files/${SEED_FILES.svcUpdater.sha256}/stats`)).status).toBe(404);
    expect((await get(`/api/files/${SEED_FILES.svcUpdater.md5}/stats`)).status).toBe(404);
    const bad = await get<ErrorEnvelope>('/api/files/xyz/stats');
    expect([bad.status, bad.body.error.code]).toEqual([400, 'InvalidHashValue']);
  });

  it('ips/{ip}/stats: the devices that connected to it; unseen 200 with prevalence 0; invalid and IPv6 400', async () => {
    const c2 = await get(`/api/ips/${SEED_NETWORK.c2Ip}/stats`);
    // Alerts on win10 and win11, network events on both: two devices, however many alerts and rows.
    expect(c2.body).toMatchObject({ ipAddress: SEED_NETWORK.c2Ip, organizationPrevalence: 2 });
    expect(c2.body['@odata.context']).toMatch(/#microsoft\.windowsDefenderATP\.api\.InOrgIPStats$/);
    expect(c2.body).not.toHaveProperty('globallyPrevalence');
    expect((await get('/api/ips/192.0.2.201/stats')).body).toMatchObject({ organizationPrevalence: 0, orgFirstSeen: null, orgLastSeen: null });
    for (const ip of ['999.1.1.1', SEED_NETWORK.webShellClientIpv6]) {
      const res = await get<ErrorEnvelope>(`/api/ips/${encodeURIComponent(ip)}/stats`);
      expect([res.status, res.body.error.code]).toEqual([400, 'InvalidIpAddress']);
    }
  });

  it('domains/{domain}/stats: the domain and its subdomains; unseen 200 with 0; malformed 400', async () => {
    const domain = await get(`/api/domains/${SEED_NETWORK.payloadDomain}/stats`);
    const sub = await get(`/api/domains/${SEED_NETWORK.payloadSubdomain}/stats`);
    expect(domain.body).toMatchObject({ host: SEED_NETWORK.payloadDomain });
    expect(domain.body['@odata.context']).toMatch(/#microsoft\.windowsDefenderATP\.api\.InOrgDomainStats$/);
    expect(sub.body.organizationPrevalence).toBeGreaterThan(0);
    expect(domain.body.organizationPrevalence).toBeGreaterThanOrEqual(sub.body.organizationPrevalence);
    expect((await get('/api/domains/never-seen.example/stats')).body).toMatchObject({ organizationPrevalence: 0, orgFirstSeen: null });
    expect((await get<ErrorEnvelope>('/api/domains/bad_domain!/stats')).body.error.code).toBe('InvalidDomainName');
  });

  it('lookBackHours: a whole number of hours up to 720, else 400', async () => {
    expect((await get(`/api/ips/${SEED_NETWORK.c2Ip}/stats?lookBackHours=720`)).status).toBe(200);
    for (const hours of ['0', '721', '1.5', 'x']) expect((await get(`/api/ips/${SEED_NETWORK.c2Ip}/stats?lookBackHours=${hours}`)).status).toBe(400);
  });

  it('permissions per app: Ip.Read.All and URL.Read.All, named in the 403', async () => {
    const readOnly = await tokenFor(env.sandbox, { clientId: READ_ONLY_CLIENT_ID, clientSecret: READ_ONLY_CLIENT_SECRET });
    const ip = await get<ErrorEnvelope>(`/api/ips/${SEED_NETWORK.c2Ip}/stats`, readOnly);
    expect([ip.status, ip.body.error.code]).toEqual([403, 'Forbidden']);
    expect(ip.body.error.message).toContain('Ip.Read.All');
    expect((await get<ErrorEnvelope>(`/api/domains/${SEED_NETWORK.payloadDomain}/stats`, readOnly)).body.error.message).toContain('URL.Read.All');
    expect((await get(`/api/files/${SEED_FILES.svcUpdater.sha1}/stats`, readOnly)).status).toBe(200);
  });

  it('its own quota of 100 calls a minute, like every Defender API', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 101; i++) statuses.push((await get(`/api/ips/10.0.0.${i % 250}/stats`)).status);
    expect(statuses.slice(0, 100).every((s) => s === 200)).toBe(true);
    expect(statuses[100]).toBe(429);
    // Another statistics API is counted apart.
    expect((await get(`/api/domains/${SEED_NETWORK.payloadDomain}/stats`)).status).toBe(200);
  });

});
