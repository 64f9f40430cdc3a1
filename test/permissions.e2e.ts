/**
 * What an app's permissions allow, read from the roles of the tokens the sandbox issues, for apps
 * with different grants: /health's report and warnings, and what /respond/observables offers.
 */
import {
  DEFENDER_ONLY_CLIENT_ID,
  DEFENDER_ONLY_CLIENT_SECRET,
  DEMO_MACHINE_IDS,
  DEMO_TENANT_ID,
  NOPERM_CLIENT_ID,
  NOPERM_CLIENT_SECRET,
  OPAQUE_CLIENT_ID,
  OPAQUE_CLIENT_SECRET,
  READ_ONLY_CLIENT_ID,
  READ_ONLY_CLIENT_SECRET,
  SEED_FILES,
} from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';
import { DEMO_CLAIMS, hsToken } from './support/tokens';

const app = (client_id: string, client_secret: string) => hsToken({ client_id, client_secret, tenant_id: DEMO_TENANT_ID });
const APPS = {
  full: hsToken(DEMO_CLAIMS),
  none: app(NOPERM_CLIENT_ID, NOPERM_CLIENT_SECRET),
  defenderOnly: app(DEFENDER_ONLY_CLIENT_ID, DEFENDER_ONLY_CLIENT_SECRET),
  readOnly: app(READ_ONLY_CLIENT_ID, READ_ONLY_CLIENT_SECRET),
  opaque: app(OPAQUE_CLIENT_ID, OPAQUE_CLIENT_SECRET),
};

interface Capability {
  capability: string;
  state: string;
  grant?: string[];
}

const states = (capabilities: Capability[]) => Object.fromEntries(capabilities.map((c) => [c.capability, c.state]));
const WIN10 = DEMO_MACHINE_IDS.win10;
const OBSERVABLES = [
  { type: 'ms_machine_id', value: WIN10 },
  { type: 'sha256', value: SEED_FILES.emotetDropper.sha256 },
];

