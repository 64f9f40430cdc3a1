import { Indicator, Investigation, MachineAction } from '../model/entities';
import { DEMO_TENANT } from '../seed';
import {
  DEMO_CLIENT_ID,
  DEMO_INDICATOR_IDS,
  DEMO_MACHINE_IDS,
  DEMO_TENANT_ID,
  ISOLATED_MACHINE_ID,
  RESTRICTED_MACHINE_ID,
  SEED_FILES,
  SEED_NETWORK,
} from '../seed/seed.constants';
import { call, Collection, ErrorEnvelope, sandboxFixture } from '../testing/sandbox-client.helper';

const RELAY_FILTER = encodeURIComponent("type in ('Unisolate', 'Isolate') and status eq 'Succeeded'");

describe('Defender write API', () => {
  const env = sandboxFixture();

  const post = <T>(path: string, body: unknown) => call<T>(env.sandbox, path, { token: env.token, method: 'POST', body });
  const get = <T>(path: string) => call<T>(env.sandbox, path, { token: env.token });
  const latestIsolation = async (machineId: string): Promise<MachineAction | undefined> =>
    (await get<Collection<MachineAction>>(`/api/v1.0/machines/${machineId}/machineactions?$filter=${RELAY_FILTER}&$top=1`)).body.value[0];

  describe('machine actions', () => {
    it('isolate → 201 Pending MachineAction; the next read sees a Succeeded Isolate', async () => {
      const res = await post<MachineAction>(`/api/v1.0/machines/${DEMO_MACHINE_IDS.win10}/isolate`, { Comment: 'contain', IsolationType: 'Selective' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ type: 'Isolate', status: 'Pending', scope: 'Selective', requestorComment: 'contain', machineId: DEMO_MACHINE_IDS.win10, requestSource: 'PublicApi' });
      expect(res.body.creationDateTimeUtc).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
      expect(await latestIsolation(DEMO_MACHINE_IDS.win10)).toMatchObject({ id: res.body.id, type: 'Isolate', status: 'Succeeded' });
      expect(env.sandbox.state.machineControl(env.sandbox.state.tenant(DEMO_TENANT_ID), DEMO_MACHINE_IDS.win10).isolation).toBe('Selective');
      expect(env.sandbox.state.machineActions.at(-1)).toMatchObject({ id: res.body.id, status: 'Succeeded' });
    });

    it('unisolate releases the seeded isolated machine; unrestrict lifts the restriction', async () => {
      expect((await latestIsolation(ISOLATED_MACHINE_ID))?.type).toBe('Isolate');
      expect((await post(`/api/machines/${ISOLATED_MACHINE_ID}/unisolate`, { Comment: 'clean' })).status).toBe(201);
      expect((await latestIsolation(ISOLATED_MACHINE_ID))?.type).toBe('Unisolate');
      expect((await post(`/api/machines/${RESTRICTED_MACHINE_ID}/unrestrictCodeExecution`, { Comment: 'ok' })).status).toBe(201);
      expect(env.sandbox.state.machineControl(env.sandbox.state.tenant(DEMO_TENANT_ID), RESTRICTED_MACHINE_ID).restricted).toBe(false);
    });

    it('a second isolate while one is pending → 400 ActiveRequestAlreadyExists; completes after the delay', async () => {
      env.sandbox.configure({ machineActionDelayMs: 60_000 });
      const path = `/api/machines/${DEMO_MACHINE_IDS.server2022}/isolate`;
      expect((await post(path, { Comment: 'first', IsolationType: 'Full' })).status).toBe(201);
      const second = await post<ErrorEnvelope>(`/api/machines/${DEMO_MACHINE_IDS.server2022}/unisolate`, { Comment: 'second' });
      expect(second.status).toBe(400);
      expect(second.body.error).toMatchObject({ code: 'ActiveRequestAlreadyExists', message: 'Action is already in progress' });
      // Other families are not blocked.
      expect((await post(`/api/machines/${DEMO_MACHINE_IDS.server2022}/runAntiVirusScan`, { Comment: 'scan', ScanType: 'Quick' })).status).toBe(201);
      const pending = (await get<Collection<MachineAction>>(`/api/machineactions?$filter=machineId eq '${DEMO_MACHINE_IDS.server2022}'`)).body.value;
      expect(pending.map((a) => a.status)).toEqual(['Pending', 'Pending']);
      env.advanceClock(61_000);
      expect((await latestIsolation(DEMO_MACHINE_IDS.server2022))?.status).toBe('Succeeded');
      expect((await post(path, { Comment: 'again' })).status).toBe(201);
    });

    it.each([
      ['restrictCodeExecution', {}, 'RestrictCodeExecution', null],
      ['runAntiVirusScan', { ScanType: 'Full' }, 'RunAntiVirusScan', 'Full'],
      ['collectInvestigationPackage', {}, 'CollectInvestigationPackage', null],
    ])('%s → 201 MachineAction of its type, Succeeded on the next read', async (segment, extra, type, scope) => {
      const res = await post<MachineAction>(`/api/machines/${DEMO_MACHINE_IDS.win10}/${segment}`, { Comment: 'c', ...extra });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ type, scope, status: 'Pending' });
      const [latest] = (await get<Collection<MachineAction>>(`/api/machineactions?$filter=id eq '${res.body.id}'`)).body.value;
      expect(latest.status).toBe('Succeeded');
    });

    it('can make new actions fail instead of succeed', async () => {
      env.sandbox.configure({ machineActionOutcome: 'Failed' });
      const res = await post<MachineAction>(`/api/machines/${DEMO_MACHINE_IDS.win10}/restrictCodeExecution`, { Comment: 'x' });
      const [latest] = (await get<Collection<MachineAction>>(`/api/machineactions?$filter=id eq '${res.body.id}'`)).body.value;
      expect(latest.status).toBe('Failed');
    });

    it.each([
      ['a missing Comment', `/api/machines/${DEMO_MACHINE_IDS.win10}/isolate`, { IsolationType: 'Full' }, 400, 'InvalidRequestBody'],
      ['a mis-cased comment key', `/api/machines/${DEMO_MACHINE_IDS.win10}/unisolate`, { comment: 'x' }, 400, 'InvalidRequestBody'],
      ['a bad IsolationType', `/api/machines/${DEMO_MACHINE_IDS.win10}/isolate`, { Comment: 'x', IsolationType: 'Partial' }, 400, 'InvalidRequestBody'],
      ['a scan without ScanType', `/api/machines/${DEMO_MACHINE_IDS.win10}/runAntiVirusScan`, { Comment: 'x' }, 400, 'InvalidRequestBody'],
      ['restricting a Linux machine', `/api/machines/${DEMO_MACHINE_IDS.linux}/restrictCodeExecution`, { Comment: 'x' }, 400, 'OsPlatformNotSupported'],
      ['an unknown machine', `/api/machines/${'f'.repeat(40)}/collectInvestigationPackage`, { Comment: 'x' }, 404, 'ResourceNotFound'],
    ])('rejects %s', async (_name, path, body, status, code) => {
      const res = await post<ErrorEnvelope>(path, body);
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
    });

    it('startInvestigation → 201 Investigation entity', async () => {
      const res = await post<Investigation>(`/api/machines/${DEMO_MACHINE_IDS.win10}/startInvestigation`, { Comment: 'auto-ir' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ id: '6302', state: 'Running', machineId: DEMO_MACHINE_IDS.win10, endTime: null });
      expect(res.body).not.toHaveProperty('type');
    });
  });

  describe('indicators', () => {
    const quoted = "http://phish.example/login?u=o'brien";
    const byValue = (value: string, type?: string) => {
      const filter = `indicatorValue eq '${value.replace(/'/g, "''")}'${type ? ` and indicatorType eq '${type}'` : ''}`;
      return get<Collection<Indicator>>(`/api/indicators?$filter=${encodeURIComponent(filter)}&$top=1`);
    };

    it('lists the seeded indicator of a value with the relay filter', async () => {
      const res = await get<Collection<Indicator>>(`/api/v1.0/indicators?$filter=indicatorValue+eq+'${SEED_NETWORK.payloadDomain}'&$top=1`);
      expect(res.body.value).toEqual([expect.objectContaining({ id: DEMO_INDICATOR_IDS.payloadDomain, action: 'Audit', generateAlert: true })]);
      expect((await byValue('nothing.example')).body.value).toEqual([]);
    });

    it('creates (200, digit-string id), finds by a value with a quote, upserts in place and deletes (204)', async () => {
      const body = { indicatorValue: quoted, indicatorType: 'Url', action: 'Block', title: 'T', description: 'D', generateAlert: true };
      const created = await post<Indicator>('/api/indicators', body);
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({ indicatorValue: quoted, action: 'Block', createdBy: DEMO_CLIENT_ID, sourceType: 'AadApp' });
      expect(created.body.id).toMatch(/^\d+$/);

      const found = await byValue(quoted, 'Url');
      expect(found.body.value.map((i) => i.id)).toEqual([created.body.id]);

      const updated = await post<Indicator>('/api/indicators', { ...body, action: 'Allowed', generateAlert: false });
      expect(updated.body.id).toBe(created.body.id);
      expect(updated.body.action).toBe('Allowed');
      expect((await byValue(quoted)).body.value).toHaveLength(1);

      const deleted = await call(env.sandbox, `/api/indicators/${created.body.id}`, { token: env.token, method: 'DELETE' });
      expect(deleted.status).toBe(204);
      expect(deleted.body).toBeUndefined();
      expect((await byValue(quoted)).body.value).toEqual([]);
      expect((await call<ErrorEnvelope>(env.sandbox, `/api/indicators/${created.body.id}`, { token: env.token, method: 'DELETE' })).status).toBe(404);
    });

    it('accepts a DELETE carrying Content-Type: application/json and no body', async () => {
      const res = await fetch(`${env.sandbox.url}/api/indicators/${DEMO_INDICATOR_IDS.phishingUrl}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${env.token}`, 'Content-Type': 'application/json' },
      });
      expect(res.status).toBe(204);
    });

    it.each([
      ['a missing title', { indicatorValue: '1.2.3.4', indicatorType: 'IpAddress', action: 'Block', description: 'd' }, 'MissingRequiredParameter'],
      ['an unknown type', { indicatorValue: 'x', indicatorType: 'Email', action: 'Block', title: 't', description: 'd' }, 'InvalidInput'],
      ['an unknown action', { indicatorValue: '1.2.3.4', indicatorType: 'IpAddress', action: 'Quarantine', title: 't', description: 'd' }, 'InvalidInput'],
      ['Audit without generateAlert', { indicatorValue: '1.2.3.4', indicatorType: 'IpAddress', action: 'Audit', title: 't', description: 'd' }, 'InvalidInput'],
      ['BlockAndRemediate on a domain', { indicatorValue: 'a.example', indicatorType: 'DomainName', action: 'BlockAndRemediate', title: 't', description: 'd' }, 'InvalidInput'],
      ['a malformed sha256', { indicatorValue: 'abc', indicatorType: 'FileSha256', action: 'Block', title: 't', description: 'd' }, 'InvalidInput'],
      ['a CIDR range', { indicatorValue: '10.0.0.0/8', indicatorType: 'IpAddress', action: 'Block', title: 't', description: 'd' }, 'InvalidInput'],
    ])('rejects %s with 400', async (_name, body, code) => {
      const res = await post<ErrorEnvelope>('/api/indicators', body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe(code);
    });

    it('accepts BlockAndRemediate + generateAlert on a file hash', async () => {
      const res = await post<Indicator>('/api/indicators', {
        indicatorValue: SEED_FILES.svcUpdater.sha1.toUpperCase(),
        indicatorType: 'FileSha1',
        action: 'BlockAndRemediate',
        generateAlert: true,
        title: 't',
        description: 'd',
        severity: 'High',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ indicatorValue: SEED_FILES.svcUpdater.sha1, severity: 'High', generateAlert: true });
    });

    it('rejects a malformed $filter with 400 ODataError', async () => {
      const res = await get<ErrorEnvelope>(`/api/indicators?$filter=${encodeURIComponent("indicatorValue eq 'it's'")}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('ODataError');
    });

    it('reset() restores the seeded indicators', async () => {
      await call(env.sandbox, `/api/indicators/${DEMO_INDICATOR_IDS.dropperHash}`, { token: env.token, method: 'DELETE' });
      env.sandbox.reset();
      const res = await get<Collection<Indicator>>('/api/indicators');
      expect(res.body.value.map((i) => i.id)).toEqual(DEMO_TENANT.indicators.map((i) => i.id));
      expect(res.body.value.map((i) => i.id)).toEqual(expect.arrayContaining(Object.values(DEMO_INDICATOR_IDS)));
    });
  });
});
