import { Credentials, loadDefenderConfig, RelayError } from '@app/common';
import {
  AlertListsCache,
  Alert,
  AlertsRepository,
  DefenderContext,
  Indicator,
  IndicatorsRepository,
  Machine,
  MachineAction,
  MachineActionsRepository,
  MachinesRepository,
  PagesRead,
} from '@app/defender';
import { periodWindow } from './tile-periods';
import { TilesService } from './tiles.service';
import { unprovenContexts } from '../test-support/unproven-contexts';
import { ANALYST, minutesAgo, NOW } from '../test-support/service-fixtures';

// Which Defender reads a tile costs, one level below the e2e tests: strict fake repositories
// (only the paged reads the service may make, each call recorded) and a clock the test moves.

const TTL = 60_000;
const OTHER: Credentials = { tenantId: 'tenant-b', clientId: 'app-2', clientSecret: 's2' };

const alert = (n: number, fields: Partial<Alert> = {}): Alert =>
  ({
    id: `da${n}`,
    alertCreationTime: minutesAgo(n),
    severity: 'High',
    status: 'New',
    machineId: 'm1',
    computerDnsName: 'ws-1',
    detectionSource: 'WindowsDefenderAv',
    ...fields,
  }) as Alert;

type Read<T> = (add: (page: T[]) => void) => Promise<PagesRead>;

const pages =
  <T>(...list: T[][]): Read<T> =>
  async (add) => {
    for (const page of list) add(page);
    return {};
  };

