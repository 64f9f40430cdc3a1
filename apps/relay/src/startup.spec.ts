import { loadRelayConfig } from '@app/common';
import { listenError, startupSummary, StartupFacts } from './startup';

function facts(env: Record<string, string> = {}, extra: Partial<StartupFacts> = {}): StartupFacts {
  return { version: '1.2.3', port: 9090, ...loadRelayConfig(env), ...extra };
}

const KEY = 'k'.repeat(64);

describe('startupSummary', () => {
  it('says in one line what runs where: version, address, auth modes, Microsoft hosts, hunting, state, metrics', () => {
    expect(startupSummary(facts({ SECRET_KEY: KEY })).message).toBe(
      'Defender Relay 1.2.3 listening on http://0.0.0.0:9090; auth: HS256 on, RS256 off (RELAY_PUBLIC_URL unset); ' +
        'commercial cloud: login https://login.microsoftonline.com, API https://api.security.microsoft.com, portal https://security.microsoft.com; ' +
        "hunting: auto (Graph https://graph.microsoft.com; Defender's retiring API only for apps Graph refuses, until 2027-02-01); state: memory (one replica); metrics: off",
    );
  });

  it('names RS256 with its audience and JWKS hosts, Graph hunting, Redis and the bound metrics port', () => {
    const summary = startupSummary(
      facts(
        { SECRET_KEY: KEY, RELAY_PUBLIC_URL: 'https://relay.example.com', JWKS_HOSTS: 'visibility.eu.amp.cisco.com', HUNTING_API: 'graph', DEFENDER_CLOUD: 'gcc-high', REDIS_URL: 'redis://:hunter2@redis:6379/0', METRICS_PORT: '0', METRICS_HOST: '::' },
        { metricsPort: 40123 },
      ),
    );
    expect(summary.message).toContain('auth: HS256 on, RS256 on (aud https://relay.example.com, JWKS visibility.eu.amp.cisco.com)');
    expect(summary.message).toContain('gcc-high cloud: login https://login.microsoftonline.us');
    expect(summary.message).toContain('hunting: graph (https://graph.microsoft.us)');
    expect(summary.message).toContain('state: redis redis://redis:6379;');
    expect(summary.message).toContain('metrics: http://[::]:40123/metrics');
    expect(JSON.stringify(summary)).not.toContain('hunter2');
    expect(summary.details).toMatchObject({ auth: { hs256: true, rs256: true }, cloud: 'gcc-high', hunting: 'graph', state: 'redis', metrics: 'http://[::]:40123/metrics' });
    expect(summary.warnings).toEqual([]);
  });

  it('warns that every HS256 token will be refused without SECRET_KEY', () => {
    const summary = startupSummary(facts({ RELAY_PUBLIC_URL: 'https://relay.example.com' }));
    expect(summary.message).toContain('auth: HS256 off (SECRET_KEY unset), RS256 on');
    expect(summary.warnings).toEqual(['SECRET_KEY is not set: every HS256 token will be refused (npm run jwt makes a key and a module JWT)']);
  });

  it('warns that every token will be refused when neither auth mode is configured', () => {
    expect(startupSummary(facts()).warnings).toEqual([
      'Neither SECRET_KEY nor RELAY_PUBLIC_URL is set: every module JWT will be refused (set SECRET_KEY for HS256, RELAY_PUBLIC_URL for RS256)',
    ]);
  });

  it('warns when Redis would hold JWKS key sets that nothing can authenticate', () => {
    const rs256 = { RELAY_PUBLIC_URL: 'https://relay.example.com', REDIS_URL: 'redis://127.0.0.1:6379' };
    const redisWarning = expect.stringMatching(/^REDIS_URL is set but neither STATE_KEY nor SECRET_KEY/);
    expect(startupSummary(facts(rs256)).warnings).toContainEqual(redisWarning);
    expect(startupSummary(facts({ ...rs256, STATE_KEY: 'k'.repeat(32) })).warnings).not.toContainEqual(redisWarning);
  });

  it('shows the port actually bound and an IPv6 host in brackets', () => {
    expect(startupSummary(facts({ SECRET_KEY: KEY, HOST: '::', PORT: '0' }, { port: 41000 })).message).toContain('listening on http://[::]:41000;');
  });
});

describe('listenError', () => {
  const failure = (code: string) => Object.assign(new Error(`listen ${code}`), { code });

  it('names the variable to change when the port is taken', () => {
    expect(listenError(failure('EADDRINUSE'), 'METRICS_PORT', 9464, '0.0.0.0')?.message).toBe(
      'METRICS_PORT=9464 is already in use on 0.0.0.0 (another relay or service listens on 0.0.0.0:9464); stop it or set METRICS_PORT to a free port',
    );
  });

  it('explains privileged ports and foreign addresses', () => {
    expect(listenError(failure('EACCES'), 'PORT', 80, '0.0.0.0')?.message).toBe(
      'PORT=80 needs privileges this process lacks (ports below 1024 usually do); set PORT to 1024 or above',
    );
    expect(listenError(failure('EADDRNOTAVAIL'), 'PORT', 9090, '10.9.9.9')?.message).toBe('cannot listen on 10.9.9.9:9090: 10.9.9.9 is not an address of this machine; check HOST');
  });

  it('leaves any other error alone', () => {
    expect(listenError(failure('EMFILE'), 'PORT', 9090, '0.0.0.0')).toBeUndefined();
    expect(listenError(new Error('boom'), 'PORT', 9090, '0.0.0.0')).toBeUndefined();
  });
});
