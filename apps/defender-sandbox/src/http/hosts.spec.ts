import { request } from 'node:http';
import { startSandbox } from '../sandbox';
import { tokenFor } from '../testing/sandbox-client.helper';
import { answersOn } from './hosts';

describe('hosts the sandbox answers on', () => {
  it.each([
    'api.security.microsoft.com',
    'eu.api.security.microsoft.com',
    'aea.api.security.microsoft.com',
    'api.securitycenter.microsoft.com',
    'api-us.securitycenter.microsoft.com',
    'api.securitycenter.windows.com',
    'api-gov.securitycenter.microsoft.us',
    'API.Security.Microsoft.com:443',
  ])('serves the Defender API on %s', (host) => {
    expect(answersOn('defender', host)).toBe(true);
  });

  it.each([
    ['defender', 'fr.api.security.microsoft.com'],
    ['defender', 'graph.microsoft.com'],
    ['graph', 'api.security.microsoft.com'],
    ['aad', 'graph.microsoft.com'],
  ] as const)('refuses %s routes on %s', (family, host) => {
    expect(answersOn(family, host)).toBe(false);
  });

  it.each([
    ['graph', 'graph.microsoft.us'],
    ['graph', 'dod-graph.microsoft.us'],
    ['aad', 'login.microsoftonline.us'],
    ['defender', '127.0.0.1:9191'],
    ['graph', 'localhost'],
    ['plain', 'visibility.amp.cisco.com'],
  ] as const)('serves %s routes on %s', (family, host) => {
    expect(answersOn(family, host)).toBe(true);
  });

  it('answers a call through an unknown regional host with the Defender 404 envelope', async () => {
    const sandbox = await startSandbox();
    try {
      const token = await tokenFor(sandbox);
      const get = (host: string) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = request(`${sandbox.url}/api/alerts?$top=1`, { headers: { host, authorization: `Bearer ${token}` } }, (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          });
          req.on('error', reject);
          req.end();
        });
      expect((await get('eu.api.security.microsoft.com')).status).toBe(200);
      const refused = await get('fr.api.security.microsoft.com');
      expect(refused.status).toBe(404);
      expect(JSON.parse(refused.body).error).toMatchObject({ code: 'NotFound', message: expect.stringContaining('fr.api.security.microsoft.com/api/alerts') });
    } finally {
      await sandbox.close();
    }
  });
});
