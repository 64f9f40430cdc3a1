import { RelayHarness, startRelay } from './support/relay-harness';

const invalid = (message: string) => ({ errors: [{ type: 'fatal', code: 'invalid payload', message }] });

describe('bad bodies', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay({ BODY_LIMIT: '4kb' })));
  afterAll(() => relay.close());

  afterEach(async () => {
    // Whatever the previous request sent, the relay still serves the next one.
    const next = await relay.post('/refer/observables', [{ type: 'ip', value: '10.0.0.1' }]);
    expect(next.body.data).toHaveLength(1);
  });

  it.each<[string, string, string]>([
    ['not JSON', '{"type": "ip",', 'Invalid JSON payload received: the body is not valid JSON'],
    ['an object instead of a list', '{"type":"ip","value":"1.1.1.1"}', 'Invalid JSON payload received: expected a JSON array of observables'],
    ['an item without value', '[{"type":"ip","value":"1.1.1.1"},{"type":"ip"}]', "Invalid JSON payload received: item 1: 'value' must be a non-empty string"],
    ['an empty type', '[{"type":"","value":"1.1.1.1"}]', "Invalid JSON payload received: item 0: 'type' must be a non-empty string"],
    ['an empty value', '[{"type":"ip","value":""}]', "Invalid JSON payload received: item 0: 'value' must be a non-empty string"],
    ['a number as value', '[{"type":"ip","value":12345}]', "Invalid JSON payload received: item 0: 'value' must be a non-empty string"],
    ['a string item', '["1.1.1.1"]', "Invalid JSON payload received: item 0 is not an object with 'type' and 'value'"],
  ])('answers %s with a clear invalid payload error', async (_name, body, message) => {
    const res = await relay.post('/refer/observables', body, { raw: true });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(invalid(message));
  });

  it('answers a body over the limit with invalid payload', async () => {
    const huge = JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ type: 'ip', value: `10.0.${i % 250}.1` })));
    const res = await relay.post('/refer/observables', huge, { raw: true });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(invalid('Invalid JSON payload received: the body is larger than the limit of 4096 bytes'));
  });

  it('parses JSON whatever the Content-Type says', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream']) {
      const res = await relay.post('/refer/observables', '[{"type":"domain","value":"example.com"}]', { raw: true, headers: { 'content-type': type } });
      expect(res.body.data).toHaveLength(1);
    }
  });

  it('reads a body after a UTF-8 byte-order mark', async () => {
    const bom = await relay.post('/refer/observables', '\ufeff[{"type":"domain","value":"example.com"}]', { raw: true });
    expect(bom.body.data).toHaveLength(1);
    expect((await relay.post('/refer/observables', '\ufeff', { raw: true })).body).toEqual({ data: [] });
  });

  it('reads an empty body as an empty list', async () => {
    const res = await relay.post('/refer/observables', undefined);
    expect(res.body).toEqual({ data: [] });
  });

  it('skips a malformed value with a warning and answers the rest', async () => {
    const res = await relay.post('/refer/observables', [
      { type: 'sha1', value: 'not-a-hash' },
      { type: 'ip', value: '10.1.1.1' },
    ]);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.errors).toEqual([{ type: 'warning', code: 'invalid payload', message: 'Skipped observable at index 0: not a SHA-1 (40 hexadecimal characters)' }]);
  });
});

describe('observables per request (MAX_OBSERVABLES)', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay()));
  afterAll(() => relay.close());

  const ips = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'ip', value: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}` }));

  it('refuses more than the default 1,000 with invalid payload naming the cap, before calling Defender', async () => {
    relay.sandbox.stats.reset();
    const res = await relay.post('/observe/observables', ips(1001));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(invalid('Invalid JSON payload received: 1001 observables, more than the limit of 1000 per request (MAX_OBSERVABLES)'));
    expect(relay.sandbox.stats.count()).toBe(0);
    expect((await relay.post('/refer/observables', ips(1000))).body.data).toHaveLength(1000);
  });

  it('applies a configured cap on every observables route', async () => {
    const small = await startRelay({ MAX_OBSERVABLES: '2' });
    try {
      for (const path of ['/observe/observables', '/deliberate/observables', '/refer/observables', '/respond/observables']) {
        const res = await small.post(path, ips(3));
        expect({ path, body: res.body }).toEqual({ path, body: invalid('Invalid JSON payload received: 3 observables, more than the limit of 2 per request (MAX_OBSERVABLES)') });
      }
      expect((await small.post('/refer/observables', ips(2))).body.data).toHaveLength(2);
    } finally {
      await small.close();
    }
  });
});

describe('IPv6 zone ids', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay()));
  afterAll(() => relay.close());

  it('skips fe80::1%eth0 and fe80::1%eth0.1 with a warning, answers the rest and sends neither to Defender', async () => {
    relay.sandbox.stats.reset();
    const res = await relay.post('/observe/observables', [
      { type: 'ipv6', value: 'fe80::1%eth0' },
      { type: 'ipv6', value: 'fe80::1%eth0.1' },
      { type: 'ip', value: 'fe80::1%25eth0' },
      { type: 'sha1', value: '4fb1cc732f4ef37e830af5cda20b3aadf133d1e2' },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.data.sightings.count).toBeGreaterThan(0);
    expect(res.body.errors).toEqual([
      { type: 'warning', code: 'invalid payload', message: 'Skipped observable at index 0: not an IPv6 address' },
      { type: 'warning', code: 'invalid payload', message: 'Skipped observable at index 1: not an IPv6 address' },
      { type: 'warning', code: 'invalid payload', message: 'Skipped observable at index 2: not an IP address' },
    ]);
    const sent = relay.sandbox.stats.entries().map((e) => `${e.path} ${JSON.stringify(e.query)} ${JSON.stringify(e.body)}`);
    expect(sent.filter((line) => /fe80/i.test(line))).toEqual([]);
  });
});
