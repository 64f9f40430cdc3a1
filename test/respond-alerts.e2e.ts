import {
  ALERT_READER_CLIENT_ID,
  ALERT_READER_CLIENT_SECRET,
  DEFENDER_ONLY_CLIENT_ID,
  DEFENDER_ONLY_CLIENT_SECRET,
  DEMO_ALERTS,
  DEMO_MACHINE_IDS,
  RouteKey,
  SEED_FILES,
  SEED_NETWORK,
} from '../apps/defender-sandbox/src';
import type { Alert } from '../apps/defender-sandbox/src/model/entities';
import { RelayHarness, startRelay } from './support/relay-harness';
import { DEMO_CLAIMS, hsToken } from './support/tokens';

// Alert triage from /respond over real HTTP against the sandbox: what is offered for an
// observable's open alerts, and what one trigger sends (Defender's batchUpdate or Graph's $batch).

/** Each test triages its own address: the relay keeps alert lists briefly, the sandbox is reset between tests. */
let IP = '203.0.113.1';
let nextIp = 1;
const TRIAGE = 'microsoft-defender-triage-alerts';
const ASSIGNEE = 'soc-lead@contosodemo.onmicrosoft.com';
const SUCCESS = { data: { status: 'success' } };

interface Action {
  id: string;
  title: string;
  description: string;
  'query-params': Record<string, string>;
}

const HOUR = 3_600_000;
/** An alert of the IP, `hoursAgo` old, cloned from a seeded one. */
function ipAlert(n: number, status: Alert['status'], hoursAgo: number, severity: Alert['severity'] = 'Medium'): Alert {
  const base = structuredClone(DEMO_ALERTS[0]);
  const at = new Date(Date.now() - hoursAgo * HOUR).toISOString();
  return {
    ...base,
    id: `da63868${String(n).padStart(12, '0')}_1`,
    status,
    severity,
    classification: null,
    determination: null,
    assignedTo: null,
    title: `Traffic to ${IP} #${n}`,
    alertCreationTime: at,
    firstEventTime: at,
    lastEventTime: at,
    lastUpdateTime: at,
    comments: [],
    evidence: [{ ...base.evidence[0], entityType: 'Ip', sha1: null, sha256: null, fileName: null, filePath: null, ipAddress: IP }],
  };
}

