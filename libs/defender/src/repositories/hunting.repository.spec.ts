import { Credentials, DEFENDER_HUNTING_RETIREMENT, HuntingApi, loadDefenderConfig, RelayError, shortHash } from '@app/common';
import { Logger } from '@nestjs/common';
import { DefenderContext } from '../http/defender-context';
import { DefenderHttpClient, DefenderRequest } from '../http/defender-http.client';
import { EventFilter } from '../kql/hunting-queries';
import { Deadline } from '../limits/deadline';
import { HUNTING_CHOICE_TTL_MS, HuntingRepository } from './hunting.repository';

// The choice of hunting API, one level below the e2e tests: a strict fake client answers as Graph
// and Defender would, and the clock is moved across the retirement date and the memory's TTL.

const BEFORE = Date.parse('2026-12-01T00:00:00Z');
const AFTER = Date.parse(`${DEFENDER_HUNTING_RETIREMENT}T00:00:00Z`);
const NO_GRAPH: Credentials = { tenantId: 'tenant-a', clientId: 'app-without-graph', clientSecret: 's1' };
const WITH_GRAPH: Credentials = { tenantId: 'tenant-a', clientId: 'app-with-graph', clientSecret: 's2' };
const GRAPH_403 = 'Microsoft Graph refused the request: The application does not have any of the required application permissions (ThreatHunting.Read.All) to access the resource.';
const ROW = { DeviceId: 'd1', SHA1: 'aa', Timestamp: '2026-11-30T00:00:00Z', RelayTable: 'DeviceFileEvents' };
const FILTER: EventFilter = { key: 'o0', table: 'DeviceFileEvents', terms: [{ column: 'SHA1', match: 'exact', value: 'aa' }], limit: 5 };
const withValue = (value: string): EventFilter => ({ ...FILTER, terms: [{ ...FILTER.terms[0], value }] });