describe('permissions read from the tokens: /health and /respond/observables', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay()));
  afterAll(() => relay.close());
  afterEach(() => relay.sandbox.reset());

  const health = (token: string) => relay.post('/health', undefined, { token });
  const respond = (token: string) => relay.post('/respond/observables', OBSERVABLES, { token });

  it('Defender + Graph (every permission): ok, every capability works, no warning, everything offered', async () => {
    const res = await health(APPS.full);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.permissions.tokens).toEqual({ defender: 'read', graph: 'read' });
    expect(res.body.data.permissions.capabilities.every((c: Capability) => c.state === 'works')).toBe(true);
    const offered = await respond(APPS.full);
    expect(offered.body.errors).toBeUndefined();
    expect(offered.body.data.map((a: { id: string }) => a.id)).toEqual(
      expect.arrayContaining(['microsoft-defender-FullIsolation', 'microsoft-defender-RunAntiVirusScanQuick', 'microsoft-defender-remove-indicator', 'microsoft-defender-stop-and-quarantine-file']),
    );
  });

  it('no permission at all: /health fails with Defender\'s 403 and lists every permission to grant, Graph hunting first', async () => {
    const res = await health(APPS.none);
    expect(res.body.data).toBeUndefined();
    const [fatal, ...warnings] = res.body.errors;
    expect(fatal).toMatchObject({ type: 'fatal', code: 'permission denied', message: expect.stringContaining('Alert.Read.All') });
    const messages = warnings.map((w: { message: string }) => w.message);
    expect(messages).toContainEqual(expect.stringMatching(/^The app lacks the application permission WindowsDefenderATP Alert\.Read\.All .*: disabled observe: alerts, tiles: dashboard tiles$/));
    expect(messages).toContainEqual(expect.stringMatching(/Microsoft Graph ThreatHunting\.Read\.All .*: disabled observe: advanced hunting$/));
    expect(messages.join('\n')).not.toContain('AdvancedQuery.Read.All');
    expect(messages).toContainEqual(expect.stringMatching(/WindowsDefenderATP Machine\.Isolate .*: disabled respond: isolate \/ release, respond: cancel a pending action$/));
    expect(warnings.every((w: { type: string }) => w.type === 'warning')).toBe(true);
  });

  it('no permission at all: observe names the Graph hunting permission, never the retiring API\'s', async () => {
    const res = await relay.post('/observe/observables', [{ type: 'ip', value: '198.51.100.23' }], { token: APPS.none });
    const messages = (res.body.errors ?? []).map((e: { message: string }) => e.message).join('\n');
    expect(messages).toContain('Advanced hunting on Microsoft Graph needs the application permission ThreatHunting.Read.All');
    expect(messages).not.toContain('AdvancedQuery.Read.All');
  });

  it('Defender only: ok on the retiring hunting API, warned; respond offers everything', async () => {
    const res = await health(APPS.defenderOnly);
    expect(res.body.data).toMatchObject({ status: 'ok', hunting: 'defender', permissions: { tokens: { defender: 'read', graph: 'read' } } });
    expect(states(res.body.data.permissions.capabilities)).toMatchObject({ 'observe.hunting': 'works', 'respond.isolate': 'works' });
    expect(res.body.errors).toEqual([{ type: 'warning', code: 'permission denied', message: expect.stringContaining('ThreatHunting.Read.All') }]);
    expect((await respond(APPS.defenderOnly)).body.errors).toBeUndefined();
  });

  it('read-only: ok, observe works, each disabled capability warned with its permission; respond offers nothing and says why once', async () => {
    const res = await health(APPS.readOnly);
    expect(res.body.data).toMatchObject({ status: 'ok', hunting: 'graph' });
    expect(states(res.body.data.permissions.capabilities)).toMatchObject({
      'observe.alerts': 'works',
      'observe.machines': 'works',
      'observe.files': 'works',
      'observe.hunting': 'works',
      refer: 'works',
      deliberate: 'missing',
      'respond.isolate': 'missing',
      'respond.indicators': 'missing',
      tiles: 'missing',
    });
    const isolate = res.body.data.permissions.capabilities.find((c: Capability) => c.capability === 'respond.isolate');
    expect(isolate.grant).toEqual(['WindowsDefenderATP Machine.Isolate']);
    const messages = res.body.errors.map((e: { type: string; message: string }) => `${e.type} ${e.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^warning The app lacks the application permission WindowsDefenderATP Machine\.Isolate \(grant it, then admin consent\): disabled respond: isolate \/ release, respond: cancel a pending action$/),
        expect.stringMatching(/^warning The app lacks the application permission WindowsDefenderATP Ti\.ReadWrite\.All .*: disabled deliberate: verdicts, respond: indicators, tiles: dashboard tiles$/),
      ]),
    );
    expect(res.body.errors.every((e: { type: string }) => e.type === 'warning')).toBe(true);

    const offered = await respond(APPS.readOnly);
    expect(offered.body.data).toEqual([]);
    expect(offered.body.errors).toHaveLength(1);
    expect(offered.body.errors[0]).toMatchObject({ type: 'warning', code: 'permission denied' });
    expect(offered.body.errors[0].message).toMatch(/^Not offered, the app lacks the application permission: .*isolate \/ release \(grant WindowsDefenderATP Machine\.Isolate\)/);
    expect(offered.body.errors[0].message).toContain('indicators (grant WindowsDefenderATP Ti.ReadWrite.All)');
    expect(offered.body.errors[0].message).toContain('stop & quarantine file (grant WindowsDefenderATP Machine.StopAndQuarantine)');
    // Nothing it may not do is even looked up.
    expect(relay.sandbox.stats.count('indicators.list')).toBe(0);
  });

  it('opaque tokens: ok, every capability unknown, said once per token, and respond offers everything', async () => {
    const res = await health(APPS.opaque);
    expect(res.body.data).toMatchObject({ status: 'ok', hunting: 'graph', permissions: { tokens: { defender: 'unknown', graph: 'unknown' } } });
    const capabilities = res.body.data.permissions.capabilities as Capability[];
    expect(capabilities.filter((c) => c.capability !== 'observe.alerts').every((c) => c.state === 'unknown')).toBe(true);
    // Alerts were just read, whatever the token says.
    expect(states(capabilities)['observe.alerts']).toBe('works');
    expect(res.body.errors).toEqual([
      { type: 'warning', code: 'unknown', message: expect.stringMatching(/^The Defender token's permissions cannot be read/) },
      { type: 'warning', code: 'unknown', message: expect.stringMatching(/^The Microsoft Graph token's permissions cannot be read/) },
    ]);
    const offered = await respond(APPS.opaque);
    expect(offered.body.errors).toBeUndefined();
    expect(offered.body.data.map((a: { id: string }) => a.id)).toEqual((await respond(APPS.full)).body.data.map((a: { id: string }) => a.id));
  });
});
