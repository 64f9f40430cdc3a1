import { DEMO_MACHINE_IDS, DEMO_TENANT_ID, NOPERM_CLIENT_ID, NOPERM_CLIENT_SECRET, RouteKey, SEED_NETWORK } from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';
import { hsToken } from './support/tokens';

// Bad trigger payloads never reach Defender; Defender's refusals and outages
// come back as failures with its own words; a mutating call is sent exactly once.

const WIN10 = DEMO_MACHINE_IDS.win10;
const DOMAIN = 'relay-e2e.evil.example';
const FAILURE = { status: 'failure' };
const ISOLATE = { 'action-id': 'microsoft-defender-FullIsolation', observable_type: 'ms_machine_id', observable_value: WIN10 };
const ADD = { 'action-id': 'microsoft-defender-add-indicator-alert', observable_type: 'domain', observable_value: DOMAIN };
const REMOVE = { 'action-id': 'microsoft-defender-remove-indicator', observable_type: 'domain', observable_value: SEED_NETWORK.payloadDomain, indicator_id: '102' };
const FORBIDDEN = 'The application does not have any of the required application permissions (Machine.Isolate) to access the resource.';

describe('POST /respond/trigger and /respond/observables: errors', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay({ UPSTREAM_TIMEOUT_MS: '1000', REQUEST_DEADLINE_MS: '4000' })));
  afterAll(() => relay.close());
  beforeEach(() => relay.sandbox.reset());

  const trigger = (body: unknown, options: { raw?: boolean; token?: string } = {}) => relay.post('/respond/trigger', body, options);
  /** Calls that reached the Defender API (token requests to Azure AD are not Defender calls). */
  const defenderCalls = () => relay.sandbox.stats.count() - relay.sandbox.stats.count('token');
  const invalid = (message: string) => ({ type: 'fatal', code: 'invalid payload', message });

  describe('refused before Defender is called', () => {
    const unsupported = (actionId: string) =>
      `Unsupported action "${actionId}": the relay runs only the actions /respond/observables offers, so nothing was sent to Microsoft Defender for Endpoint`;

    it('unknown action-id → failure, invalid request, "Unsupported action" naming it and saying the relay refused it', async () => {
      const res = await trigger({ ...ADD, 'action-id': 'microsoft-defender-Shutdown' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        data: { status: 'failure' },
        errors: [{ type: 'fatal', code: 'invalid request', message: unsupported('microsoft-defender-Shutdown') }],
      });
      expect(defenderCalls()).toBe(0);
    });

    it.each([
      ['the original relay’s id', 'defender-add-indicator-alert'],
      ['a prefix-only id', 'microsoft-defender-'],
      ['a differently cased id', 'microsoft-defender-fullisolation'],
    ])('%s is an unsupported action', async (_name, actionId) => {
      const res = await trigger({ ...ISOLATE, 'action-id': actionId });
      expect(res.body.errors[0].message).toBe(unsupported(actionId));
      expect(defenderCalls()).toBe(0);
    });

    it('quotes an unknown action-id as JSON and cuts it at 80 characters', async () => {
      const res = await trigger({ ...ISOLATE, 'action-id': `microsoft-defender-"\n${'x'.repeat(500)}` });
      expect(res.body.errors[0].message).toBe(unsupported(`microsoft-defender-\\"\\n${'x'.repeat(59)}`));
      expect(defenderCalls()).toBe(0);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['a machine action on a domain', { ...ISOLATE, observable_type: 'domain', observable_value: DOMAIN }, 'domain'],
      ['a machine action on a url', { ...ISOLATE, observable_type: 'url', observable_value: 'http://evil.example/' }, 'url'],
      ['an indicator action on a machine id', { ...ADD, observable_type: 'ms_machine_id', observable_value: WIN10 }, 'ms_machine_id'],
      ['an indicator action on a hostname', { ...ADD, observable_type: 'hostname', observable_value: 'host.example' }, 'hostname'],
      ['an indicator action on a user', { ...ADD, observable_type: 'user', observable_value: 'jdoe' }, 'user'],
      ['a type the pipe trims and lower-cases first', { ...ADD, observable_type: ' HostName ', observable_value: 'host.example' }, 'hostname'],
    ])('%s → unsupported type', async (_name, body, type) => {
      const res = await trigger(body);
      expect(res.body).toEqual({
        data: FAILURE,
        errors: [{ type: 'fatal', code: 'unsupported type', message: `Observable type '${type}' is not supported by this action` }],
      });
      expect(defenderCalls()).toBe(0);
    });

    it.each<[string, unknown, string]>([
      ['action-id missing', { observable_type: 'domain', observable_value: DOMAIN }, "'action-id'"],
      ['action-id empty', { ...ADD, 'action-id': '' }, "'action-id'"],
      ['action-id not a string', { ...ADD, 'action-id': 7 }, "'action-id'"],
      ['observable_type missing', { 'action-id': ADD['action-id'], observable_value: DOMAIN }, "'observable_type'"],
      ['observable_type null', { ...ADD, observable_type: null }, "'observable_type'"],
      ['observable_value missing', { 'action-id': ADD['action-id'], observable_type: 'domain' }, "'observable_value'"],
      ['observable_value an object', { ...ADD, observable_value: { value: DOMAIN } }, "'observable_value'"],
      ['indicator_id malformed', { ...REMOVE, indicator_id: '../machines' }, "'indicator_id'"],
      ['indicator_id a fraction', { ...REMOVE, indicator_id: 1.5 }, "'indicator_id'"],
    ])('%s → invalid payload naming the field', async (_name, body, field) => {
      const res = await trigger(body);
      expect(res.status).toBe(200);
      expect(res.body.errors).toEqual([invalid(expect.stringContaining(field))]);
      expect(res.body.data?.status ?? 'failure').toBe('failure');
      expect(defenderCalls()).toBe(0);
    });

    it('remove without indicator_id → failure, invalid payload naming indicator_id', async () => {
      const { indicator_id: _omitted, ...body } = REMOVE;
      const res = await trigger(body);
      expect(res.body).toEqual({ data: FAILURE, errors: [invalid("Invalid JSON payload received: 'indicator_id' is required to remove an indicator")] });
      expect(defenderCalls()).toBe(0);
      expect(relay.sandbox.state.indicators.some((i) => i.id === '102')).toBe(true);
    });

    it.each<[string, unknown, boolean]>([
      ['an array', [ISOLATE], false],
      ['a string', 'microsoft-defender-FullIsolation', false],
      ['a number', 42, false],
      ['null', null, false],
      ['empty', undefined, false],
      ['not JSON', '{"action-id": ', true],
    ])('a body that is %s → invalid payload', async (_name, body, raw) => {
      const res = await trigger(body, { raw });
      expect(res.status).toBe(200);
      expect(res.body.errors).toEqual([invalid(expect.stringMatching(/^Invalid JSON payload received: /))]);
      expect(defenderCalls()).toBe(0);
    });

    it.each([
      ['too short', WIN10.slice(1)],
      ['not hex', `${WIN10.slice(1)}z`],
      ['a path', `${WIN10}/../../indicators`],
      ['a computer name', 'fin-wks-017.corp.contosodemo.example'],
    ])('a machine id that is %s → failure, invalid payload', async (_name, value) => {
      const res = await trigger({ ...ISOLATE, observable_value: value });
      expect(res.body).toEqual({
        data: FAILURE,
        errors: [invalid("Invalid JSON payload received: 'observable_value' is not a Defender machine id (40 hexadecimal characters)")],
      });
      expect(defenderCalls()).toBe(0);
    });

    it.each([
      ['sha1', 'abc', 'a SHA-1 (40 hexadecimal characters)'],
      ['ip', '999.1.1.1', 'an IP address'],
      ['domain', "evil.example' or 1 eq 1", 'a domain name'],
      ['url', 'ftp://evil.example/x', 'an http(s) URL'],
    ])('an indicator value that is not a %s → failure, invalid payload', async (type, value, expected) => {
      const res = await trigger({ ...ADD, observable_type: type, observable_value: value });
      expect(res.body).toEqual({ data: FAILURE, errors: [invalid(`Invalid JSON payload received: 'observable_value' is not ${expected}`)] });
      expect(defenderCalls()).toBe(0);
    });
  });

  describe('Defender refuses', () => {
    it('403 on isolate → permission denied quoting the missing permission', async () => {
      relay.sandbox.faults.add({ route: 'machines.isolate', status: 403, body: { error: { code: 'Forbidden', message: FORBIDDEN, target: 'e2e' } } });
      const res = await trigger(ISOLATE);
      expect(res.body).toEqual({
        data: FAILURE,
        errors: [{ type: 'fatal', code: 'permission denied', message: `Microsoft Defender for Endpoint refused the request: ${FORBIDDEN}` }],
      });
      expect(relay.sandbox.stats.count('machines.isolate')).toBe(1);
    });

    it('an app without permissions: trigger and list say which permission is missing', async () => {
      const token = hsToken({ client_id: NOPERM_CLIENT_ID, client_secret: NOPERM_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID });
      const res = await trigger(ISOLATE, { token });
      expect(res.body.data).toEqual(FAILURE);
      expect(res.body.errors).toEqual([{ type: 'fatal', code: 'permission denied', message: expect.stringContaining('Machine.Isolate') }]);
      expect(relay.sandbox.stats.count('machines.isolate')).toBe(1);

      // Its token's roles show neither the indicator nor the alert-update permission: nothing is looked up, one warning names both.
      const listed = await relay.post('/respond/observables', [{ type: 'domain', value: DOMAIN }], { token });
      expect(listed.body).toEqual({
        data: [],
        errors: [{ type: 'warning', code: 'permission denied', message: 'Not offered, the app lacks the application permission: indicators (grant WindowsDefenderATP Ti.ReadWrite.All); alert triage (grant WindowsDefenderATP Alert.ReadWrite.All)' }],
      });
      expect(relay.sandbox.stats.count('indicators.list')).toBe(0);
    });

    it('a second isolation while the first is pending → failure with Defender’s "Action is already in progress"', async () => {
      relay.sandbox.configure({ machineActionDelayMs: 60_000 });
      expect((await trigger(ISOLATE)).body).toEqual({ data: { status: 'success' } });
      const res = await trigger({ ...ISOLATE, 'action-id': 'microsoft-defender-SelectiveIsolation' });
      expect(res.body).toEqual({
        data: FAILURE,
        errors: [{ type: 'fatal', code: 'invalid request', message: 'Invalid request to Microsoft Defender for Endpoint: Action is already in progress' }],
      });
      expect(relay.sandbox.stats.entries('machines.isolate').map((e) => e.status)).toEqual([201, 400]);
    });

    it('429 on the indicator lookup → a precise too many requests error, other observables still answered', async () => {
      relay.sandbox.faults.add({
        route: 'indicators.list',
        status: 429,
        retryAfter: 30,
        body: { error: { code: 'TooManyRequests', message: 'Rate limit is exceeded. Try again in 30 seconds.', target: 'e2e' } },
      });
      const res = await relay.post('/respond/observables', [
        { type: 'domain', value: DOMAIN },
        { type: 'ms_machine_id', value: WIN10 },
      ]);
      expect(res.body.errors).toEqual([
        {
          type: 'fatal',
          code: 'too many requests',
          message: 'Too many requests to Microsoft Defender for Endpoint have been made. Please, try again later: Rate limit is exceeded. Try again in 30 seconds. (retry after 30 s)',
        },
      ]);
      expect(res.body.data.map((a: { id: string }) => a.id)).toContain('microsoft-defender-FullIsolation');
      expect(res.body.data.every((a: { 'query-params': { observable_type: string } }) => a['query-params'].observable_type === 'ms_machine_id')).toBe(true);
    });
  });

  describe('a mutating call is sent exactly once, whatever Defender answers', () => {
    it.each<[string, number, string, RouteKey, Record<string, unknown>, string]>([
      ['isolate', 503, 'service unavailable', 'machines.isolate', ISOLATE, 'Microsoft Defender for Endpoint is unavailable (HTTP 503)'],
      ['isolate', 500, 'internal error', 'machines.isolate', ISOLATE, 'Microsoft Defender for Endpoint had an internal error'],
      ['isolate', 502, 'service unavailable', 'machines.isolate', ISOLATE, 'Microsoft Defender for Endpoint is unavailable (HTTP 502)'],
      ['add indicator', 503, 'service unavailable', 'indicators.create', ADD, 'Microsoft Defender for Endpoint is unavailable (HTTP 503)'],
      ['add indicator', 500, 'internal error', 'indicators.create', ADD, 'Microsoft Defender for Endpoint had an internal error'],
      ['remove indicator', 503, 'service unavailable', 'indicators.delete', REMOVE, 'Microsoft Defender for Endpoint is unavailable (HTTP 503)'],
      ['remove indicator', 500, 'internal error', 'indicators.delete', REMOVE, 'Microsoft Defender for Endpoint had an internal error'],
      ['AV scan', 503, 'service unavailable', 'machines.runAntiVirusScan', { ...ISOLATE, 'action-id': 'microsoft-defender-RunAntiVirusScanFull' }, 'HTTP 503'],
      ['investigation', 504, 'service unavailable', 'machines.startInvestigation', { ...ISOLATE, 'action-id': 'microsoft-defender-InitiateInvestigation' }, 'HTTP 504'],
    ])('%s answered %d → failure (%s), one call', async (_name, status, code, route, body, message) => {
      relay.sandbox.faults.add({ route, status, times: 1 });
      const res = await trigger(body);
      expect(res.body).toEqual({ data: FAILURE, errors: [{ type: 'fatal', code, message: expect.stringContaining(message) }] });
      expect(relay.sandbox.stats.count(route)).toBe(1);
    });

    it('isolate that times out → failure (timeout), one call', async () => {
      relay.sandbox.faults.add({ route: 'machines.isolate', hang: true });
      const res = await trigger(ISOLATE);
      expect(res.body).toEqual({ data: FAILURE, errors: [{ type: 'fatal', code: 'timeout', message: 'Microsoft Defender for Endpoint did not answer within 1000 ms' }] });
      expect(relay.sandbox.stats.count('machines.isolate')).toBe(1);
    });

    it('removing an indicator that is gone by the time it is deleted → failure (not found), one call', async () => {
      relay.sandbox.faults.add({ route: 'indicators.delete', status: 404, body: { error: { code: 'ResourceNotFound', message: 'Indicator 102 was not found' } } });
      const res = await trigger(REMOVE);
      expect(res.body).toEqual({
        data: FAILURE,
        errors: [{ type: 'fatal', code: 'not found', message: 'Microsoft Defender for Endpoint found nothing: Indicator 102 was not found' }],
      });
      expect(relay.sandbox.stats.count('indicators.delete')).toBe(1);
    });
  });
});