describe('POST /respond: triage of Defender alerts', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay({ ALERT_ASSIGNEE: ASSIGNEE })));
  afterAll(() => relay.close());
  beforeEach(() => {
    relay.sandbox.reset();
    IP = `203.0.113.${++nextIp}`;
  });

  const alerts = () => relay.sandbox.state.primary.alerts;
  /** Three open alerts (two New, one In progress, newest first: #3, #2, #1) and one resolved. */
  const seedIp = (): Alert[] => {
    const added = [ipAlert(1, 'New', 5, 'Low'), ipAlert(2, 'InProgress', 4, 'High'), ipAlert(3, 'New', 3, 'Medium'), ipAlert(4, 'Resolved', 2)];
    alerts().push(...added);
    return added;
  };
  const list = async (observables: Array<{ type: string; value: string }>, r = relay): Promise<Action[]> => {
    const res = await r.post('/respond/observables', observables);
    expect(res.body.errors).toBeUndefined();
    return res.body.data;
  };
  const triageOf = async (type: string, value: string, r = relay) => (await list([{ type, value }], r)).filter((a) => a.id === TRIAGE);
  const run = (action: Action, extra: Record<string, string> = {}, r = relay) => r.post('/respond/trigger', { 'action-id': action.id, ...action['query-params'], ...extra });
  const choice = (actions: Action[], triage: string, classification?: string): Action => {
    const found = actions.find((a) => a['query-params'].triage === triage && a['query-params'].classification === classification);
    if (!found) throw new Error(`no ${triage} ${classification ?? ''} among ${actions.map((a) => a.title).join('; ')}`);
    return found;
  };
  const batches = (route: RouteKey = 'alerts.batchUpdate') => relay.sandbox.stats.entries(route).map((e) => e.body as Record<string, unknown>);
  const stored = (id: string) => alerts().find((a) => a.id === id) as Alert;

  describe('listing', () => {
    it('offers resolve ×3, mark new in progress and assign for an IP with open alerts, one action id told apart by query-params', async () => {
      seedIp();
      const actions = await triageOf('ip', IP);
      expect(actions.map((a) => [a.title, a['query-params']])).toEqual([
        [`Resolve 3 Defender alerts of ${IP}: true positive`, { observable_type: 'ip', observable_value: IP, triage: 'resolve', classification: 'TruePositive' }],
        [`Resolve 3 Defender alerts of ${IP}: false positive`, { observable_type: 'ip', observable_value: IP, triage: 'resolve', classification: 'FalsePositive' }],
        [
          `Resolve 3 Defender alerts of ${IP}: informational, expected activity`,
          { observable_type: 'ip', observable_value: IP, triage: 'resolve', classification: 'InformationalExpectedActivity' },
        ],
        [`Mark 2 new Defender alerts of ${IP} in progress`, { observable_type: 'ip', observable_value: IP, triage: 'in-progress' }],
        [`Assign 3 Defender alerts of ${IP} to ${ASSIGNEE}`, { observable_type: 'ip', observable_value: IP, triage: 'assign' }],
      ]);
      expect(actions[0].description).toBe(
        `Resolves as true positive (determination Other) the 3 alerts, newest first: Medium "Traffic to ${IP} #3", High "Traffic to ${IP} #2", Low "Traffic to ${IP} #1".`,
      );
      expect(actions[3].description).toBe(`Sets to In progress the 2 alerts, newest first: Medium "Traffic to ${IP} #3", Low "Traffic to ${IP} #1".`);
    });

    it('offers nothing when every alert is resolved, or there is none', async () => {
      alerts().push(ipAlert(9, 'Resolved', 1));
      expect(await triageOf('ip', IP)).toEqual([]);
      expect(await triageOf('ip', '192.0.2.201')).toEqual([]);
    });

    it('above ALERT_TRIAGE_MAX it is still listed with the full count and says it acts on the newest 100', async () => {
      alerts().push(...Array.from({ length: 120 }, (_, i) => ipAlert(100 + i, 'New', 200 - i)));
      const resolve = choice(await triageOf('ip', IP), 'resolve', 'TruePositive');
      expect(resolve.title).toBe(`Resolve 120 Defender alerts of ${IP}: true positive`);
      expect(resolve.description).toContain('and 117 more. 120 is above ALERT_TRIAGE_MAX (100): it acts on the newest 100 only.');
      relay.sandbox.stats.reset();
      expect((await run(resolve)).body).toEqual(SUCCESS);
      const [only] = batches();
      expect(batches()).toHaveLength(1);
      const newest100 = Array.from({ length: 100 }, (_, i) => ipAlert(219 - i, 'New', 0).id);
      expect(only.alertIds).toEqual(newest100);
      expect(alerts().filter((a) => a.title.startsWith(`Traffic to ${IP}`) && a.status !== 'Resolved').map((a) => a.id)).toHaveLength(20);
    });
    it('is offered for every type with alerts: hashes, device, host name, user, and a URL or IPv6 address through AlertEvidence', async () => {
      const url = 'https://login-verify.example/reset';
      const v6 = '2001:db8:77::1';
      const byUrl = { ...ipAlert(61, 'New', 1), evidence: [{ ...ipAlert(61, 'New', 1).evidence[0], entityType: 'Url' as const, ipAddress: null, url }] };
      const byV6 = { ...ipAlert(62, 'New', 1), evidence: [{ ...ipAlert(62, 'New', 1).evidence[0], ipAddress: v6 }] };
      alerts().push(byUrl, byV6);
      const observables = [
        { type: 'sha256', value: SEED_FILES.emotetDropper.sha256 },
        { type: 'md5', value: SEED_FILES.emotetDropper.md5 },
        { type: 'hostname', value: 'fin-wks-017' },
        { type: 'user', value: 'CONTOSODEMO\\jdoe' },
        { type: 'url', value: url },
        { type: 'ipv6', value: v6 },
      ];
      const actions = (await list(observables)).filter((a) => a.id === TRIAGE && a['query-params'].classification === 'TruePositive');
      expect(actions.map((a) => a['query-params'].observable_type)).toEqual(observables.map((o) => o.type));
      expect(actions.find((a) => a['query-params'].observable_type === 'url')?.title).toBe(`Resolve 1 Defender alert of ${url}: true positive`);
      relay.sandbox.stats.reset();
      expect((await run(actions.find((a) => a['query-params'].observable_type === 'ipv6') as Action)).body).toEqual(SUCCESS);
      expect(batches()).toEqual([expect.objectContaining({ alertIds: [byV6.id], status: 'Resolved' })]);
    });
  });

  describe('trigger through Defender alerts/batchUpdate', () => {
    it('list → resolve as true positive → one batchUpdate for the 3 open alerts → list again offers no resolve', async () => {
      const [a1, a2, a3, a4] = seedIp();
      const resolve = choice(await triageOf('ip', IP), 'resolve', 'TruePositive');
      relay.sandbox.stats.reset();

      expect((await run(resolve)).body).toEqual(SUCCESS);
      expect(batches()).toEqual([
        {
          alertIds: [a3.id, a2.id, a1.id],
          status: 'Resolved',
          classification: 'TruePositive',
          determination: 'Other',
          comment: expect.stringMatching(/^Resolved as true positive from Cisco XDR through Defender Relay at \d{4}-\d\d-\d\dT[\d:.]+Z$/),
        },
      ]);
      // The trigger read the IP's alerts itself, once.
      expect(relay.sandbox.stats.count('alerts.byIp')).toBe(1);
      for (const a of [a1, a2, a3]) {
        expect(stored(a.id)).toMatchObject({ status: 'Resolved', classification: 'TruePositive', determination: 'Other' });
      }
      expect(stored(a4.id).classification).toBeNull();

      // The comment and classification are on the alert as Defender serves it.
      const served = await fetch(`${relay.sandbox.url}/api/alerts/${a3.id}`, { headers: { authorization: `Bearer ${await sandboxToken(relay)}` } }).then((r) => r.json());
      expect(served).toMatchObject({ status: 'Resolved', classification: 'TruePositive', comments: [{ comment: expect.stringContaining('Cisco XDR through Defender Relay'), createdBy: 'Defender Relay (demo)' }] });

      const after = await triageOf('ip', IP);
      expect(after.map((a) => a.title)).toEqual([]);
    });

    it('a second identical trigger finds nothing open and sends nothing (success)', async () => {
      seedIp();
      const resolve = choice(await triageOf('ip', IP), 'resolve', 'FalsePositive');
      expect((await run(resolve)).body).toEqual(SUCCESS);
      relay.sandbox.stats.reset();
      expect((await run(resolve)).body).toEqual(SUCCESS);
      expect(relay.sandbox.stats.count('alerts.batchUpdate')).toBe(0);
    });

    it('re-reads instead of trusting the listing: an alert resolved meanwhile is left alone', async () => {
      const [a1, , a3] = seedIp();
      const resolve = choice(await triageOf('ip', IP), 'resolve', 'InformationalExpectedActivity');
      Object.assign(stored(a3.id), { status: 'Resolved', classification: 'FalsePositive' });
      relay.sandbox.stats.reset();
      expect((await run(resolve)).body).toEqual(SUCCESS);
      expect(batches()).toEqual([expect.objectContaining({ alertIds: [seedIdOf(2), a1.id], classification: 'InformationalExpectedActivity', determination: 'ConfirmedUserActivity' })]);
      expect(stored(a3.id).classification).toBe('FalsePositive');
    });

    it('mark in progress touches only the New ones; assign sets the assignee; each once', async () => {
      const [a1, a2, a3] = seedIp();
      const actions = await triageOf('ip', IP);
      relay.sandbox.stats.reset();
      expect((await run(choice(actions, 'in-progress'))).body).toEqual(SUCCESS);
      expect(batches()).toEqual([{ alertIds: [a3.id, a1.id], status: 'InProgress', comment: expect.stringContaining('Marked in progress from Cisco XDR through Defender Relay at ') }]);
      expect((await run(choice(actions, 'assign'))).body).toEqual(SUCCESS);
      expect(batches()[1]).toEqual({ alertIds: [a3.id, a2.id, a1.id], assignedTo: ASSIGNEE, comment: expect.stringContaining(`Assigned to ${ASSIGNEE} from Cisco XDR`) });
      expect((await run(choice(actions, 'assign'))).body).toEqual(SUCCESS);
      expect((await run(choice(actions, 'in-progress'))).body).toEqual(SUCCESS);
      expect(batches()).toHaveLength(2);
      expect((await triageOf('ip', IP)).map((a) => a['query-params'].triage)).toEqual(['resolve', 'resolve', 'resolve']);
    });

    it('alert_ids narrows the triage to alerts of the observable', async () => {
      const [a1] = seedIp();
      relay.sandbox.stats.reset();
      const resolve = choice(await triageOf('ip', IP), 'resolve', 'TruePositive');
      expect((await run(resolve, { alert_ids: a1.id })).body).toEqual(SUCCESS);
      expect(batches().map((b) => b.alertIds)).toEqual([[a1.id]]);
    });

    it('respects the Defender quota of 10 batchUpdate calls a minute by its own limiter entry', async () => {
      const limited = await startRelay({ DEFENDER_RATE_LIMIT: 'on', REQUEST_DEADLINE_MS: '2000' });
      try {
        limited.sandbox.state.primary.alerts.push(ipAlert(1, 'New', 1));
        const ok = [];
        for (let i = 0; i < 11; i++) {
          limited.sandbox.state.primary.alerts[limited.sandbox.state.primary.alerts.length - 1].status = 'New';
          ok.push((await limited.post('/respond/trigger', { 'action-id': TRIAGE, observable_type: 'ip', observable_value: IP, triage: 'in-progress' })).body);
        }
        expect(ok.slice(0, 10)).toEqual(Array(10).fill(SUCCESS));
        expect(ok[10]).toEqual({ data: { status: 'failure' }, errors: [expect.objectContaining({ code: 'too many requests' })] });
        expect(limited.sandbox.stats.count('alerts.batchUpdate')).toBe(10);
      } finally {
        await limited.close();
      }
    });
  });

  describe('more alerts than one batch', () => {
    let big: RelayHarness;
    beforeAll(async () => (big = await startRelay({ ALERT_TRIAGE_MAX: '1000' })));
    afterAll(() => big.close());
    beforeEach(() => {
      big.sandbox.reset();
      IP = `203.0.113.${++nextIp}`;
    });

    it('250 alerts → ⌈250/100⌉ = 3 batchUpdate calls, each alert once', async () => {
      big.sandbox.state.primary.alerts.push(...Array.from({ length: 250 }, (_, i) => ipAlert(500 + i, 'New', 300 - i)));
      const resolve = choice(await triageOf('ip', IP, big), 'resolve', 'TruePositive');
      big.sandbox.stats.reset();
      expect((await run(resolve, {}, big)).body).toEqual(SUCCESS);
      const sizes = big.sandbox.stats.entries('alerts.batchUpdate').map((e) => (e.body as { alertIds: string[] }).alertIds.length);
      expect(sizes).toEqual([100, 100, 50]);
      const sent = big.sandbox.stats.entries('alerts.batchUpdate').flatMap((e) => (e.body as { alertIds: string[] }).alertIds);
      expect(new Set(sent).size).toBe(250);
    });

    it('assign without ALERT_ASSIGNEE is not offered, and a trigger for it is refused before anything is read or sent', async () => {
      big.sandbox.state.primary.alerts.push(ipAlert(70, 'New', 1));
      expect((await triageOf('ip', IP, big)).map((a) => a['query-params'].triage)).toEqual(['resolve', 'resolve', 'resolve', 'in-progress']);
      big.sandbox.stats.reset();
      const res = await big.post('/respond/trigger', { 'action-id': TRIAGE, observable_type: 'ip', observable_value: IP, triage: 'assign' });
      expect(res.body).toEqual({
        data: { status: 'failure' },
        errors: [{ type: 'fatal', code: 'invalid request', message: 'No ALERT_ASSIGNEE is configured to assign alerts to, so nothing was sent to Microsoft Defender for Endpoint' }],
      });
      expect(big.sandbox.stats.count('alerts.byIp') + big.sandbox.stats.count('alerts.batchUpdate')).toBe(0);
    });

    it('a Defender that allows fewer ids per call (400 MaximumBatchSizeExceeded) gets them in the size it names, none twice', async () => {
      big.sandbox.configure({ alertBatchMaxIds: 40 });
      big.sandbox.state.primary.alerts.push(...Array.from({ length: 90 }, (_, i) => ipAlert(800 + i, 'New', 100 - i)));
      big.sandbox.stats.reset();
      expect((await big.post('/respond/trigger', { 'action-id': TRIAGE, observable_type: 'ip', observable_value: IP, triage: 'in-progress' })).body).toEqual(SUCCESS);
      const calls = big.sandbox.stats.entries('alerts.batchUpdate').map((e) => [e.status, (e.body as { alertIds: string[] }).alertIds.length]);
      expect(calls).toEqual([
        [400, 90],
        [200, 40],
        [200, 40],
        [200, 10],
      ]);
      expect(big.sandbox.state.primary.alerts.filter((a) => a.title.startsWith(`Traffic to ${IP}`) && a.status === 'InProgress')).toHaveLength(90);
    });
  });

  describe('trigger through Microsoft Graph alerts_v2 (ALERTS_API=graph)', () => {
    let graph: RelayHarness;
    beforeAll(async () => (graph = await startRelay({ ALERTS_API: 'graph' })));
    afterAll(() => graph.close());
    beforeEach(() => {
      graph.sandbox.reset();
      IP = `203.0.113.${++nextIp}`;
    });

    it('3 alerts → one $batch of 3 PATCHes and 3 comments; the alert carries the classification and the comment', async () => {
      graph.sandbox.state.primary.alerts.push(ipAlert(1, 'New', 5), ipAlert(2, 'InProgress', 4), ipAlert(3, 'New', 3));
      const resolve = choice(await triageOf('ip', IP, graph), 'resolve', 'FalsePositive');
      graph.sandbox.stats.reset();
      expect((await run(resolve, {}, graph)).body).toEqual(SUCCESS);
      expect(graph.sandbox.stats.count('graph.batch')).toBe(1);
      expect(graph.sandbox.stats.count('alerts.batchUpdate')).toBe(0);
      const patches = graph.sandbox.stats.entries('graph.alerts.update');
      expect(patches.map((p) => p.path).sort()).toEqual([1, 2, 3].map((n) => `/v1.0/security/alerts_v2/${ipAlert(n, 'New', 0).id}`).sort());
      patches.forEach((p) => expect(p.body).toEqual({ status: 'resolved', classification: 'falsePositive', determination: 'notMalicious' }));
      expect(graph.sandbox.stats.count('graph.alerts.comments')).toBe(3);
      const alert = graph.sandbox.state.primary.alerts.find((a) => a.id === ipAlert(3, 'New', 0).id) as Alert;
      expect(alert).toMatchObject({ status: 'Resolved', classification: 'FalsePositive', determination: 'Clean' });
      expect(alert.comments[0].comment).toMatch(/^Resolved as false positive from Cisco XDR through Defender Relay at /);

      graph.sandbox.stats.reset();
      expect((await run(resolve, {}, graph)).body).toEqual(SUCCESS);
      expect(graph.sandbox.stats.count('graph.batch')).toBe(0);
    });

    it('12 alerts → two $batch calls (10 alerts of 2 requests each, then 2)', async () => {
      graph.sandbox.state.primary.alerts.push(...Array.from({ length: 12 }, (_, i) => ipAlert(40 + i, 'New', 20 - i)));
      graph.sandbox.stats.reset();
      expect((await graph.post('/respond/trigger', { 'action-id': TRIAGE, observable_type: 'ip', observable_value: IP, triage: 'in-progress' })).body).toEqual(SUCCESS);
      expect(graph.sandbox.stats.entries('graph.batch').map((e) => (e.body as { requests: unknown[] }).requests.length)).toEqual([20, 4]);
      expect(graph.sandbox.stats.count('graph.alerts.update')).toBe(12);
    });

    it('an app without SecurityAlert.ReadWrite.All → failure naming it; no alert changed', async () => {
      graph.sandbox.state.primary.alerts.push(ipAlert(1, 'New', 5));
      const token = hsToken({ ...DEMO_CLAIMS, client_id: DEFENDER_ONLY_CLIENT_ID, client_secret: DEFENDER_ONLY_CLIENT_SECRET });
      const res = await graph.post('/respond/trigger', { 'action-id': TRIAGE, observable_type: 'ip', observable_value: IP, triage: 'in-progress' }, { token });
      expect(res.body.data).toEqual({ status: 'failure' });
      expect(res.body.errors).toEqual([
        {
          type: 'fatal',
          code: 'permission denied',
          message: expect.stringContaining('Updating alerts through Microsoft Graph needs the application permission SecurityAlert.ReadWrite.All with admin consent'),
        },
      ]);
      expect(graph.sandbox.state.primary.alerts.find((a) => a.id === ipAlert(1, 'New', 0).id)?.status).toBe('New');
    });
  });

  it('an app without Alert.ReadWrite.All → failure naming it; no alert changed', async () => {
    seedIp();
    const token = hsToken({ ...DEMO_CLAIMS, client_id: ALERT_READER_CLIENT_ID, client_secret: ALERT_READER_CLIENT_SECRET });
    const res = await relay.post('/respond/trigger', { 'action-id': TRIAGE, observable_type: 'ip', observable_value: IP, triage: 'resolve', classification: 'TruePositive' }, { token });
    expect(res.body).toEqual({
      data: { status: 'failure' },
      errors: [
        {
          type: 'fatal',
          code: 'permission denied',
          message: expect.stringMatching(/Alert\.ReadWrite\.All.*Updating alerts through Microsoft Defender for Endpoint needs the application permission Alert\.ReadWrite\.All with admin consent$/),
        },
      ],
    });
    expect(alerts().filter((a) => a.status === 'Resolved' && a.title.startsWith('Traffic to'))).toHaveLength(1);
  });

  describe('bad input: a clear error and nothing sent', () => {
    const trigger = (body: Record<string, unknown>) => relay.post('/respond/trigger', { 'action-id': TRIAGE, observable_type: 'ip', observable_value: IP, ...body });
    const cases: Array<[string, Record<string, unknown>, string, string]> = [
      ['an unknown classification', { triage: 'resolve', classification: 'Benign' }, 'invalid payload', "'classification' must be one of TruePositive, FalsePositive, InformationalExpectedActivity"],
      ['a missing triage', {}, 'invalid payload', "Invalid JSON payload received: 'triage' is required to triage alerts"],
      ['a mistyped triage', { triage: 'reslove' }, 'invalid payload', "'triage' must be one of resolve, in-progress, assign"],
      ['resolve without classification', { triage: 'resolve' }, 'invalid payload', "Invalid JSON payload received: 'classification' is required to resolve alerts"],
      [
        'a determination of another classification',
        { triage: 'resolve', classification: 'FalsePositive', determination: 'Malware' },
        'invalid payload',
        "Invalid JSON payload received: 'determination' Malware does not go with FalsePositive; use one of Clean, InsufficientData, Other, so nothing was sent to Microsoft Defender for Endpoint",
      ],
      ['a type without alerts', { observable_type: 'email', observable_value: 'a@b.example', triage: 'in-progress' }, 'unsupported type', "Observable type 'email' is not supported by this action"],
      [
        'an alert id of another observable',
        { triage: 'in-progress', alert_ids: DEMO_ALERTS[0].id },
        'invalid request',
        `Alert ${DEMO_ALERTS[0].id} is not an alert of ip 203.0.113.`,
      ],
    ];
    it.each(cases)('%s', async (_what, body, code, message) => {
      seedIp();
      relay.sandbox.stats.reset();
      const res = await trigger(body);
      // A malformed field is refused by the pipe (no data), a refused triage answers failure.
      expect(res.body.data?.status ?? 'failure').toBe('failure');
      expect(res.body.errors).toEqual([{ type: 'fatal', code, message: expect.stringContaining(message) }]);
      expect(relay.sandbox.stats.count('alerts.batchUpdate')).toBe(0);
      expect(alerts().filter((a) => a.title.startsWith('Traffic to') && a.status === 'Resolved')).toHaveLength(1);
    });
  });

  it('observe shows the new status, classification, determination and assignee', async () => {
    const [, , a3] = seedIp();
    const actions = await triageOf('ip', IP);
    await run(choice(actions, 'assign'));
    await run(choice(actions, 'resolve', 'TruePositive'));
    const res = await relay.post('/observe/observables', [{ type: 'ip', value: IP }]);
    const sighting = res.body.data.sightings.docs.find((s: { external_ids?: string[] }) => s.external_ids?.includes(a3.id));
    expect(sighting.resolution).toBe('resolved: true positive');
    const row = Object.fromEntries(sighting.data.columns.map((c: { name: string }, i: number) => [c.name, sighting.data.rows[0][i]]));
    expect(row).toMatchObject({ Status: 'Resolved', Classification: 'TruePositive', Determination: 'Other', AssignedTo: ASSIGNEE });
  });

  it("the alerts-summary tile's New and In progress counts move after a triage, within the tiles' cache lifetime", async () => {
    seedIp();
    const figures = async () => {
      const res = await relay.post('/tiles/tile-data', { tile_id: 'alerts-summary', period: 'last_24_hours' });
      return Object.fromEntries(res.body.data.data.map((m: { label: string; value: number }) => [m.label, m.value]));
    };
    const before = await figures();
    await run(choice(await triageOf('ip', IP), 'in-progress'));
    const after = await figures();
    expect([after.New, after['In progress']]).toEqual([before.New - 2, before['In progress'] + 2]);
  });

  it('listing right after observing the same observables reads no alert again (4 observables; 4 alert reads without the observe)', async () => {
    seedIp();
    const four = [
      { type: 'ip', value: IP },
      { type: 'sha1', value: SEED_FILES.emotetDropper.sha1 },
      { type: 'domain', value: SEED_NETWORK.payloadDomain },
      { type: 'ms_machine_id', value: DEMO_MACHINE_IDS.win10 },
    ];
    const ALERT_READS = ['alerts.list', 'alerts.get', 'alerts.byFile', 'alerts.byDomain', 'alerts.byIp', 'alerts.byMachine', 'alerts.byUser', 'hunting', 'graph.hunting'] as const;
    const listing = async (): Promise<{ alertReads: number; calls: Record<string, number> }> => {
      relay.sandbox.stats.reset();
      const actions = await list(four);
      expect(actions.filter((a) => a.id === TRIAGE).length).toBeGreaterThan(0);
      const calls = Object.fromEntries(Object.entries(relay.sandbox.stats.byRoute()).filter(([route, n]) => n > 0 && route !== 'token'));
      return { alertReads: ALERT_READS.reduce((sum, route) => sum + (calls[route] ?? 0), 0), calls };
    };
    // Without an observe first, each observable's alerts are read; a triage then forgets every list.
    const cold = await listing();
    expect(cold.alertReads).toBe(4);
    await run(choice(await triageOf('ip', IP), 'in-progress'));
    await relay.post('/observe/observables', four);
    const warm = await listing();
    expect(warm.alertReads).toBe(0);
    // The figures for the report: every Defender call of each listing.
    process.stdout.write(`respond listing of 4 observables without an observe before: ${JSON.stringify(cold.calls)}\n`);
    process.stdout.write(`respond listing of 4 observables right after observing them: ${JSON.stringify(warm.calls)}\n`);
  });
});

/** 2 is the In progress alert of `seedIp`. */
function seedIdOf(n: number): string {
  return ipAlert(n, 'New', 0).id;
}

/** A Defender token of the demo app, straight from the sandbox (to read what it serves). */
async function sandboxToken(relay: RelayHarness): Promise<string> {
  const { DEMO_TENANT_ID, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } = await import('../apps/defender-sandbox/src');
  const res = await fetch(`${relay.sandbox.url}/${DEMO_TENANT_ID}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, resource: 'https://api.securitycenter.microsoft.com' }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}
