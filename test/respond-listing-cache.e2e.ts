import { DEMO_OBSERVABLES, OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, OTHER_TENANT_ID, DEFENDER_ONLY_CLIENT_ID, DEFENDER_ONLY_CLIENT_SECRET, DEMO_CLIENT_ID, DEMO_TENANT_ID } from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';
import { hsToken } from './support/tokens';

// RESPOND_LISTING_CACHE_MS: a listing's Defender reads serve the same app's next listings; this
// replica's triggers clear them at once; no other credential is ever served them.

const TTL_MS = 5000;
const SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const FILE = [{ type: 'sha1', value: SHA1 }];
const SECOND_APP = hsToken({ client_id: DEFENDER_ONLY_CLIENT_ID, client_secret: DEFENDER_ONLY_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID });
const OTHER_TENANT = hsToken({ client_id: OTHER_CLIENT_ID, client_secret: OTHER_CLIENT_SECRET, tenant_id: OTHER_TENANT_ID });

interface Action {
  id: string;
  'query-params': Record<string, string>;
}

describe('POST /respond/observables with RESPOND_LISTING_CACHE_MS', () => {
  let relay: RelayHarness;
  let clock = Date.parse('2026-12-06T12:00:00Z');
  beforeAll(async () => (relay = await startRelay({ RESPOND_LISTING_CACHE_MS: String(TTL_MS) }, {}, { clock: () => clock })));
  afterAll(() => relay.close());
  beforeEach(() => {
    relay.sandbox.reset();
    clock += 60_000; // past every entry an earlier test left
  });

  const defenderReads = () => relay.sandbox.stats.count() - relay.sandbox.stats.count('token');
  const list = async (body: unknown, token?: string): Promise<Action[]> => {
    const res = await relay.post('/respond/observables', body, { token });
    expect(res.body.errors).toBeUndefined();
    return res.body.data;
  };
  const ids = (actions: Action[]) => actions.map((a) => a.id).filter((id) => id.includes('indicator'));
  const trigger = (action: Action) => relay.post('/respond/trigger', { 'action-id': action.id, ...action['query-params'] });

  it('answers the second listing of the same observables without a Defender call, with the same actions', async () => {
    const first = await list(DEMO_OBSERVABLES);
    expect(relay.sandbox.stats.count('indicators.list')).toBe(4);
    relay.sandbox.stats.reset();
    expect(await list(DEMO_OBSERVABLES)).toEqual(first);
    expect(defenderReads()).toBe(0);
  });

  it('reads afresh once the entries are older than RESPOND_LISTING_CACHE_MS', async () => {
    await list(FILE);
    relay.sandbox.state.indicators.push({ ...relay.sandbox.state.indicators[0], id: '901', indicatorValue: SHA1, indicatorType: 'FileSha1', action: 'Audit', expirationTime: null });
    clock += TTL_MS - 1;
    expect(ids(await list(FILE))).not.toContain('microsoft-defender-remove-indicator');
    clock += 1;
    const after = await list(FILE);
    expect(after.find((a) => a.id === 'microsoft-defender-remove-indicator')?.['query-params'].indicator_id).toBe('901');
  });

  it("shows this replica's own trigger at once: add offers remove, remove offers add again", async () => {
    const before = await list(FILE);
    expect(ids(before)).not.toContain('microsoft-defender-remove-indicator');
    const add = before.find((a) => a.id === 'microsoft-defender-add-indicator-alert') as Action;
    expect((await trigger(add)).body).toEqual({ data: { status: 'success' } });

    const added = await list(FILE);
    const remove = added.find((a) => a.id === 'microsoft-defender-remove-indicator') as Action;
    expect(remove['query-params'].indicator_id).toBe(String(relay.sandbox.state.indicators.find((i) => i.indicatorValue === SHA1)?.id));
    expect((await trigger(remove)).body).toEqual({ data: { status: 'success' } });
    expect(ids(await list(FILE))).not.toContain('microsoft-defender-remove-indicator');
  });

  it('a trigger still reads what it acts on, whatever the listing remembers', async () => {
    const listed = await list(FILE);
    relay.sandbox.state.indicators.push({ ...relay.sandbox.state.indicators[0], id: '902', indicatorValue: SHA1, indicatorType: 'FileSha1', action: 'Audit', expirationTime: null });
    relay.sandbox.stats.reset();
    await trigger(listed.find((a) => a.id === 'microsoft-defender-add-indicator-alert') as Action);
    expect(relay.sandbox.stats.count('indicators.create')).toBe(1);
    const res = await relay.post('/respond/trigger', { 'action-id': 'microsoft-defender-remove-indicator', observable_type: 'sha1', observable_value: SHA1, indicator_id: '902' });
    expect(res.body).toEqual({ data: { status: 'success' } });
    expect(relay.sandbox.stats.count('indicators.list')).toBe(1);
  });

  it("never serves one app's entries to another app of the tenant, another tenant, or a wrong secret", async () => {
    await list(FILE);
    relay.sandbox.state.indicators.push({ ...relay.sandbox.state.indicators[0], id: '903', indicatorValue: SHA1, indicatorType: 'FileSha1', action: 'Audit', expirationTime: null });
    relay.sandbox.stats.reset();

    // A second app of the same tenant reads for itself, and so sees the indicator the demo app's entry predates.
    const second = await list(FILE, SECOND_APP);
    expect(relay.sandbox.stats.entries('indicators.list').map((e) => e.clientId)).toEqual([DEFENDER_ONLY_CLIENT_ID]);
    expect(second.find((a) => a.id === 'microsoft-defender-remove-indicator')?.['query-params'].indicator_id).toBe('903');
    expect(ids(await list(FILE))).not.toContain('microsoft-defender-remove-indicator'); // the demo app's own entry, within its TTL

    await list(FILE, OTHER_TENANT);
    expect(relay.sandbox.stats.entries('indicators.list').map((e) => e.clientId)).toEqual([DEFENDER_ONLY_CLIENT_ID, OTHER_CLIENT_ID]);

    const wrong = await relay.post('/respond/observables', FILE, { token: hsToken({ client_id: DEMO_CLIENT_ID, client_secret: 'wrong-secret', tenant_id: DEMO_TENANT_ID }) });
    expect(wrong.body.data ?? []).toEqual([]);
    expect(wrong.body.errors[0].code).toBe('authorization error');
  });
});

describe('POST /respond/observables by default (RESPOND_LISTING_CACHE_MS=0)', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay()));
  afterAll(() => relay.close());

  it('reads afresh for every listing', async () => {
    await relay.post('/respond/observables', DEMO_OBSERVABLES);
    await relay.post('/respond/observables', DEMO_OBSERVABLES);
    expect(relay.sandbox.stats.count('indicators.list')).toBe(8);
  });
});
