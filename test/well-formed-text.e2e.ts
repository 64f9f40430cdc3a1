import { JUDGE_TYPES, ObservableType, OBSERVE_TYPES, RESPOND_TYPES } from '@app/common';
import { DEMO_MACHINE_IDS } from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';

// A lone UTF-16 surrogate (valid in JSON as `\ud800`, but no text any encoder can send on) is
// refused at validation for every observable type: that observable is skipped with a warning and
// the rest of the request is answered.

const LONE = ['\ud800', '\udfff', 'a\udc00b'];
const BASE: Record<string, string> = {
  ip: '10.0.0.1',
  ipv6: '2001:db8::1',
  domain: 'example.com',
  sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
  sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  md5: 'd41d8cd98f00b204e9800998ecf8427e',
  ms_machine_id: DEMO_MACHINE_IDS.win10,
  url: 'http://example.com/a',
  hostname: 'ws-01',
  user: 'CONTOSO\\jdoe',
};
const TYPES = Object.keys(BASE);
const NOT_TEXT = 'not well-formed text (it holds a lone UTF-16 surrogate)';

describe('well-formed strings only', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay()));
  afterAll(() => relay.close());
  beforeEach(() => relay.sandbox.reset());

  const spoiled = (lone: string) => TYPES.map((type) => ({ type, value: `${BASE[type]}${lone}` }));
  const warnings = (count: number) =>
    Array.from({ length: count }, (_, i) => ({ type: 'warning', code: 'invalid payload', message: `Skipped observable at index ${i}: ${NOT_TEXT}` }));

  it.each(LONE.map((l) => [JSON.stringify(l), l]))('/refer: every type with %s is skipped with a warning, the good one still answered', async (_name, lone) => {
    const res = await relay.post('/refer/observables', [...spoiled(lone), { type: 'ip', value: '10.0.0.1' }]);
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual(warnings(TYPES.length));
    expect(res.body.data.length).toBeGreaterThan(0);
    expect(JSON.stringify(res.body.data)).not.toMatch(/\\ud[89a-f]/i);
  });

  it.each(['/observe/observables', '/deliberate/observables', '/respond/observables'])('%s: every type with a lone surrogate is skipped with a warning, no Defender call for it, no internal error', async (path) => {
    const res = await relay.post(path, [...spoiled('\ud800'), { type: 'ms_machine_id', value: DEMO_MACHINE_IDS.win10 }, { type: 'ip', value: '10.0.0.1' }]);
    expect(res.status).toBe(200);
    const skipped = (res.body.errors ?? []).filter((e: { message: string }) => e.message.includes(NOT_TEXT));
    const accepted = path === '/deliberate/observables' ? JUDGE_TYPES : path === '/respond/observables' ? RESPOND_TYPES : OBSERVE_TYPES;
    const ofTypes = TYPES.filter((t) => accepted.includes(t as ObservableType)).length;
    expect(skipped).toHaveLength(ofTypes);
    expect((res.body.errors ?? []).filter((e: { type: string }) => e.type !== 'warning')).toEqual([]);
    const asked = relay.sandbox.stats.entries().map((e) => `${e.path} ${JSON.stringify(e.query)} ${JSON.stringify(e.body)}`);
    // The good IP was looked up; nothing of the spoiled values reached Defender.
    expect(asked.join('\n')).toContain('10.0.0.1');
    expect(asked.join('\n')).not.toMatch(/\\ud800|%ED%A0%80|\ufffd/i);
  });

  it.each(['hostname', 'ip', 'ms_machine_id'])('/respond/trigger on a %s with a lone surrogate: invalid payload, nothing sent', async (type) => {
    const res = await relay.post('/respond/trigger', {
      'action-id': 'microsoft-defender-RunAntiVirusScanQuick',
      observable_type: type,
      observable_value: `${BASE[type]}\ud800`,
      machine_id: DEMO_MACHINE_IDS.win10,
    });
    expect(res.body).toEqual({ data: { status: 'failure' }, errors: [{ type: 'fatal', code: 'invalid payload', message: `Invalid JSON payload received: 'observable_value' is ${NOT_TEXT}` }] });
    expect(relay.sandbox.stats.entries().filter((e) => e.route !== 'token')).toEqual([]);
  });
});
