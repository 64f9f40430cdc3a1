import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RelayHarness, request, startRelay } from './support/relay-harness';

describe('version and watchdog', () => {
  let relay: RelayHarness;
  beforeAll(async () => (relay = await startRelay()));
  afterAll(() => relay.close());

  it('GET and POST /version answer the package version without auth', async () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    for (const res of [await relay.get('/version'), await relay.post('/version', undefined, { token: null })]) {
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ version });
    }
  });

  it('GET /watchdog echoes the Health-Check header without auth', async () => {
    const res = await relay.get('/watchdog', { 'Health-Check': 'probe-42' });
    expect(res).toMatchObject({ status: 200, body: { data: 'probe-42' } });
  });

  it('GET /watchdog without the header is a health check failure', async () => {
    const res = await relay.get('/watchdog');
    expect(res).toMatchObject({ status: 200, body: { errors: [{ type: 'fatal', code: 'health check failed', message: 'Invalid Health Check' }] } });
  });

  it('answers an unknown route and a wrong method with their real status and JSON', async () => {
    const unknown = await relay.post('/observe/everything', []);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ statusCode: 404 });
    const wrongMethod = await relay.get('/refer/observables');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect(wrongMethod.headers.get('content-type')).toContain('application/json');
    expect(wrongMethod.body).toMatchObject({ statusCode: 405, error: 'Method Not Allowed' });
    const deleteWatchdog = await request(`${relay.url}/watchdog`, { method: 'DELETE' });
    expect(deleteWatchdog).toMatchObject({ status: 405, body: { statusCode: 405 } });
  });

  it('serves Swagger UI and an OpenAPI document listing every route', async () => {
    const ui = await relay.get('/docs');
    expect(ui.status).toBe(200);
    expect(String(ui.body)).toContain('swagger-ui');
    const doc = await relay.get('/docs-json');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/version', '/watchdog', '/refer/observables', '/health']));
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});