describe('HuntingRepository: which hunting API', () => {
  let now: number;
  let calls: Array<{ api: string; clientId: string }>;
  let graphAnswer: (c: Credentials) => Promise<unknown>;
  let warn: jest.SpyInstance;
  const contexts: DefenderContext[] = [];

  const client = {
    authenticate: jest.fn(async () => undefined),
    request: jest.fn(async (ctx: DefenderContext, req: DefenderRequest) => {
      const api = req.api ?? 'defender';
      calls.push({ api, clientId: ctx.credentials.clientId });
      if (api === 'graph') return { status: 200, data: { results: await graphAnswer(ctx.credentials) } };
      return { status: 200, data: { Results: [ROW] } };
    }),
  };

  const repository = (mode: HuntingApi) =>
    new HuntingRepository(client as unknown as DefenderHttpClient, loadDefenderConfig({ HUNTING_API: mode }), () => now);
  const context = (credentials: Credentials) => {
    const ctx = new DefenderContext(credentials, Deadline.in(5_000));
    contexts.push(ctx);
    return ctx;
  };
  const hunt = async (repo: HuntingRepository, credentials: Credentials) => (await repo.events(context(credentials), [FILTER])).get('o0') ?? [];
  const apis = () => calls.map((c) => c.api);

  beforeEach(() => {
    now = BEFORE;
    calls = [];
    client.request.mockClear();
    graphAnswer = async (c) => {
      if (c.clientId === NO_GRAPH.clientId) throw new RelayError('permission denied', GRAPH_403, { upstreamStatus: 403 });
      return [ROW];
    };
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    warn.mockRestore();
    contexts.splice(0).forEach((ctx) => ctx.dispose());
  });

  it('auto uses Graph when Graph answers, and says so', async () => {
    const repo = repository('auto');
    expect(await hunt(repo, WITH_GRAPH)).toHaveLength(1);
    expect(apis()).toEqual(['graph']);
    expect(await repo.backend(context(WITH_GRAPH))).toBe('graph');
    expect(apis()).toEqual(['graph']);
    expect(warn).not.toHaveBeenCalled();
  });

  it('auto falls back to Defender when Graph refuses, warns once, and remembers the choice for that credential only', async () => {
    const repo = repository('auto');
    expect(await hunt(repo, NO_GRAPH)).toHaveLength(1);
    expect(apis()).toEqual(['graph', 'defender']);
    expect(warn).toHaveBeenCalledTimes(1);
    const [fields, message] = warn.mock.calls[0] as [Record<string, unknown>, string];
    expect(fields).toEqual({ tenant: shortHash('tenant-a'), client: shortHash(NO_GRAPH.clientId), upstreamStatus: 403 });
    expect(message).toContain('ThreatHunting.Read.All');
    expect(message).toContain(DEFENDER_HUNTING_RETIREMENT);
    expect(message).not.toContain(NO_GRAPH.clientSecret);

    await hunt(repo, NO_GRAPH);
    expect(apis()).toEqual(['graph', 'defender', 'defender']);
    expect(await repo.backend(context(NO_GRAPH))).toBe('defender');
    expect(repo.retirementWarning('defender')?.toBody()).toEqual({
      type: 'warning',
      code: 'permission denied',
      message: `Microsoft Graph refused advanced hunting, so it uses the Defender hunting API, which returns no data from ${DEFENDER_HUNTING_RETIREMENT}: grant the app the Microsoft Graph application permission ThreatHunting.Read.All with admin consent`,
    });
    expect(warn).toHaveBeenCalledTimes(1);

    // Another app of the same tenant is not affected by this app's missing permission.
    await hunt(repo, WITH_GRAPH);
    expect(calls.at(-1)).toEqual({ api: 'graph', clientId: WITH_GRAPH.clientId });
  });

  it('auto asks Graph again once the remembered choice expires (a permission granted meanwhile is picked up)', async () => {
    const repo = repository('auto');
    await hunt(repo, NO_GRAPH);
    now += HUNTING_CHOICE_TTL_MS - 1;
    await hunt(repo, NO_GRAPH);
    expect(apis()).toEqual(['graph', 'defender', 'defender']);

    now += 1;
    graphAnswer = async () => [ROW];
    await hunt(repo, NO_GRAPH);
    expect(apis()).toEqual(['graph', 'defender', 'defender', 'graph']);
    expect(await repo.backend(context(NO_GRAPH))).toBe('graph');
  });

  it(`from ${DEFENDER_HUNTING_RETIREMENT} auto no longer falls back: Graph's refusal is the answer, naming the permission`, async () => {
    now = AFTER;
    const repo = repository('auto');
    const refusal = await hunt(repo, NO_GRAPH).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(RelayError);
    expect((refusal as RelayError).toBody()).toEqual({
      type: 'fatal',
      code: 'permission denied',
      message: `${GRAPH_403.replace(/\.$/, '')}. Advanced hunting on Microsoft Graph needs the application permission ThreatHunting.Read.All with admin consent`,
    });
    expect(apis()).toEqual(['graph']);
    expect(warn).not.toHaveBeenCalled();
    await expect(repo.backend(context(NO_GRAPH))).rejects.toMatchObject({ code: 'permission denied' });
  });

  it('drops a fallback remembered before the retirement date once the date has come', async () => {
    now = AFTER - 60_000;
    const repo = repository('auto');
    await hunt(repo, NO_GRAPH);
    expect(apis()).toEqual(['graph', 'defender']);
    now = AFTER;
    await expect(hunt(repo, NO_GRAPH)).rejects.toMatchObject({ code: 'permission denied' });
    expect(apis()).toEqual(['graph', 'defender', 'graph']);
  });

  it('auto does not fall back when Graph fails for another reason (throttling, outage)', async () => {
    const repo = repository('auto');
    graphAnswer = async () => {
      throw new RelayError('too many requests', 'Advanced Hunting API rate limit has been exceeded', { upstreamStatus: 429 });
    };
    await expect(hunt(repo, WITH_GRAPH)).rejects.toMatchObject({ code: 'too many requests' });
    expect(apis()).toEqual(['graph']);
    graphAnswer = async () => [ROW];
    await hunt(repo, WITH_GRAPH);
    expect(apis()).toEqual(['graph', 'graph']);
  });

  it('graph never falls back; its refusal names the permission', async () => {
    const repo = repository('graph');
    await expect(hunt(repo, NO_GRAPH)).rejects.toMatchObject({ code: 'permission denied', message: expect.stringContaining('needs the application permission ThreatHunting.Read.All') });
    expect(apis()).toEqual(['graph']);
    expect(warn).not.toHaveBeenCalled();
  });

  it('defender never asks Graph, and /health warns that it is retiring', async () => {
    const repo = repository('defender');
    await hunt(repo, WITH_GRAPH);
    expect(await repo.backend(context(WITH_GRAPH))).toBe('defender');
    expect(apis()).toEqual(['defender']);
    expect(repo.retirementWarning('defender')?.toBody()).toMatchObject({ type: 'warning', message: expect.stringContaining('HUNTING_API=defender') });
    expect(repo.retirementWarning('graph')).toBeUndefined();
  });

  it('backend() probes once for concurrent callers of one credential, with a query that reads no rows', async () => {
    const repo = repository('auto');
    expect(await Promise.all([1, 2, 3].map(() => repo.backend(context(NO_GRAPH))))).toEqual(['defender', 'defender', 'defender']);
    expect(apis()).toEqual(['graph', 'defender']);
    const [, request] = client.request.mock.calls[0];
    expect(request.body).toEqual({ Query: 'DeviceNetworkInfo\n| take 0' });
  });

  it('concurrent events of one credential share one query and each gets only its own rows; another credential gets its own query', async () => {
    const repo = repository('graph');
    const rows = [ROW, { ...ROW, SHA1: 'bb' }, { ...ROW, SHA1: 'cc' }];
    graphAnswer = async () => rows;
    const other = withValue('bb');
    const [mine, theirs, foreign] = await Promise.all([
      repo.events(context(WITH_GRAPH), [FILTER]),
      repo.events(context(WITH_GRAPH), [other]),
      repo.events(context(NO_GRAPH), [withValue('cc')]),
    ]);
    expect(calls).toEqual([
      { api: 'graph', clientId: WITH_GRAPH.clientId },
      { api: 'graph', clientId: NO_GRAPH.clientId },
    ]);
    const [shared, separate] = client.request.mock.calls.map(([, request]) => (request.body as { Query: string }).Query);
    expect(shared).toContain("SHA1 in ('aa', 'bb')");
    expect(separate).toContain("SHA1 in ('cc')");
    expect(mine).toEqual(new Map([['o0', [{ DeviceId: 'd1', SHA1: 'aa', Timestamp: ROW.Timestamp }]]]));
    expect(theirs).toEqual(new Map([['o0', [{ DeviceId: 'd1', SHA1: 'bb', Timestamp: ROW.Timestamp }]]]));
    expect(foreign).toEqual(new Map([['o0', [{ DeviceId: 'd1', SHA1: 'cc', Timestamp: ROW.Timestamp }]]]));
  });
});
