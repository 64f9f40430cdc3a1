import { MetricsServer } from '../apps/relay/src/metrics/metrics.server';
import { request, RelayHarness, startRelay } from './support/relay-harness';

/** Reads one sample's value from Prometheus text, 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('Prometheus metrics', () => {
  let relay: RelayHarness;
  let metricsUrl: string;
  beforeAll(async () => {
    relay = await startRelay({ METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' });
    metricsUrl = `http://127.0.0.1:${relay.app.get(MetricsServer).port}/metrics`;
  });
  afterAll(() => relay.close());

  const scrape = async () => String((await request(metricsUrl, {})).body);

  it('is not served on the relay port', async () => {
    expect((await relay.get('/metrics')).status).toBe(404);
  });

  it('counts requests by route and outcome, Defender calls by API and status, and token cache lookups', async () => {
    const before = await scrape();
    await relay.post('/health');
    await relay.post('/health');
    await relay.post('/refer/observables', [{ type: 'ip', value: '10.0.0.1' }]);
    await relay.post('/refer/observables', [], { token: 'bad.token.here' });
    await relay.post('/no/such/route');
    await relay.get('/refer/observables');
    relay.sandbox.faults.add({ route: 'alerts.list', status: 403, body: { error: { code: 'Forbidden', message: 'no' } }, times: 1 });
    await relay.post('/health');
    const after = await scrape();

    const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    expect(delta('relay_requests_total', { route: '/health', outcome: 'ok' })).toBe(2);
    expect(delta('relay_requests_total', { route: '/health', outcome: 'error' })).toBe(1);
    expect(delta('relay_requests_total', { route: '/refer/observables', outcome: 'ok' })).toBe(1);
    expect(delta('relay_requests_total', { route: '/refer/observables', outcome: 'error' })).toBe(1);
    // Unknown paths and wrong methods share one label, whatever the path was.
    expect(delta('relay_requests_total', { route: 'unmatched', outcome: 'client_error' })).toBe(2);
    expect(delta('relay_defender_calls_total', { api: 'alerts', status: '200' })).toBe(2);
    expect(delta('relay_defender_calls_total', { api: 'alerts', status: '403' })).toBe(1);
    // The first /health also learns the hunting API through Graph, with Graph's own token.
    expect(delta('relay_defender_calls_total', { api: 'security', status: '200' })).toBe(1);
    expect(delta('relay_defender_calls_total', { api: 'token', status: '200' })).toBe(2);
    expect(delta('relay_token_cache_total', { result: 'miss' })).toBe(2);
    // Lookups, not fetches: each request first proves its credentials (one lookup), then every
    // Defender call looks its token up again; Graph's token is looked up before its rate-limit slot.
    // Each /health also reads the roles of both tokens (two lookups, the first Graph one a miss).
    // /health 1: proof (miss), roles (hit + miss), alerts (hit), Graph probe (hit + hit);
    // /health 2 and 3: proof, roles (two), alerts.
    expect(delta('relay_token_cache_total', { result: 'hit' })).toBe(12);
    expect(delta('relay_request_duration_seconds_count', { route: '/health' })).toBe(3);
    expect(after).not.toContain('/no/such/route');
    expect(after).toContain('process_resident_memory_bytes');
  });

  it('counts retries', async () => {
    const before = await scrape();
    relay.sandbox.faults.add({ route: 'alerts.list', status: 503, body: { error: { code: 'ServiceUnavailable', message: 'busy' } }, times: 1 });
    expect((await relay.post('/health')).body).toEqual({ data: expect.objectContaining({ status: 'ok', hunting: 'graph' }) });
    const after = await scrape();
    expect(sample(after, 'relay_defender_retries_total', { reason: 'unavailable' }) - sample(before, 'relay_defender_retries_total', { reason: 'unavailable' })).toBe(1);
  });
});

describe('metrics listener', () => {
  it('listens on loopback only unless METRICS_HOST opens it: /metrics has no authentication', async () => {
    const relay = await startRelay({ METRICS_PORT: '0' });
    try {
      const server = relay.app.get(MetricsServer);
      expect(server.host).toBe('127.0.0.1');
      const res = await request(`http://127.0.0.1:${server.port}/metrics`, {});
      expect(res.status).toBe(200);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    } finally {
      await relay.close();
    }
  });
});
