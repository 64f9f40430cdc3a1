/**
 * XDR dashboard tiles against the sandbox. The relay's clock stands at the seed's base time, and
 * every expected figure is computed here, from the seed alone, with this file's own arithmetic.
 */
import {
  Alert,
  DEFENDER_ONLY_CLIENT_ID,
  DEFENDER_ONLY_CLIENT_SECRET,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_TENANT,
  DEMO_TENANT_ID,
  NOPERM_CLIENT_ID,
  NOPERM_CLIENT_SECRET,
  OTHER_CLIENT_ID,
  OTHER_CLIENT_SECRET,
  OTHER_TENANT_ID,
  REAL_PAYLOADS,
  RouteKey,
  SandboxSeed,
  SEED_BASE_TIME,
} from '../apps/defender-sandbox/src';
import { sourceLabel } from '../apps/relay/src/tiles/tile-data.mapper';
import { RelayHarness, startRelay } from './support/relay-harness';
import { hsToken } from './support/tokens';

const NOW = Date.parse(SEED_BASE_TIME);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PERIOD_MS = { last_hour: HOUR, last_24_hours: DAY, last_7_days: 7 * DAY, last_30_days: 30 * DAY } as const;
type Period = keyof typeof PERIOD_MS;
const PERIODS = Object.keys(PERIOD_MS) as Period[];
const TILE_IDS = ['alerts-summary', 'alerts-over-time', 'top-alerted-devices', 'alerts-by-detection-source', 'device-posture', 'response-activity'];
const SEVERITIES: Alert['severity'][] = ['High', 'Medium', 'Low', 'Informational'];
const PORTAL = 'https://security.microsoft.com';
const ALERT_QUEUE = `${PORTAL}/alerts?tid=${DEMO_TENANT_ID}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- relay answers are read as arbitrary JSON
type Answer = any;

const since = (period: Period) => NOW - PERIOD_MS[period];
const inPeriod = (iso: string | null, period: Period) => Date.parse(iso ?? '') >= since(period) && Date.parse(iso ?? '') <= NOW;
const countBy = <T>(items: T[], key: (item: T) => string) => items.reduce<Record<string, number>>((acc, item) => ({ ...acc, [key(item)]: (acc[key(item)] ?? 0) + 1 }), {});
const severityOf = (a: Alert): string => (SEVERITIES.includes(a.severity) ? a.severity : 'Informational');
const alertsIn = (period: Period, alerts = DEMO_TENANT.alerts) => alerts.filter((a) => inPeriod(a.alertCreationTime, period));

/** The UTC hour or day an instant falls in, by calendar arithmetic (not the relay's). */
function truncate(ms: number, unit: 'hour' | 'day'): number {
  const d = new Date(ms);
  if (unit === 'hour') d.setUTCMinutes(0, 0, 0);
  else d.setUTCHours(0, 0, 0, 0);
  return d.getTime();
}

function expectedBars(period: Period): { key: number; counts: Record<string, number> }[] {
  const unit = period === 'last_hour' || period === 'last_24_hours' ? 'hour' : 'day';
  const bars: { key: number; counts: Record<string, number> }[] = [];
  for (const d = new Date(truncate(since(period), unit)); d.getTime() <= NOW; unit === 'hour' ? d.setUTCHours(d.getUTCHours() + 1) : d.setUTCDate(d.getUTCDate() + 1)) {
    const inBar = alertsIn(period).filter((a) => truncate(Date.parse(a.alertCreationTime), unit) === d.getTime());
    bars.push({ key: d.getTime(), counts: countBy(inBar, severityOf) });
  }
  return bars;
}

const LEGIT = hsToken({ client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID });
const tileDataOf = (relay: RelayHarness, tile_id: string, period: string, token = LEGIT) => relay.post('/tiles/tile-data', { tile_id, period }, { token });

describe('dashboard tiles', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay({}, {}, { clock: () => NOW })));
  afterAll(() => relay.close());

  const tileData = (tile_id: string, period: string, token = LEGIT) => tileDataOf(relay, tile_id, period, token);

  describe('POST /tiles and /tiles/tile', () => {
    it('lists the six tiles with their type, texts, the four periods and a default period', async () => {
      const res = await relay.post('/tiles');
      expect(res.status).toBe(200);
      expect(res.body.data.map((t: Answer) => [t.id, t.type])).toEqual([
        ['alerts-summary', 'metric_group'],
        ['alerts-over-time', 'vertical_bar_chart'],
        ['top-alerted-devices', 'horizontal_bar_chart'],
        ['alerts-by-detection-source', 'donut_graph'],
        ['device-posture', 'metric_group'],
        ['response-activity', 'metric_group'],
      ]);
      for (const tile of res.body.data) {
        expect(Object.keys(tile).sort()).toEqual(['default_period', 'description', 'id', 'periods', 'short_description', 'tags', 'title', 'type']);
        expect(tile.periods).toEqual(PERIODS);
        expect(PERIODS).toContain(tile.default_period);
        expect(tile.tags).toContain('Microsoft Defender for Endpoint');
      }
    });

    it('answers one tile by its id, and an unknown id as an invalid request', async () => {
      const listed = (await relay.post('/tiles')).body.data;
      expect((await relay.post('/tiles/tile', { tile_id: 'device-posture' })).body).toEqual({ data: listed[4] });
      const unknown = await relay.post('/tiles/tile', { tile_id: 'no-such-tile' });
      expect(unknown.status).toBe(200);
      expect(unknown.body).toEqual({ errors: [{ type: 'fatal', code: 'invalid request', message: expect.stringMatching(/^Unknown tile_id 'no-such-tile'; POST \/tiles lists the tiles: alerts-summary, /) }] });
    });

    it('need the module JWT, like every other route, and make no Defender call', async () => {
      const before = relay.sandbox.stats.count();
      for (const path of ['/tiles', '/tiles/tile', '/tiles/tile-data']) {
        const res = await relay.post(path, { tile_id: 'alerts-summary', period: 'last_hour' }, { token: null });
        expect(res.body.errors[0]).toEqual({ type: 'fatal', code: 'authorization error', message: 'Authorization failed: Authorization header is missing' });
        expect(res.body.data).toBeUndefined();
      }
      await relay.post('/tiles');
      await relay.post('/tiles/tile', { tile_id: 'alerts-summary' });
      expect(relay.sandbox.stats.count()).toBe(before);
    });
  });

  describe.each(PERIODS)('tile data for %s, against figures computed from the seed', (period) => {
    it('every tile carries its period as observed time, cache scope org, and valid time of one cache lifetime', async () => {
      for (const tile of TILE_IDS) {
        const res = await tileData(tile, period);
        expect(res.body.errors).toBeUndefined();
        // Device posture and response activity are kept five times as long as alert counts.
        const lifetime = tile === 'device-posture' || tile === 'response-activity' ? 5 * 60_000 : 60_000;
        expect(res.body.data).toMatchObject({
          observed_time: { start_time: new Date(since(period)).toISOString(), end_time: SEED_BASE_TIME },
          valid_time: { start_time: SEED_BASE_TIME, end_time: new Date(NOW + lifetime).toISOString() },
          cache_scope: 'org',
        });
      }
    });

    it('alerts-summary: alerts created in the period by severity, and the New / In progress among them', async () => {
      const alerts = alertsIn(period);
      const bySeverity = countBy(alerts, severityOf);
      const byStatus = countBy(alerts, (a) => a.status);
      const { data } = (await tileData('alerts-summary', period)).body.data;
      expect(data.map((m: Answer) => [m.label, m.value])).toEqual([
        ...SEVERITIES.map((s) => [s, bySeverity[s] ?? 0]),
        ['New', byStatus.New ?? 0],
        ['In progress', byStatus.InProgress ?? 0],
      ]);
      expect(alerts.length).toBeGreaterThan(0);
      for (const m of data) expect(m).toMatchObject({ 'value-unit': 'integer', link_uri: ALERT_QUEUE, icon: expect.any(String) });
    });

    it('alerts-over-time: one bar per UTC hour or day of the period, stacked by severity', async () => {
      const body = (await tileData('alerts-over-time', period)).body.data;
      expect(body.key_type).toBe('timestamp');
      expect(body.keys).toEqual(SEVERITIES.map((s) => ({ key: s.toLowerCase(), label: s })));
      const expected = expectedBars(period);
      expect(body.data.map((bar: Answer) => bar.key)).toEqual(expected.map((bar) => bar.key));
      body.data.forEach((bar: Answer, i: number) => {
        const counts = expected[i].counts;
        expect(bar.values.map((v: Answer) => [v.key, v.value])).toEqual(SEVERITIES.map((s) => [s.toLowerCase(), counts[s] ?? 0]));
        expect(bar.value).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
        for (const v of bar.values) expect(v).toMatchObject({ link_uri: ALERT_QUEUE, tooltip: expect.stringContaining('UTC') });
      });
      expect(body.data.reduce((total: number, bar: Answer) => total + bar.value, 0)).toBe(alertsIn(period).length);
    });

    it('top-alerted-devices: the 10 devices with most alerts, stacked by severity, each linking to its page', async () => {
      const byDevice = new Map<string, Alert[]>();
      for (const alert of alertsIn(period).filter((a) => a.machineId)) byDevice.set(alert.machineId as string, [...(byDevice.get(alert.machineId as string) ?? []), alert]);
      const name = (alerts: Alert[]) => alerts.find((a) => a.computerDnsName)?.computerDnsName ?? alerts[0].machineId;
      const expected = [...byDevice]
        .map(([id, alerts]) => ({ key: id, label: name(alerts), value: alerts.length, counts: countBy(alerts, severityOf) }))
        .sort((a, b) => b.value - a.value || String(a.label).localeCompare(String(b.label)))
        .slice(0, 10);
      const body = (await tileData('top-alerted-devices', period)).body.data;
      expect(body.keys.map((k: Answer) => k.key)).toEqual(['high', 'medium', 'low', 'informational']);
      expect(body.data.map((bar: Answer) => [bar.key, bar.label, bar.value])).toEqual(expected.map((d) => [d.key, d.label, d.value]));
      body.data.forEach((bar: Answer, i: number) => {
        expect(bar.values.map((v: Answer) => v.value)).toEqual(SEVERITIES.map((s) => expected[i].counts[s] ?? 0));
        for (const v of bar.values) expect(v.link_uri).toBe(`${PORTAL}/machines/${bar.key}/overview?tid=${DEMO_TENANT_ID}`);
      });
    });

    it('alerts-by-detection-source: detection sources (portal names) as the outer ring, statuses inside', async () => {
      const alerts = alertsIn(period);
      const bySource = countBy(alerts, (a) => a.detectionSource);
      // The portal names are the relay's own table; each seeded source has one.
      for (const source of Object.keys(bySource)) expect(sourceLabel(source)).not.toBe(source);
      const body = (await tileData('alerts-by-detection-source', period)).body.data;
      const [outer, inner] = body.labels;
      expect(inner).toEqual(['New', 'In progress', 'Resolved', 'Unknown']);
      expect(Object.fromEntries(body.data.map((ring: Answer) => [outer[ring.key], ring.value]))).toEqual(
        Object.fromEntries(Object.entries(bySource).map(([source, n]) => [sourceLabel(source), n])),
      );
      for (const ring of body.data) {
        const source = Object.keys(bySource).find((s) => sourceLabel(s) === outer[ring.key]);
        const byStatus = countBy(alerts.filter((a) => a.detectionSource === source), (a) => ({ InProgress: 'In progress' })[a.status as 'InProgress'] ?? a.status);
        expect(Object.fromEntries(ring.segments.map((s: Answer) => [inner[s.key], s.value]))).toEqual(byStatus);
        expect(ring.value).toBe(ring.segments.reduce((t: number, s: Answer) => t + s.value, 0));
      }
    });

    it('device-posture: onboarded devices by health, high risk, high exposure, and devices isolated now', async () => {
      const onboarded = DEMO_TENANT.machines.filter((m) => m.onboardingStatus === 'Onboarded');
      const health = countBy(onboarded, (m) => (m.healthStatus === 'NoSensorDataImpairedCommunication' ? 'NoSensorData' : m.healthStatus));
      const isolated = new Set(
        DEMO_TENANT.machines
          .map((m) => DEMO_TENANT.machineActions.filter((a) => a.machineId === m.id && a.status === 'Succeeded' && ['Isolate', 'Unisolate'].includes(a.type)))
          .map((actions) => actions.sort((a, b) => Date.parse(b.creationDateTimeUtc) - Date.parse(a.creationDateTimeUtc))[0])
          .filter((latest) => latest?.type === 'Isolate')
          .map((latest) => latest.machineId),
      );
      const { data } = (await tileData('device-posture', period)).body.data;
      expect(data.map((m: Answer) => [m.label, m.value])).toEqual([
        ['Active', health.Active ?? 0],
        ['Inactive', health.Inactive ?? 0],
        ['Impaired communication', health.ImpairedCommunication ?? 0],
        ['No sensor data', health.NoSensorData ?? 0],
        ['High risk', onboarded.filter((m) => m.riskScore === 'High').length],
        ['High exposure', onboarded.filter((m) => m.exposureLevel === 'High').length],
        ['Isolated', isolated.size],
      ]);
      // One of them was isolated longer ago than any period, and one device is not onboarded.
      expect(isolated.size).toBe(2);
      // A device isolated in 2019 and since offboarded: in the history, gone from the inventory, so not isolated now.
      expect(DEMO_TENANT.machineActions.filter((a) => a.machineId === REAL_PAYLOADS.offboardedMachineId).map((a) => [a.type, a.status])).toEqual([['Isolate', 'Succeeded']]);
      expect(DEMO_TENANT.machines.map((m) => m.id)).not.toContain(REAL_PAYLOADS.offboardedMachineId);
      expect(onboarded.length).toBe(DEMO_TENANT.machines.length - 1);
      for (const m of data) expect(m.link_uri).toBe(`${PORTAL}/machines?tid=${DEMO_TENANT_ID}`);
    });

    it('response-activity: machine actions created in the period by status, and indicators added', async () => {
      const OUTCOME: Record<string, string> = { Pending: 'Pending', InProgress: 'Pending', Succeeded: 'Succeeded', Failed: 'Failed', TimeOut: 'Failed', Cancelled: 'Cancelled' };
      const actions = countBy(DEMO_TENANT.machineActions.filter((a) => inPeriod(a.creationDateTimeUtc, period)), (a) => OUTCOME[a.status]);
      const indicators = DEMO_TENANT.indicators.filter((i) => inPeriod(i.creationTimeDateTimeUtc, period));
      const { data } = (await tileData('response-activity', period)).body.data;
      expect(data.map((m: Answer) => [m.label, m.value])).toEqual([
        ['Pending', actions.Pending ?? 0],
        ['Succeeded', actions.Succeeded ?? 0],
        ['Failed', actions.Failed ?? 0],
        ['Cancelled', actions.Cancelled ?? 0],
        ['Indicators added', indicators.length],
      ]);
      expect(data[0].link_uri).toBe(`${PORTAL}/action-center/history?tid=${DEMO_TENANT_ID}`);
      expect(data.map((m: Answer) => m.value).some((v: number) => v > 0)).toBe(true);
    });
  });

});

describe('what a dashboard costs in Defender calls', () => {
  const ROUTES: RouteKey[] = ['alerts.list', 'machines.list', 'machineactions.list', 'indicators.list'];
  let clock = NOW;
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay({}, {}, { clock: () => clock })));
  afterAll(() => relay.close());

  const defenderCalls = () => Object.fromEntries(ROUTES.map((r) => [r, relay.sandbox.stats.count(r)]));
  const allTiles = async () => {
    for (const period of PERIODS) {
      const answers = await Promise.all(TILE_IDS.map((tile) => tileDataOf(relay, tile, period)));
      for (const answer of answers) expect(answer.body.errors).toBeUndefined();
    }
  };

  it('6 tiles × 4 periods: one alerts read per period, the devices, isolations, actions and indicators once; nothing more while warm', async () => {
    await allTiles();
    expect(defenderCalls()).toEqual({ 'alerts.list': 4, 'machines.list': 1, 'machineactions.list': 2, 'indicators.list': 1 });
    clock += 59_000;
    await allTiles();
    expect(defenderCalls()).toEqual({ 'alerts.list': 4, 'machines.list': 1, 'machineactions.list': 2, 'indicators.list': 1 });
    clock += 1_000; // a minute after the first read: the alert counts are read again, once each
    await allTiles();
    expect(defenderCalls()).toEqual({ 'alerts.list': 8, 'machines.list': 1, 'machineactions.list': 2, 'indicators.list': 1 });
    clock += 4 * 60_000; // five minutes after the first read: the fleet and activity reads too
    await allTiles();
    expect(defenderCalls()).toEqual({ 'alerts.list': 12, 'machines.list': 2, 'machineactions.list': 4, 'indicators.list': 2 });
  });

  it('one period refreshed every minute for ten minutes costs at most 3 Defender calls a minute on average', async () => {
    const start = { ...defenderCalls() };
    const total = () => Object.values(defenderCalls()).reduce((a, b) => a + b, 0) - Object.values(start).reduce((a, b) => a + b, 0);
    const perMinute: number[] = [];
    for (let minute = 0; minute < 10; minute++) {
      clock += 60_000;
      const before = total();
      const answers = await Promise.all(TILE_IDS.map((tile) => tileDataOf(relay, tile, 'last_24_hours')));
      for (const answer of answers) expect(answer.body.errors).toBeUndefined();
      perMinute.push(total() - before);
    }
    expect(Math.max(...perMinute.slice(1))).toBeLessThanOrEqual(5);
    expect(perMinute.reduce((a, b) => a + b, 0) / perMinute.length).toBeLessThanOrEqual(3);
  });

  it('reads each list with $top 10,000 and the period as an OData filter', () => {
    const [alerts] = relay.sandbox.stats.entries('alerts.list');
    expect(alerts.query).toEqual({ $filter: `alertCreationTime ge ${new Date(NOW - HOUR).toISOString()}`, $top: '10000' });
    expect(relay.sandbox.stats.entries('machineactions.list').map((e) => e.query.$filter)).toEqual(
      expect.arrayContaining(["status eq 'Succeeded' and type in ('Isolate', 'Unisolate')", `creationDateTimeUtc ge ${new Date(NOW - 30 * DAY).toISOString()}`]),
    );
    expect(relay.sandbox.stats.entries('indicators.list')[0].query.$filter).toBe(`creationTimeDateTimeUtc ge ${new Date(NOW - 30 * DAY).toISOString()}`);
  });

  it('the four alert tiles of a period asked for at once share one read in flight', async () => {
    clock += 60_000;
    const before = relay.sandbox.stats.count('alerts.list');
    relay.sandbox.latency.set('alerts.list', 100);
    try {
      const answers = await Promise.all(TILE_IDS.slice(0, 4).map((tile) => tileDataOf(relay, tile, 'last_7_days')));
      expect(answers.map((a) => a.body.errors)).toEqual([undefined, undefined, undefined, undefined]);
    } finally {
      relay.sandbox.latency.clear();
    }
    expect(relay.sandbox.stats.count('alerts.list')).toBe(before + 1);
  });
});

describe('bad tile-data requests', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay({}, {}, { clock: () => NOW })));
  afterAll(() => relay.close());

  it.each([
    ['an unknown tile', { tile_id: 'alerts', period: 'last_hour' }, 'invalid request', /^Unknown tile_id 'alerts'; POST \/tiles lists the tiles: alerts-summary, alerts-over-time, /],
    ['an unknown period', { tile_id: 'alerts-summary', period: 'last_90_days' }, 'invalid request', /^Unknown period 'last_90_days'; the periods are: last_hour, last_24_hours, last_7_days, last_30_days$/],
    ['a period in another case', { tile_id: 'alerts-summary', period: 'LAST_HOUR' }, 'invalid request', /^Unknown period 'LAST_HOUR'/],
    ['no period', { tile_id: 'alerts-summary' }, 'invalid payload', /^Invalid JSON payload received: 'period' must be a string$/],
    ['a numeric tile id', { tile_id: 1, period: 'last_hour' }, 'invalid payload', /^Invalid JSON payload received: 'tile_id' must be a string$/],
    ['an array', [{ tile_id: 'alerts-summary', period: 'last_hour' }], 'invalid payload', /^Invalid JSON payload received: expected an object with 'tile_id' and 'period'$/],
    ['no body', undefined, 'invalid payload', /^Invalid JSON payload received: expected an object/],
  ])('%s → %s, without asking Defender', async (_name, body, code, message) => {
    const before = relay.sandbox.stats.count();
    const res = await relay.post('/tiles/tile-data', body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ errors: [{ type: 'fatal', code, message: expect.stringMatching(message) }] });
    expect(relay.sandbox.stats.count()).toBe(before);
  });

  it('a tile_id that is a long string is quoted shortened; the next good request is answered', async () => {
    const res = await relay.post('/tiles/tile-data', { tile_id: 'x'.repeat(5000), period: 'last_hour' });
    expect(res.body.errors[0].message.length).toBeLessThan(400);
    const good = await tileDataOf(relay, 'alerts-summary', 'last_hour');
    expect(good.body.errors).toBeUndefined();
    expect(good.body.data.data).toHaveLength(6);
  });
});

describe('an empty period, and another tenant', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay({}, {}, { clock: () => NOW })));
  afterAll(() => relay.close());
  const OTHER = hsToken({ client_id: OTHER_CLIENT_ID, client_secret: OTHER_CLIENT_SECRET, tenant_id: OTHER_TENANT_ID });

  it('the other tenant had no alert in the last hour: zeros and empty charts, not an error', async () => {
    expect(DEMO_TENANT.alerts.length).toBeGreaterThan(0);
    const summary = (await tileDataOf(relay, 'alerts-summary', 'last_hour', OTHER)).body;
    expect(summary.errors).toBeUndefined();
    expect(summary.data.data.map((m: Answer) => m.value)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(summary.data.data[0].link_uri).toBe(`${PORTAL}/alerts?tid=${OTHER_TENANT_ID}`);
    const overTime = (await tileDataOf(relay, 'alerts-over-time', 'last_hour', OTHER)).body.data;
    expect(overTime.data.map((bar: Answer) => bar.value)).toEqual([0, 0]);
    expect((await tileDataOf(relay, 'top-alerted-devices', 'last_hour', OTHER)).body.data.data).toEqual([]);
    expect((await tileDataOf(relay, 'alerts-by-detection-source', 'last_hour', OTHER)).body.data).toMatchObject({ data: [], labels: [[], ['New', 'In progress', 'Resolved', 'Unknown']] });
    const activity = (await tileDataOf(relay, 'response-activity', 'last_hour', OTHER)).body;
    expect(activity).toEqual({ data: expect.objectContaining({ data: expect.any(Array) }) });
    expect(activity.data.data.map((m: Answer) => m.value)).toEqual([0, 0, 0, 0, 0]);
  });

  it('counts only its own tenant: its one alert of the last day, on its one device', async () => {
    const devices = (await tileDataOf(relay, 'top-alerted-devices', 'last_24_hours', OTHER)).body.data.data;
    expect(devices.map((d: Answer) => [d.label, d.value])).toEqual([['fab-wks-001.fabrikam.lab', 1]]);
  });
});

describe('cached tiles need the caller’s own proven credentials', () => {
  const UNKNOWN_APP = 'a77ac4e2-5d0c-4f7e-9d3a-2b1c0e9f8a61';
  const VARIANTS = [
    { name: 'the right app id with a wrong secret', claims: { client_id: DEMO_CLIENT_ID, client_secret: 'wrong-secret', tenant_id: DEMO_TENANT_ID }, code: 'authorization error', says: /AADSTS7000215/ },
    { name: 'an app id the tenant does not have', claims: { client_id: UNKNOWN_APP, client_secret: 'x', tenant_id: DEMO_TENANT_ID }, code: 'authorization error', says: /AADSTS700016/ },
    { name: 'an app of the tenant without permissions', claims: { client_id: NOPERM_CLIENT_ID, client_secret: NOPERM_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID }, code: 'permission denied', says: /./ },
  ];
  let relay: RelayHarness;
  beforeAll(async () => {
    relay = await startRelay({}, {}, { clock: () => NOW });
    // The real app's dashboard: every snapshot of the last 24 hours is now cached.
    for (const tile of TILE_IDS) expect((await tileDataOf(relay, tile, 'last_24_hours')).body.errors).toBeUndefined();
  });
  afterAll(() => relay.close());

  it.each(VARIANTS)('$name gets its credential error and no figures, though the cache is warm', async (variant) => {
    for (const tile of TILE_IDS) {
      const res = await tileDataOf(relay, tile, 'last_24_hours', hsToken(variant.claims));
      expect(res.status).toBe(200);
      expect(res.body.data).toBeUndefined();
      expect(res.body.errors).toEqual([expect.objectContaining({ type: 'fatal', code: variant.code, message: expect.stringMatching(variant.says) })]);
    }
  });

  it('another app of the same tenant reads its own snapshots (new Defender calls), and the real app still answers from the cache', async () => {
    const before = relay.sandbox.stats.count('alerts.list');
    const other = hsToken({ client_id: DEFENDER_ONLY_CLIENT_ID, client_secret: DEFENDER_ONLY_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID });
    const answer = await tileDataOf(relay, 'alerts-summary', 'last_24_hours', other);
    expect(answer.body.errors).toBeUndefined();
    expect(relay.sandbox.stats.count('alerts.list')).toBe(before + 1);
    expect(relay.sandbox.stats.entries('alerts.list').at(-1)?.clientId).toBe(DEFENDER_ONLY_CLIENT_ID);
    expect((await tileDataOf(relay, 'alerts-summary', 'last_24_hours')).body.data).toEqual(answer.body.data);
    expect(relay.sandbox.stats.count('alerts.list')).toBe(before + 1);
  });
});

/** A tenant with 10,050 alerts created in the last day, spread over the hours and severities. */
function bigSeed(count: number): SandboxSeed {
  const template = DEMO_TENANT.alerts[0];
  const alerts: Alert[] = Array.from({ length: count }, (_, i) => ({
    ...template,
    id: `da6386${String(i).padStart(12, '0')}_${i}`,
    severity: SEVERITIES[i % 4],
    status: i % 3 === 0 ? 'Resolved' : 'New',
    alertCreationTime: new Date(NOW - ((i * 7_919) % DAY)).toISOString(),
    evidence: [],
  }));
  return { tenants: [{ ...DEMO_TENANT, alerts }] };
}

describe('a tenant with more than 10,000 alerts in the period', () => {
  const COUNT = 10_050;
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay({}, { seed: bigSeed(COUNT) }, { clock: () => NOW })));
  afterAll(() => relay.close());
  afterEach(() => relay.sandbox.faults.clear());
  const summary = async () => (await tileDataOf(relay, 'alerts-summary', 'last_24_hours')).body;

  it('reads them in two pages ($top 10,000, then $skip 10,000) and counts them all', async () => {
    const answer = await summary();
    expect(answer.errors).toBeUndefined();
    const bySeverity = countBy(alertsIn('last_24_hours', bigSeed(COUNT).tenants[0].alerts), severityOf);
    expect(answer.data.data.slice(0, 4).map((m: Answer) => m.value)).toEqual(SEVERITIES.map((s) => bySeverity[s]));
    expect(answer.data.data.slice(0, 4).reduce((t: number, m: Answer) => t + m.value, 0)).toBe(COUNT);
    expect(relay.sandbox.stats.entries('alerts.list').map((e) => [e.query.$top, e.query.$skip])).toEqual([
      ['10000', undefined],
      ['10000', '10000'],
    ]);
  });

  it('a second page Defender refuses: the first page’s figures with the error beside them, not kept for the next refresh', async () => {
    const NEXT = 'last_7_days'; // not read yet, and holding all 10,050 alerts
    relay.sandbox.faults.add({ route: 'alerts.list', status: 429, retryAfter: 60, after: 1, times: 1 });
    const partial = (await tileDataOf(relay, 'alerts-by-detection-source', NEXT)).body;
    const firstPage = partial.data.data.reduce((t: number, ring: Answer) => t + ring.value, 0);
    expect(firstPage).toBe(10_000);
    expect(partial.errors).toEqual([expect.objectContaining({ code: 'too many requests' })]);

    const before = relay.sandbox.stats.count('alerts.list');
    const whole = (await tileDataOf(relay, 'alerts-by-detection-source', NEXT)).body;
    expect(whole.errors).toBeUndefined();
    expect(whole.data.data.reduce((t: number, ring: Answer) => t + ring.value, 0)).toBe(COUNT);
    expect(relay.sandbox.stats.count('alerts.list')).toBe(before + 2);
  });

  it('a second page that never comes: the request deadline ends the read, the first page is answered with a timeout', async () => {
    const slow = await startRelay({ REQUEST_DEADLINE_MS: '1500' }, { seed: bigSeed(COUNT) }, { clock: () => NOW });
    try {
      slow.sandbox.faults.add({ route: 'alerts.list', hang: true, after: 1, times: 1 });
      const answer = (await tileDataOf(slow, 'alerts-summary', 'last_24_hours')).body;
      expect(answer.errors).toEqual([expect.objectContaining({ code: 'timeout' })]);
      expect(answer.data.data.slice(0, 4).reduce((t: number, m: Answer) => t + m.value, 0)).toBe(10_000);
    } finally {
      await slow.close();
    }
  });
});
