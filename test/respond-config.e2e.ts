import { DEMO_MACHINE_IDS } from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';

// The comment of machine actions and the title/description of indicators are configurable.

const COMMENT = 'Contained by the SOC via Cisco XDR (ticket queue SEC-OPS)';
const TITLE = 'XDR response – analyst “block”';
const DESCRIPTION = 'Added from Cisco XDR by the on-call analyst; review within 14 days.';
const WIN10 = DEMO_MACHINE_IDS.win10;

describe('ACTION_COMMENT, INDICATOR_TITLE, INDICATOR_DESCRIPTION', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay({ ACTION_COMMENT: COMMENT, INDICATOR_TITLE: TITLE, INDICATOR_DESCRIPTION: DESCRIPTION })));
  afterAll(() => relay.close());
  beforeEach(() => relay.sandbox.reset());

  const trigger = (body: Record<string, unknown>) => relay.post('/respond/trigger', body);

  it('every machine action carries the configured comment', async () => {
    const actions = [
      'FullIsolation',
      'Unisolate',
      'RestrictCodeExecution',
      'UnrestrictCodeExecution',
      'RunAntiVirusScanQuick',
      'CollectInvestigationPackage',
      'InitiateInvestigation',
    ];
    for (const name of actions) {
      const res = await trigger({ 'action-id': `microsoft-defender-${name}`, observable_type: 'ms_machine_id', observable_value: WIN10 });
      expect([name, res.body]).toEqual([name, { data: { status: 'success' } }]);
    }
    const bodies = relay.sandbox.stats
      .entries()
      .filter((e) => e.method === 'POST' && e.path.startsWith(`/api/machines/${WIN10}/`))
      .map((e) => [e.path.split('/').pop(), e.body]);
    expect(bodies).toEqual([
      ['isolate', { Comment: COMMENT, IsolationType: 'Full' }],
      ['unisolate', { Comment: COMMENT }],
      ['restrictCodeExecution', { Comment: COMMENT }],
      ['unrestrictCodeExecution', { Comment: COMMENT }],
      ['runAntiVirusScan', { Comment: COMMENT, ScanType: 'Quick' }],
      ['collectInvestigationPackage', { Comment: COMMENT }],
      ['startInvestigation', { Comment: COMMENT }],
    ]);
    expect(relay.sandbox.state.machineActions.filter((a) => a.requestorComment === COMMENT)).toHaveLength(6);
  });

  it('indicators get the configured title and description, and the remove action shows that title', async () => {
    const value = 'config-e2e.evil.example';
    const res = await trigger({ 'action-id': 'microsoft-defender-add-indicator-alert-and-block', observable_type: 'domain', observable_value: value });
    expect(res.body).toEqual({ data: { status: 'success' } });
    expect(relay.sandbox.stats.entries('indicators.create')[0].body).toEqual({
      indicatorValue: value,
      indicatorType: 'DomainName',
      action: 'Block',
      severity: 'High',
      generateAlert: true,
      title: TITLE,
      description: DESCRIPTION,
    });
    const listed = await relay.post('/respond/observables', [{ type: 'domain', value }]);
    expect(listed.body.data.map((a: { title: string }) => a.title)).toEqual([`Remove indicator: Block - ${TITLE}`]);
  });
});