describe('TilesService', () => {
  let now: number;
  let calls: string[];
  let alertPages: Read<Alert>;

  const contexts = unprovenContexts();
  const record = <T>(name: string, ctx: DefenderContext, read: Read<T>, add: (page: T[]) => void, since?: number) => {
    calls.push(`${ctx.credentials.clientId} ${name}${since === undefined ? '' : ` since ${new Date(since).toISOString()}`}`);
    return read(add);
  };
  const alerts = { createdSince: (ctx: DefenderContext, since: number, add: (page: Alert[]) => void) => record('alerts', ctx, alertPages, add, since) };
  const machines = {
    all: (ctx: DefenderContext, add: (page: Machine[]) => void) =>
      record('machines', ctx, pages<Machine>([{ id: 'm1', healthStatus: 'Active', onboardingStatus: 'Onboarded' } as Machine]), add),
  };
  const machineActions = {
    isolationHistory: (ctx: DefenderContext, add: (page: MachineAction[]) => void) => record('isolations', ctx, pages<MachineAction>([]), add),
    createdSince: (ctx: DefenderContext, since: number, add: (page: MachineAction[]) => void) => record('actions', ctx, pages<MachineAction>([]), add, since),
  };
  const indicators = { createdSince: (ctx: DefenderContext, since: number, add: (page: Indicator[]) => void) => record('indicators', ctx, pages<Indicator>([]), add, since) };

  const service = () =>
    new TilesService(
      contexts,
      alerts as unknown as AlertsRepository,
      machines as unknown as MachinesRepository,
      machineActions as unknown as MachineActionsRepository,
      indicators as unknown as IndicatorsRepository,
      new AlertListsCache(() => now),
      { ...loadDefenderConfig({ TILES_CACHE_TTL_MS: String(TTL) }), portalUrl: 'https://security.microsoft.com' },
      () => now,
    );
  const iso = (ms: number) => new Date(ms).toISOString();
  const metric = (body: unknown, label: string) => (body as { data: Array<{ label: string; value: number }> }).data.find((m) => m.label === label)?.value;

  beforeEach(() => {
    now = NOW;
    calls = [];
    alertPages = pages([alert(1), alert(2, { severity: 'Low' })], [alert(3)]);
  });

  it('draws the four alert tiles of a period from one paged read of the period’s alerts', async () => {
    const tiles = service();
    const summary = await tiles.tileData(ANALYST, 'alerts-summary', 'last_hour');
    for (const tile of ['alerts-over-time', 'top-alerted-devices', 'alerts-by-detection-source'] as const) await tiles.tileData(ANALYST, tile, 'last_hour');
    expect(calls).toEqual([`app-1 alerts since ${iso(periodWindow('last_hour', NOW).start)}`]);
    expect(summary.errors).toEqual([]);
    expect([metric(summary.data, 'High'), metric(summary.data, 'Low'), metric(summary.data, 'New')]).toEqual([2, 1, 3]);
  });

  it('reads each period, and each credential, on its own', async () => {
    const tiles = service();
    await tiles.tileData(ANALYST, 'alerts-summary', 'last_hour');
    await tiles.tileData(ANALYST, 'alerts-summary', 'last_7_days');
    await tiles.tileData(OTHER, 'alerts-summary', 'last_hour');
    expect(calls).toEqual([
      `app-1 alerts since ${iso(periodWindow('last_hour', NOW).start)}`,
      `app-1 alerts since ${iso(periodWindow('last_7_days', NOW).start)}`,
      `app-2 alerts since ${iso(periodWindow('last_hour', NOW).start)}`,
    ]);
  });

  it('reuses a snapshot for the cache TTL, and the fleet and activity ones five times longer', async () => {
    const tiles = service();
    const all = async () => {
      await tiles.tileData(ANALYST, 'alerts-summary', 'last_24_hours');
      await tiles.tileData(ANALYST, 'device-posture', 'last_24_hours');
      await tiles.tileData(ANALYST, 'response-activity', 'last_24_hours');
    };
    await all();
    expect(calls.map((c) => c.split(' ')[1])).toEqual(['alerts', 'machines', 'isolations', 'actions', 'indicators']);
    calls = [];
    now += TTL - 1;
    await all();
    expect(calls).toEqual([]);
    now += 1;
    await all();
    expect(calls.map((c) => c.split(' ')[1])).toEqual(['alerts']);
    calls = [];
    now = NOW + 5 * TTL;
    await all();
    expect(calls.map((c) => c.split(' ')[1])).toEqual(['alerts', 'machines', 'isolations', 'actions', 'indicators']);
  });

  it('response activity reads the widest period once for all four periods', async () => {
    const tiles = service();
    for (const period of ['last_hour', 'last_24_hours', 'last_7_days', 'last_30_days'] as const) await tiles.tileData(ANALYST, 'response-activity', period);
    expect(calls).toEqual([`app-1 actions since ${iso(periodWindow('last_30_days', NOW).start)}`, `app-1 indicators since ${iso(periodWindow('last_30_days', NOW).start)}`]);
  });

  it('tiles asked for together share the read in flight', async () => {
    const tiles = service();
    await Promise.all([
      tiles.tileData(ANALYST, 'alerts-summary', 'last_hour'),
      tiles.tileData(ANALYST, 'alerts-over-time', 'last_hour'),
      tiles.tileData(ANALYST, 'alerts-by-detection-source', 'last_hour'),
    ]);
    expect(calls).toHaveLength(1);
  });

  it('answers a read that stopped part-way with the figures so far and its error, and does not keep it', async () => {
    alertPages = async (add) => {
      add([alert(1), alert(2)]);
      return { error: new RelayError('timeout', 'Defender did not answer in time') };
    };
    const tiles = service();
    const partial = await tiles.tileData(ANALYST, 'alerts-summary', 'last_hour');
    expect(metric(partial.data, 'High')).toBe(2);
    expect(partial.errors).toEqual([{ type: 'fatal', code: 'timeout', message: 'Defender did not answer in time' }]);

    alertPages = pages([alert(1), alert(2), alert(3)]);
    const full = await tiles.tileData(ANALYST, 'alerts-summary', 'last_hour');
    expect(calls).toHaveLength(2);
    expect([metric(full.data, 'High'), full.errors]).toEqual([3, []]);
  });
});
