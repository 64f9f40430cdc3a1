import { Alert, DEMO_MACHINE_IDS, SEED_NETWORK } from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';

// No caller value becomes a `.` or `..` path segment, on any route that puts one in a Defender
// path (users, machines, files, ips, domains, machineactions, indicators): URL parsing would
// collapse `users/../alerts` into `alerts`. Each is refused with a warning or an invalid payload,
// Defender is not asked, and the rest of the request is answered.

const WIN10 = DEMO_MACHINE_IDS.win10;
const DOTS = ['..', '.', ' .. ', '%2e%2e', '%2E.', '.%2e'];

describe('no caller value outside its path segment', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay()));
  afterAll(() => relay.close());
  beforeEach(() => {
    relay.sandbox.reset();
    const alert = relay.sandbox.state.alerts.find((a) => a.machineId === WIN10) as Alert;
    relay.sandbox.state.alerts.push({ ...alert, id: 'da-path-user', relatedUser: { userName: 'path-user', domainName: 'CONTOSODEMO' } });
  });

  /** Paths Defender was asked for, other than tokens. */
  const asked = () => relay.sandbox.stats.entries().filter((e) => e.route !== 'token').map((e) => e.path);

  it.each(['..', 'CONTOSO\\..', '..@contoso.com', ' .. ', '.', 'CONTOSO\\.', '...'])('user %j: skipped with a warning, never a call to /api/alerts; the good user is answered', async (value) => {
    const res = await relay.post('/observe/observables', [
      { type: 'user', value },
      { type: 'user', value: 'CONTOSODEMO\\path-user' },
    ]);
    expect(res.body.errors).toEqual([{ type: 'warning', code: 'invalid payload', message: 'Skipped observable at index 0: not a user name' }]);
    // Only the good user's one alert: nothing of the tenant's other alerts under the dots.
    expect(res.body.data.sightings.docs.map((s: { observables: unknown }) => s.observables)).toEqual([[{ type: 'user', value: 'CONTOSODEMO\\path-user' }]]);
    expect(relay.sandbox.stats.count('alerts.list')).toBe(0);
    expect(relay.sandbox.stats.entries('alerts.byUser').map((e) => e.path)).toEqual(['/api/users/path-user/alerts']);
  });

  it('a user spelled with percent-encoded dots is looked up as those characters, inside its own segment', async () => {
    await relay.post('/observe/observables', [{ type: 'user', value: 'CONTOSO\\%2e%2e' }]);
    expect(relay.sandbox.stats.count('alerts.list')).toBe(0);
    expect(relay.sandbox.stats.entries('alerts.byUser').map((e) => e.path)).toEqual(['/api/users/%252e%252e/alerts']);
  });

  it.each([
    ['sha1', 'files'],
    ['sha256', 'files'],
    ['md5', 'files'],
    ['ip', 'ips'],
    ['domain', 'domains'],
    ['ms_machine_id', 'machines'],
  ])('%s made of dots (%s/{value}): every spelling skipped with a warning, Defender not asked', async (type) => {
    const res = await relay.post('/observe/observables', DOTS.map((value) => ({ type, value })));
    expect(res.body.errors).toHaveLength(DOTS.length);
    res.body.errors.forEach((e: { type: string; code: string; message: string }, i: number) =>
      expect(e).toEqual({ type: 'warning', code: 'invalid payload', message: expect.stringMatching(new RegExp(`^Skipped observable at index ${i}: not `)) }),
    );
    expect(asked()).toEqual([]);
  });

  it.each<[string, string, Record<string, unknown>, string]>([
    [
      'machineactions/{machine_action_id}',
      'machine_action_id',
      { 'action-id': 'microsoft-defender-cancel-machine-action', observable_type: 'ms_machine_id', observable_value: WIN10 },
      "Invalid JSON payload received: 'machine_action_id' must be the machine action id listed by /respond/observables",
    ],
    [
      'indicators/{indicator_id}',
      'indicator_id',
      { 'action-id': 'microsoft-defender-remove-indicator', observable_type: 'domain', observable_value: SEED_NETWORK.payloadDomain },
      "Invalid JSON payload received: 'indicator_id' must be the indicator id listed by /respond/observables",
    ],
    [
      'machines/{machine_id}',
      'machine_id',
      { 'action-id': 'microsoft-defender-FullIsolation', observable_type: 'hostname', observable_value: 'ws-01' },
      "Invalid JSON payload received: 'machine_id' must be the Defender machine id listed by /respond/observables (40 hexadecimal characters)",
    ],
  ])('trigger with a dot id for %s: invalid payload, nothing read or sent', async (_route, field, body, message) => {
    for (const dots of ['..', '.', '%2e%2e']) {
      const res = await relay.post('/respond/trigger', { ...body, [field]: dots });
      expect(res.body).toEqual({ errors: [{ type: 'fatal', code: 'invalid payload', message }] });
    }
    expect(asked()).toEqual([]);
  });

  it('a trigger on a device observable made of dots: invalid payload, nothing sent', async () => {
    for (const [type, value] of [
      ['ms_machine_id', '..'],
      ['hostname', '..'],
      ['domain', '..'],
    ]) {
      const res = await relay.post('/respond/trigger', { 'action-id': 'microsoft-defender-add-indicator-alert', observable_type: type, observable_value: value, machine_id: WIN10 });
      expect(res.body.data).toEqual({ status: 'failure' });
    }
    expect(asked()).toEqual([]);
  });
});
