import { DEMO_INDICATOR_IDS, DEMO_MACHINE_IDS, SEED_FILES, SEED_NETWORK, OTHER_INDICATOR_ID } from '../apps/defender-sandbox/src';
import { call, tokenFor } from '../apps/defender-sandbox/src/testing/sandbox-client.helper';
import { RelayHarness, startRelay } from './support/relay-harness';

// Custom indicators over real HTTP against the sandbox.

const TITLE = 'From SecureX Threat Response';
const DESCRIPTION = 'Indicator created from Cisco XDR / SecureX Threat Response';

interface Action {
  id: string;
  title: string;
  description: string;
  categories: string[];
  'query-params': Record<string, string>;
}

/** Fresh values, unknown to the seed, one per supported type, with the Defender type and block action. */
const TYPES: Array<[type: string, value: string, indicatorType: string, block: string]> = [
  ['sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709', 'FileSha1', 'BlockAndRemediate'],
  ['sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'FileSha256', 'BlockAndRemediate'],
  ['md5', 'd41d8cd98f00b204e9800998ecf8427e', 'FileMd5', 'BlockAndRemediate'],
  ['ip', '203.0.113.99', 'IpAddress', 'Block'],
  ['ipv6', '2001:db8::dead:beef', 'IpAddress', 'Block'],
  ['domain', 'relay-e2e.evil.example', 'DomainName', 'Block'],
  ['url', 'https://relay-e2e.evil.example/payload?id=1', 'Url', 'Block'],
];

const addActions = (type: string, value: string): Action[] => {
  const params = { observable_type: type, observable_value: value };
  const categories = ['Microsoft Defender for Endpoint', 'Add Indicator'];
  return [
    { id: 'microsoft-defender-add-indicator-alert', title: `Add indicator for ${type} ${value}: Alert`, description: `Add indicator with Alert action for ${value}`, categories, 'query-params': params },
    {
      id: 'microsoft-defender-add-indicator-alert-and-block',
      title: `Add indicator for ${type} ${value}: Alert and Block`,
      description: `Add indicator with Alert and Block action for ${value}`,
      categories,
      'query-params': params,
    },
    { id: 'microsoft-defender-add-indicator-allowed', title: `Add indicator for ${type} ${value}: Allowed`, description: `Add indicator with Allowed action for ${value}`, categories, 'query-params': params },
  ];
};

const removeAction = (type: string, value: string, id: string, humanAction: string, title: string, expires?: string): Action => ({
  id: 'microsoft-defender-remove-indicator',
  title: `Remove indicator: ${humanAction} - ${title}`,
  description: `Remove indicator with ${humanAction} action for ${value}${expires ? `; it expires ${expires}` : ''}`,
  categories: ['Microsoft Defender for Endpoint', 'Remove Indicator'],
  'query-params': { observable_type: type, observable_value: value, indicator_id: id },
});

/** Alert triage, offered beside indicators when the observable has open alerts, has its own spec (respond-alerts). */
const withoutTriage = (actions: Action[]): Action[] => actions.filter((a) => a.id !== 'microsoft-defender-triage-alerts');

describe('POST /respond/observables + /respond/trigger: custom indicators', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay()));
  afterAll(() => relay.close());
  beforeEach(() => relay.sandbox.reset());

  const list = async (type: string, value: string): Promise<Action[]> => {
    const res = await relay.post('/respond/observables', [{ type, value }]);
    expect(res.body.errors).toBeUndefined();
    return withoutTriage(res.body.data);
  };
  /** What XDR does: the action's query-params, plus its id, become the trigger body. */
  const run = (action: Action, extra: Record<string, unknown> = {}) =>
    relay.post('/respond/trigger', { 'action-id': action.id, ...action['query-params'], ...extra });
  const stored = (value: string) => relay.sandbox.state.indicators.filter((i) => i.indicatorValue.toLowerCase() === value.toLowerCase());

  describe.each(TYPES)('%s', (type, value, indicatorType, block) => {
    it.each<[string, string, Record<string, unknown>, string]>([
      ['alert', 'microsoft-defender-add-indicator-alert', { action: 'Audit', severity: 'High', generateAlert: true }, 'Audit'],
      ['alert-and-block', 'microsoft-defender-add-indicator-alert-and-block', { action: block, severity: 'High', generateAlert: true }, block === 'Block' ? 'Block' : 'Block and Remediate'],
      ['allowed', 'microsoft-defender-add-indicator-allowed', { action: 'Allowed', severity: 'Informational', generateAlert: false }, 'Allowed'],
    ])('add %s → POST indicators → remove is offered → remove → add is offered again', async (_name, actionId, defenderAction, humanAction) => {
      const before = await list(type, value);
      expect(before).toEqual(addActions(type, value));

      const add = before.find((a) => a.id === actionId)!;
      expect((await run(add)).body).toEqual({ data: { status: 'success' } });
      const posts = relay.sandbox.stats.entries('indicators.create');
      expect(posts).toHaveLength(1);
      expect(posts[0].path).toBe('/api/indicators');
      expect(posts[0].body).toEqual({ indicatorValue: value, indicatorType, title: TITLE, description: DESCRIPTION, ...defenderAction });
      expect(stored(value)).toHaveLength(1);
      const id = stored(value)[0].id;

      const after = await list(type, value);
      expect(after).toEqual([removeAction(type, value, id, humanAction, TITLE)]);

      expect((await run(after[0])).body).toEqual({ data: { status: 'success' } });
      expect(relay.sandbox.stats.entries('indicators.delete').map((e) => [e.method, e.path])).toEqual([['DELETE', `/api/indicators/${id}`]]);
      expect(stored(value)).toEqual([]);
      expect(await list(type, value)).toEqual(addActions(type, value));
    });

    it('remove accepts indicator_id as a JSON number', async () => {
      const [alert] = await list(type, value);
      await run(alert);
      const [remove] = await list(type, value);
      const id = remove['query-params'].indicator_id;
      expect(id).toMatch(/^\d+$/);
      expect((await run(remove, { indicator_id: Number(id) })).body).toEqual({ data: { status: 'success' } });
      expect(relay.sandbox.stats.entries('indicators.delete').map((e) => e.path)).toEqual([`/api/indicators/${id}`]);
      expect(stored(value)).toEqual([]);
    });
  });

  it('normalises the value before it reaches Defender (upper-case hash and domain)', async () => {
    const res = await relay.post('/respond/trigger', {
      'action-id': 'microsoft-defender-add-indicator-alert',
      observable_type: 'SHA256',
      observable_value: ` ${TYPES[1][1].toUpperCase()} `,
    });
    expect(res.body).toEqual({ data: { status: 'success' } });
    expect(relay.sandbox.stats.entries('indicators.create')[0].body).toMatchObject({ indicatorValue: TYPES[1][1], indicatorType: 'FileSha256' });
  });

  it('offers removal of the seeded indicators, titled with their action and title, saying when one expires', async () => {
    const res = await relay.post('/respond/observables', [
      { type: 'sha256', value: SEED_FILES.emotetDropper.sha256 },
      { type: 'domain', value: SEED_NETWORK.payloadDomain },
      { type: 'ip', value: SEED_NETWORK.partnerVpnIp },
      { type: 'url', value: SEED_NETWORK.phishingUrl },
    ]);
    expect(res.body.errors).toBeUndefined();
    expect({ data: withoutTriage(res.body.data) }).toEqual({
      data: [
        removeAction('sha256', SEED_FILES.emotetDropper.sha256, DEMO_INDICATOR_IDS.dropperHash, 'Block and Remediate', 'Emotet dropper (invoice lure)'),
        // The dropper is on a device: stop and quarantine is offered after the indicator.
        expect.objectContaining({ id: 'microsoft-defender-stop-and-quarantine-file', title: 'Stop and quarantine file on 1 device' }),
        removeAction('domain', SEED_NETWORK.payloadDomain, DEMO_INDICATOR_IDS.payloadDomain, 'Audit', 'Stage-2 payload host'),
        removeAction('ip', SEED_NETWORK.partnerVpnIp, DEMO_INDICATOR_IDS.partnerVpnIp, 'Allowed', 'Partner VPN concentrator'),
        removeAction('url', SEED_NETWORK.phishingUrl, DEMO_INDICATOR_IDS.phishingUrl, 'Warn', 'Credential phishing page', '2027-01-31T00:00:00Z'),
      ],
    });
  });

  it('does not see another tenant’s indicator', async () => {
    expect(await list('domain', SEED_NETWORK.otherTenantDomain)).toEqual(addActions('domain', SEED_NETWORK.otherTenantDomain));
    expect(relay.sandbox.state.tenants.some((t) => t.indicators.some((i) => i.id === OTHER_INDICATOR_ID))).toBe(true);
  });

  it('an indicator of the same value but another type is not offered for removal', async () => {
    // 198.51.100.23 as a Url indicator must not make the ip observable look covered.
    relay.sandbox.state.indicators.push({ ...relay.sandbox.state.indicators[0], id: '999', indicatorValue: 'http://198.51.100.23/', indicatorType: 'Url' });
    relay.sandbox.state.indicators.push({ ...relay.sandbox.state.indicators[0], id: '998', indicatorValue: SEED_NETWORK.c2Ip, indicatorType: 'Url' });
    expect(await list('ip', SEED_NETWORK.c2Ip)).toEqual(addActions('ip', SEED_NETWORK.c2Ip));
  });

  describe('OData filter', () => {
    const QUOTED = "https://evil.example/a'b?x='%20or%201%20eq%201";

    it('doubles single quotes: the value cannot change the filter, and only the exact value matches', async () => {
      // A decoy whose value is the quoted one cut at its first quote.
      relay.sandbox.state.indicators.push({ ...relay.sandbox.state.indicators[0], id: '990', indicatorValue: 'https://evil.example/a', indicatorType: 'Url' });

      expect(await list('url', QUOTED)).toEqual(addActions('url', QUOTED));
      const [lookup] = relay.sandbox.stats.entries('indicators.list');
      expect(lookup.query.$filter).toBe("indicatorValue eq 'https://evil.example/a''b?x=''%20or%201%20eq%201'");
      expect(lookup.status).toBe(200);

      const [alert] = await list('url', QUOTED);
      expect((await run(alert)).body).toEqual({ data: { status: 'success' } });
      expect(relay.sandbox.stats.entries('indicators.create')[0].body).toMatchObject({ indicatorValue: QUOTED, indicatorType: 'Url' });
      const id = stored(QUOTED)[0].id;
      expect(await list('url', QUOTED)).toEqual([removeAction('url', QUOTED, id, 'Audit', TITLE)]);

      // Replaying the exact filter the relay sent: the sandbox matched the exact value only.
      const filters = relay.sandbox.stats.entries('indicators.list').map((e) => e.query.$filter);
      expect(new Set(filters).size).toBe(1);
      const token = await tokenFor(relay.sandbox);
      const replay = await call<{ value: Array<{ id: string; indicatorValue: string }> }>(
        relay.sandbox,
        `/api/indicators?$filter=${encodeURIComponent(filters[0])}`,
        { token },
      );
      expect(replay.status).toBe(200);
      expect(replay.body.value.map((i) => [i.id, i.indicatorValue])).toEqual([[id, QUOTED]]);
      expect(relay.sandbox.state.indicators.length).toBeGreaterThan(2);
    });

    it('a URL with raw spaces is skipped with a warning and never reaches Defender', async () => {
      const res = await relay.post('/respond/observables', [{ type: 'url', value: "https://evil.example/a'b?x=' or 1 eq 1" }]);
      expect(res.body).toEqual({ data: [], errors: [{ type: 'warning', code: 'invalid payload', message: 'Skipped observable at index 0: not an http(s) URL' }] });
      expect(relay.sandbox.stats.count('indicators.list')).toBe(0);
    });
  });

  it('lists a mix of types concurrently, each observable with its own actions', async () => {
    relay.sandbox.latency.set('indicators.list', 300);
    relay.sandbox.latency.set('machines.get', 300);
    relay.sandbox.latency.set('machineactions.list', 300);
    const observables = [
      { type: 'ms_machine_id', value: DEMO_MACHINE_IDS.win10 },
      { type: 'sha256', value: SEED_FILES.emotetDropper.sha256 },
      { type: 'ip', value: TYPES[3][1] },
      { type: 'ms_machine_id', value: DEMO_MACHINE_IDS.win11 },
      { type: 'domain', value: SEED_NETWORK.payloadDomain },
      { type: 'url', value: TYPES[6][1] },
      { type: 'ms_machine_id', value: '0123456789abcdef0123456789abcdef01234567' },
      { type: 'md5', value: TYPES[2][1] },
      { type: 'hostname', value: 'ignored.example' },
    ];
    const started = Date.now();
    const res = await relay.post('/respond/observables', observables);
    const elapsed = Date.now() - started;
    expect(res.body.errors).toBeUndefined();
    const byValue = (value: string) => withoutTriage(res.body.data).filter((a) => a['query-params'].observable_value === value).map((a) => a.id);
    expect(byValue(DEMO_MACHINE_IDS.win10)).toContain('microsoft-defender-FullIsolation');
    expect(byValue(DEMO_MACHINE_IDS.win10)).not.toContain('microsoft-defender-Unisolate');
    expect(byValue(DEMO_MACHINE_IDS.win11)).toContain('microsoft-defender-Unisolate');
    expect(byValue(DEMO_MACHINE_IDS.win11)).not.toContain('microsoft-defender-FullIsolation');
    expect(byValue(SEED_FILES.emotetDropper.sha256)).toEqual(['microsoft-defender-remove-indicator', 'microsoft-defender-stop-and-quarantine-file']);
    expect(byValue(SEED_NETWORK.payloadDomain)).toEqual(['microsoft-defender-remove-indicator']);
    expect(byValue(TYPES[3][1])).toEqual(addActions('ip', TYPES[3][1]).map((a) => a.id));
    expect(byValue(TYPES[6][1])).toEqual(addActions('url', TYPES[6][1]).map((a) => a.id));
    expect(byValue(TYPES[2][1])).toEqual(addActions('md5', TYPES[2][1]).map((a) => a.id));
    expect(byValue('0123456789abcdef0123456789abcdef01234567')).toEqual([]);
    expect(withoutTriage(res.body.data)).toHaveLength(7 + 6 + 1 + 1 + 1 + 3 + 3 + 3); // the dropper also offers stop and quarantine
    // 5 indicator lookups and 3 × 2 machine reads of 300 ms each: ≥ 3.3 s one after another.
    expect(relay.sandbox.stats.count('indicators.list')).toBe(5);
    expect(elapsed).toBeLessThan(1500);
  });
});
