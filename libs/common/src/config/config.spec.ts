import { loadAuthConfig } from './auth.config';
import { loadDefenderConfig, parseEntitiesLimit } from './defender.config';
import { loadServerConfig } from './server.config';
import { ConfigValidationError } from './validate-config';

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigValidationError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('server config', () => {
  it('has the contract defaults', () => {
    expect(loadServerConfig({})).toEqual({
      port: 9090,
      host: '0.0.0.0',
      bodyLimit: 1048576,
      trustProxy: false,
      publicUrl: undefined,
      logLevel: 'info',
      metricsPort: undefined,
      metricsHost: '0.0.0.0',
    });
  });

  it.each([
    ['PORT', '8080', { port: 8080 }],
    ['HOST', '127.0.0.1', { host: '127.0.0.1' }],
    ['BODY_LIMIT', '2mb', { bodyLimit: 2 * 1024 * 1024 }],
    ['BODY_LIMIT', '4096', { bodyLimit: 4096 }],
    ['BODY_LIMIT', '512kb', { bodyLimit: 512 * 1024 }],
    ['BODY_LIMIT', '2M', { bodyLimit: 2 * 1024 * 1024 }],
    ['PORT', '0', { port: 0 }],
    ['TRUST_PROXY', 'on', { trustProxy: true }],
    ['TRUST_PROXY', 'FALSE', { trustProxy: false }],
    ['RELAY_PUBLIC_URL', 'https://relay.example.com/', { publicUrl: 'https://relay.example.com' }],
    ['LOG_LEVEL', 'DEBUG', { logLevel: 'debug' }],
    ['LOG_LEVEL', 'WARNING', { logLevel: 'warn' }],
    ['METRICS_PORT', '9464', { metricsPort: 9464 }],
  ])('coerces %s=%s', (name, value, expected) => {
    expect(loadServerConfig({ [name]: value })).toMatchObject(expected);
  });

  it('treats an empty value as unset', () => {
    expect(loadServerConfig({ PORT: '' }).port).toBe(9090);
  });

  it.each([
    ['PORT', 'http', 'PORT: must be an integer port number'],
    ['PORT', '70000', 'PORT: PORT must not be greater than 65535'],
    ['BODY_LIMIT', 'lots', 'BODY_LIMIT: must be a size in bytes'],
    ['BODY_LIMIT', '10', 'BODY_LIMIT: must be at least 64 bytes'],
    ['TRUST_PROXY', 'maybe', 'TRUST_PROXY: must be true or false'],
    ['RELAY_PUBLIC_URL', 'relay.example.com', 'RELAY_PUBLIC_URL: must be an http(s) URL'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL: must be one of'],
    ['METRICS_PORT', 'yes', 'METRICS_PORT: must be an integer port number'],
  ])('rejects %s=%s with a message naming it', (name, value, message) => {
    const found = problems(() => loadServerConfig({ [name]: value }));
    expect(found.join('\n')).toContain(message);
    expect(found.join('\n')).toContain(`(got '${value}')`);
  });

  it('lists every bad variable at once', () => {
    expect(problems(() => loadServerConfig({ PORT: 'x', LOG_LEVEL: 'y' }))).toHaveLength(2);
  });
});

describe('auth config', () => {
  it('defaults to the three Cisco JWKS hosts over https and no SECRET_KEY', () => {
    const cfg = loadAuthConfig({});
    expect(cfg.secretKey).toBeUndefined();
    expect(cfg.jwksHosts.map((h) => h.jwksUrl)).toEqual([
      'https://visibility.amp.cisco.com/.well-known/jwks',
      'https://visibility.eu.amp.cisco.com/.well-known/jwks',
      'https://visibility.apjc.amp.cisco.com/.well-known/jwks',
    ]);
  });

  it('reads an origin entry by host:port and fetches it as written', () => {
    const cfg = loadAuthConfig({ JWKS_HOSTS: 'visibility.amp.cisco.com, http://127.0.0.1:8443' });
    expect(cfg.jwksHosts[1]).toEqual({ match: '127.0.0.1:8443', jwksUrl: 'http://127.0.0.1:8443/.well-known/jwks' });
  });

  it.each(['https://host/path', 'not a host', 'ftp://x'])('rejects JWKS_HOSTS entry %s', (entry) => {
    expect(problems(() => loadAuthConfig({ JWKS_HOSTS: entry }))[0]).toMatch(/^JWKS_HOSTS: /);
  });

  it('accepts a short SECRET_KEY with a warning, a strong one without', () => {
    expect(loadAuthConfig({ SECRET_KEY: 'short' })).toMatchObject({ secretKey: 'short', warnings: [expect.stringContaining('SECRET_KEY has 5 characters')] });
    expect(loadAuthConfig({ SECRET_KEY: 'x'.repeat(64) })).toMatchObject({ secretKey: 'x'.repeat(64), warnings: [] });
  });
});

describe('defender config', () => {
  it('defaults to the commercial cloud and the contract values', () => {
    expect(loadDefenderConfig({})).toMatchObject({
      cloud: 'commercial',
      loginUrl: 'https://login.microsoftonline.com',
      apiUrl: 'https://api.security.microsoft.com',
      apiResource: 'https://api.securitycenter.microsoft.com',
      portalUrl: 'https://security.microsoft.com',
      graphUrl: 'https://graph.microsoft.com',
      huntingApi: 'auto',
      upstreamTimeoutMs: 10000,
      requestDeadlineMs: 25000,
      rateLimit: true,
      entitiesLimit: 100,
      warnings: [],
    });
  });

  it.each([
    ['gcc', 'https://login.microsoftonline.com', 'https://api-gcc.securitycenter.microsoft.us', 'https://security.microsoft.com'],
    ['gcc-high', 'https://login.microsoftonline.us', 'https://api-gov.securitycenter.microsoft.us', 'https://security.microsoft.us'],
    ['DoD', 'https://login.microsoftonline.us', 'https://api-gov.securitycenter.microsoft.us', 'https://security.apps.mil'],
  ])('DEFENDER_CLOUD=%s selects its hosts', (cloud, loginUrl, apiUrl, portalUrl) => {
    expect(loadDefenderConfig({ DEFENDER_CLOUD: cloud })).toMatchObject({ loginUrl, apiUrl, portalUrl });
  });

  it('lets each URL be overridden while the token audience stays the cloud one', () => {
    const cfg = loadDefenderConfig({
      DEFENDER_CLOUD: 'gcc',
      DEFENDER_LOGIN_URL: 'http://127.0.0.1:9191/',
      DEFENDER_API_URL: 'http://127.0.0.1:9191',
      DEFENDER_PORTAL_URL: 'https://portal.test',
      GRAPH_API_URL: 'http://127.0.0.1:9191',
    });
    expect(cfg).toMatchObject({
      loginUrl: 'http://127.0.0.1:9191',
      apiUrl: 'http://127.0.0.1:9191',
      portalUrl: 'https://portal.test',
      graphUrl: 'http://127.0.0.1:9191',
      apiResource: 'https://api-gcc.securitycenter.microsoft.us',
    });
  });

  it.each([
    ['us', 'https://us.api.security.microsoft.com'],
    ['EU', 'https://eu.api.security.microsoft.com'],
    ['aea', 'https://aea.api.security.microsoft.com'],
  ])('DEFENDER_API_REGION=%s selects the regional host and keeps the token audience', (region, apiUrl) => {
    expect(loadDefenderConfig({ DEFENDER_API_REGION: region })).toMatchObject({
      apiUrl,
      apiRegion: region.toLowerCase(),
      apiResource: 'https://api.securitycenter.microsoft.com',
      warnings: [],
    });
  });

  it('lets an explicit DEFENDER_API_URL win over the region, with a warning', () => {
    expect(loadDefenderConfig({ DEFENDER_API_REGION: 'uk', DEFENDER_API_URL: 'http://127.0.0.1:9191' })).toMatchObject({
      apiUrl: 'http://127.0.0.1:9191',
      warnings: ['DEFENDER_API_REGION=uk is ignored: DEFENDER_API_URL is set'],
    });
  });

  it('warns at start that HUNTING_API=defender is retiring', () => {
    expect(loadDefenderConfig({ HUNTING_API: 'defender' }).warnings).toEqual([expect.stringMatching(/^HUNTING_API=defender uses the Defender hunting API, which returns no data from 2027-02-01/)]);
    expect(loadDefenderConfig({ HUNTING_API: 'graph' }).warnings).toEqual([]);
  });

  it('refuses a region for a government cloud, whose host is fixed', () => {
    expect(problems(() => loadDefenderConfig({ DEFENDER_CLOUD: 'gcc-high', DEFENDER_API_REGION: 'us' }))).toEqual([
      "DEFENDER_API_REGION: regional hosts exist only in the commercial cloud; DEFENDER_CLOUD=gcc-high has its own host (got 'us')",
    ]);
  });

  it.each([
    ['HUNTING_API', 'Graph', { huntingApi: 'graph' }],
    ['HUNTING_API', 'defender', { huntingApi: 'defender' }],
    ['HUNTING_API', 'AUTO', { huntingApi: 'auto' }],
    ['UPSTREAM_TIMEOUT_MS', '5000', { upstreamTimeoutMs: 5000 }],
    ['REQUEST_DEADLINE_MS', '30000', { requestDeadlineMs: 30000 }],
    ['DEFENDER_RATE_LIMIT', 'off', { rateLimit: false }],
    ['REDIS_URL', 'redis://redis:6379/0', { redisUrl: 'redis://redis:6379/0' }],
  ])('coerces %s=%s', (name, value, expected) => {
    expect(loadDefenderConfig({ [name]: value })).toMatchObject(expected);
  });

  it.each([
    ['DEFENDER_CLOUD', 'azure-china', 'DEFENDER_CLOUD: must be one of commercial, gcc, gcc-high, dod'],
    ['DEFENDER_API_URL', 'api.example.com', 'DEFENDER_API_URL: must be an http(s) origin'],
    ['DEFENDER_LOGIN_URL', 'ftp://x', 'DEFENDER_LOGIN_URL: must be an http(s) origin'],
    ['DEFENDER_PORTAL_URL', 'nope', 'DEFENDER_PORTAL_URL: must be an http(s) origin'],
    ['GRAPH_API_URL', 'nope', 'GRAPH_API_URL: must be an http(s) origin'],
    ['HUNTING_API', 'splunk', "HUNTING_API: must be one of auto, graph, defender (got 'splunk')"],
    ['DEFENDER_API_REGION', 'fr', "DEFENDER_API_REGION: must be one of us, eu, uk, au, swa, ina, aea (got 'fr')"],
    ['DEFENDER_API_REGION', 'eu.api.security.microsoft.com', 'DEFENDER_API_REGION: must be one of us, eu'],
    ['UPSTREAM_TIMEOUT_MS', '1.5', 'UPSTREAM_TIMEOUT_MS: must be a whole number'],
    ['REQUEST_DEADLINE_MS', '0', 'REQUEST_DEADLINE_MS: must be a positive number of milliseconds'],
    ['UPSTREAM_TIMEOUT_MS', '0', 'UPSTREAM_TIMEOUT_MS: must be a positive number of milliseconds'],
    ['DEFENDER_RATE_LIMIT', 'sometimes', 'DEFENDER_RATE_LIMIT: must be on or off'],
    ['REDIS_URL', 'http://redis', 'REDIS_URL: must be a redis:// or rediss:// URL'],
  ])('rejects %s=%s', (name, value, message) => {
    expect(problems(() => loadDefenderConfig({ [name]: value })).join('\n')).toContain(message);
  });

  it('bounds the upstream timeout by the request deadline instead of refusing to start', () => {
    expect(loadDefenderConfig({ REQUEST_DEADLINE_MS: '3000' })).toMatchObject({ upstreamTimeoutMs: 3000, requestDeadlineMs: 3000 });
  });

  describe('CTR_ENTITIES_LIMIT (C-31)', () => {
    it.each([
      ['50', 50, false],
      ['1000', 1000, false],
      ['5000', 1000, true],
      ['0', 100, true],
      ['-3', 100, true],
      ['ten', 100, true],
      ['2.5', 100, true],
    ])('%s → %d', (raw, value, warns) => {
      const cfg = loadDefenderConfig({ CTR_ENTITIES_LIMIT: raw });
      expect(cfg.entitiesLimit).toBe(value);
      expect(cfg.warnings.length > 0).toBe(warns);
    });

    it('reads a JWT claim number the same way', () => {
      expect(parseEntitiesLimit(7)).toEqual({ value: 7 });
      expect(parseEntitiesLimit('x', 30).value).toBe(30);
    });
  });
});
