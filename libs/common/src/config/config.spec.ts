import { loadAuthConfig } from './auth.config';
import { loadDefenderConfig, parseEntitiesLimit } from './defender.config';
import { loadOutboundConfig } from './outbound.config';
import { configWarnings, loadRelayConfig } from './relay-config';
import { loadRespondConfig } from './respond.config';
import { loadServerConfig } from './server.config';
import { loadStateConfig } from './state.config';
import { problems } from '../../test-support/config-problems';

describe('server config', () => {
  it('has the contract defaults', () => {
    expect(loadServerConfig({})).toEqual({
      port: 9090,
      host: '0.0.0.0',
      bodyLimit: 1048576,
      maxObservables: 1000,
      requestTimeoutMs: 30000,
      headersTimeoutMs: 10000,
      keepAliveTimeoutMs: 72000,
      maxConnections: 256,
      bodyMemoryBudget: 256 * 1024 * 1024,
      trustProxy: false,
      docsEnabled: true,
      publicUrl: undefined,
      logLevel: 'info',
      metricsPort: undefined,
      metricsHost: '127.0.0.1',
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
    ['METRICS_HOST', '0.0.0.0', { metricsHost: '0.0.0.0' }],
    ['MAX_OBSERVABLES', '50', { maxObservables: 50 }],
    ['REQUEST_TIMEOUT_MS', '60000', { requestTimeoutMs: 60000 }],
    ['HEADERS_TIMEOUT_MS', '5000', { headersTimeoutMs: 5000 }],
    ['KEEP_ALIVE_TIMEOUT_MS', '5000', { keepAliveTimeoutMs: 5000 }],
    ['MAX_CONNECTIONS', '64', { maxConnections: 64 }],
    ['BODY_MEMORY_BUDGET', '512mb', { bodyMemoryBudget: 512 * 1024 * 1024, maxConnections: 512 }],
    ['BODY_LIMIT', '256kb', { maxConnections: 1024 }],
    ['BODY_LIMIT', '100mb', { maxConnections: 2 }],
    ['DOCS_ENABLED', 'off', { docsEnabled: false }],
  ])('coerces %s=%s', (name, value, expected) => {
    expect(loadServerConfig({ [name]: value })).toMatchObject(expected);
  });

  it('derives the connection cap from the body memory budget and BODY_LIMIT unless MAX_CONNECTIONS is given', () => {
    expect(loadServerConfig({ BODY_LIMIT: '2mb', BODY_MEMORY_BUDGET: '300mb' }).maxConnections).toBe(150);
    expect(loadServerConfig({ BODY_LIMIT: '2mb', MAX_CONNECTIONS: '900' }).maxConnections).toBe(900);
    expect(loadServerConfig({ BODY_MEMORY_BUDGET: '1mb', BODY_LIMIT: '2mb' }).maxConnections).toBe(1);
    expect(loadServerConfig({ MAX_CONNECTIONS: '' }).maxConnections).toBe(256);
  });

  it('treats an empty value as unset', () => {
    expect(loadServerConfig({ PORT: '' }).port).toBe(9090);
  });

  it.each([
    ['PORT', 'http', 'PORT: must be an integer port number'],
    ['PORT', '70000', 'PORT: must be a port number from 0 to 65535'],
    ['PORT', '-1', 'PORT: must be a port number from 0 to 65535'],
    ['METRICS_PORT', '65536', 'METRICS_PORT: must be a port number from 0 to 65535'],
    ['BODY_LIMIT', 'lots', 'BODY_LIMIT: must be a size in bytes'],
    ['BODY_LIMIT', '10', 'BODY_LIMIT: must be at least 64 bytes'],
    ['TRUST_PROXY', 'maybe', 'TRUST_PROXY: must be true or false'],
    ['RELAY_PUBLIC_URL', 'relay.example.com', 'RELAY_PUBLIC_URL: must be an http(s) URL'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL: must be one of'],
    ['METRICS_PORT', 'yes', 'METRICS_PORT: must be an integer port number'],
    ['MAX_OBSERVABLES', '0', 'MAX_OBSERVABLES: must be at least 1'],
    ['MAX_OBSERVABLES', 'many', 'MAX_OBSERVABLES: must be a whole number of observables'],
    ['REQUEST_TIMEOUT_MS', '30s', 'REQUEST_TIMEOUT_MS: must be a whole number of milliseconds'],
    ['REQUEST_TIMEOUT_MS', '0', 'REQUEST_TIMEOUT_MS: must be at least 1000 ms'],
    ['HEADERS_TIMEOUT_MS', '999', 'HEADERS_TIMEOUT_MS: must be at least 1000 ms'],
    ['KEEP_ALIVE_TIMEOUT_MS', '700000', 'KEEP_ALIVE_TIMEOUT_MS: must be at most 600000 ms'],
    ['MAX_CONNECTIONS', '0', 'MAX_CONNECTIONS: must be at least 1'],
    ['BODY_MEMORY_BUDGET', 'plenty', 'BODY_MEMORY_BUDGET: must be a size in bytes'],
    ['BODY_MEMORY_BUDGET', '512kb', 'BODY_MEMORY_BUDGET: must be at least 1mb'],
    ['DOCS_ENABLED', 'hidden', 'DOCS_ENABLED: must be true or false'],
  ])('rejects %s=%s with a message naming it', (name, value, message) => {
    const found = problems(() => loadServerConfig({ [name]: value }));
    expect(found.join('\n')).toContain(message);
    expect(found.join('\n')).toContain(`(got '${value}')`);
  });

  it('refuses METRICS_PORT equal to PORT, naming both, and accepts 0 for both (each picks a free port)', () => {
    expect(problems(() => loadServerConfig({ PORT: '9090', METRICS_PORT: '9090' }))).toEqual([
      'METRICS_PORT: must differ from PORT (both are 9090); metrics have a port of their own so they are never served publicly',
    ]);
    expect(problems(() => loadServerConfig({ METRICS_PORT: '9090' }))).toHaveLength(1);
    expect(loadServerConfig({ PORT: '0', METRICS_PORT: '0' })).toMatchObject({ port: 0, metricsPort: 0 });
  });

  it('lists every bad variable at once', () => {
    expect(problems(() => loadServerConfig({ PORT: 'x', LOG_LEVEL: 'y' }))).toHaveLength(2);
  });

  it('refuses a header timeout longer than the whole-request timeout', () => {
    expect(problems(() => loadServerConfig({ REQUEST_TIMEOUT_MS: '5000' }))).toEqual([
      'HEADERS_TIMEOUT_MS: 10000 ms is longer than REQUEST_TIMEOUT_MS (5000 ms); set it to at most that',
    ]);
    expect(loadServerConfig({ REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '5000' })).toMatchObject({ requestTimeoutMs: 5000, headersTimeoutMs: 5000 });
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
  ])('rejects %s=%s', (name, value, message) => {
    expect(problems(() => loadDefenderConfig({ [name]: value })).join('\n')).toContain(message);
  });

  describe('TILES_CACHE_TTL_MS', () => {
    it('reuses tile reads for a minute by default; 0 turns the cache off', () => {
      expect(loadDefenderConfig({}).tilesCacheTtlMs).toBe(60_000);
      expect(loadDefenderConfig({ TILES_CACHE_TTL_MS: ' 120000 ' }).tilesCacheTtlMs).toBe(120_000);
      expect(loadDefenderConfig({ TILES_CACHE_TTL_MS: '0' }).tilesCacheTtlMs).toBe(0);
      expect(loadDefenderConfig({ TILES_CACHE_TTL_MS: '' }).tilesCacheTtlMs).toBe(60_000);
    });

    it.each([
      ['-1', "TILES_CACHE_TTL_MS: must be 0 or more milliseconds (got '-1')"],
      ['1m', "TILES_CACHE_TTL_MS: must be a whole number of milliseconds (got '1m')"],
      ['1.5', "TILES_CACHE_TTL_MS: must be a whole number of milliseconds (got '1.5')"],
      ['3600001', "TILES_CACHE_TTL_MS: must be at most 3600000 ms (got '3600001')"],
    ])('refuses %s, naming the variable', (value, problem) => {
      expect(() => loadDefenderConfig({ TILES_CACHE_TTL_MS: value })).toThrow(expect.objectContaining({ problems: [problem] }));
    });
  });

  it('bounds the upstream timeout by the request deadline instead of refusing to start', () => {
    expect(loadDefenderConfig({ REQUEST_DEADLINE_MS: '3000' })).toMatchObject({ upstreamTimeoutMs: 3000, requestDeadlineMs: 3000 });
  });

  describe('CTR_ENTITIES_LIMIT', () => {
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

describe('state config', () => {
  it('keeps state in memory, unauthenticated, by default', () => {
    expect(loadStateConfig({})).toEqual({ redisUrl: undefined, stateKey: undefined, warnings: [] });
  });

  it.each([
    ['redis://redis:6379/0', 'redis://redis:6379/0'],
    // ioredis enables TLS only for a lower-case scheme.
    ['REDISS://:Pass@redis:6380', 'rediss://:Pass@redis:6380'],
  ])('reads REDIS_URL=%s', (value, redisUrl) => {
    expect(loadStateConfig({ REDIS_URL: value }).redisUrl).toBe(redisUrl);
  });

  it.each(['http://redis', 'redis://', 'redis:6379'])('rejects REDIS_URL=%s', (value) => {
    expect(problems(() => loadStateConfig({ REDIS_URL: value }))).toEqual([`REDIS_URL: must be a redis:// or rediss:// URL (got '${value}')`]);
  });

  it('keys state in Redis with STATE_KEY, else SECRET_KEY, else nothing', () => {
    expect(loadStateConfig({ SECRET_KEY: 's'.repeat(32) }).stateKey).toBe('s'.repeat(32));
    expect(loadStateConfig({ SECRET_KEY: 's'.repeat(32), STATE_KEY: 't'.repeat(32) }).stateKey).toBe('t'.repeat(32));
    expect(loadStateConfig({ STATE_KEY: 'short' }).warnings).toEqual([expect.stringContaining('STATE_KEY has 5 characters')]);
    // A short SECRET_KEY is warned about once, by the auth namespace.
    expect(loadStateConfig({ SECRET_KEY: 'short' }).warnings).toEqual([]);
  });
});

describe('relay config (every namespace from one environment)', () => {
  it('reads each namespace from the given environment only', () => {
    const env = { PORT: '8080', SECRET_KEY: 'k'.repeat(64), HUNTING_API: 'graph', REDIS_URL: 'redis://redis:6379' };
    expect(loadRelayConfig(env)).toEqual({
      server: loadServerConfig(env),
      auth: loadAuthConfig(env),
      respond: loadRespondConfig(env),
      defender: loadDefenderConfig(env),
      outbound: loadOutboundConfig(env),
      state: loadStateConfig(env),
    });
    expect(loadRelayConfig({}).server.port).toBe(9090);
  });

  it('lists the bad variables of every namespace in one error', () => {
    expect(problems(() => loadRelayConfig({ PORT: 'x', JWKS_HOSTS: 'https://host/path', HUNTING_API: 'splunk', OUTBOUND_PROXY: 'proxy', REDIS_URL: 'http://r' }))).toEqual([
      "PORT: must be an integer port number (got 'x')",
      "JWKS_HOSTS: 'https://host/path' must be a host name or an origin without a path",
      "HUNTING_API: must be one of auto, graph, defender (got 'splunk')",
      'OUTBOUND_PROXY: must be an http:// or https:// proxy origin such as http://proxy.example.com:3128',
      "REDIS_URL: must be a redis:// or rediss:// URL (got 'http://r')",
    ]);
  });

  it('lists the mistakes of a namespace and of its cross-field rules in one error (the three restarts of a real first day)', () => {
    const env = {
      BODY_LIMIT: '1 megabyte',
      QUARANTINE_MAX_DEVICES: '0',
      HEADERS_TIMEOUT_MS: '90000',
      INDICATOR_EXPIRATION: '30 days',
      PORT: '9090',
      METRICS_PORT: '9090',
      DEFENDER_CLOUD: 'gcc',
      DEFENDER_API_REGION: 'eu',
      JWKS_HOSTS: 'https://a/x,not a host',
    };
    expect(problems(() => loadRelayConfig(env))).toEqual([
      expect.stringMatching(/^BODY_LIMIT: .*\(got '1 megabyte'\)$/),
      expect.stringMatching(/^HEADERS_TIMEOUT_MS: 90000 ms is longer than REQUEST_TIMEOUT_MS/),
      expect.stringMatching(/^METRICS_PORT: must differ from PORT \(both are 9090\)/),
      "JWKS_HOSTS: 'https://a/x' must be a host name or an origin without a path",
      "JWKS_HOSTS: 'not a host' is not a host name (expected e.g. visibility.amp.cisco.com)",
      expect.stringMatching(/^QUARANTINE_MAX_DEVICES: .*\(got '0'\)$/),
      expect.stringMatching(/^INDICATOR_EXPIRATION: must be an ISO-8601 duration/),
      expect.stringMatching(/^DEFENDER_API_REGION: regional hosts exist only in the commercial cloud/),
    ]);
  });

  it('does not check a cross-field rule on a variable that is already wrong', () => {
    expect(problems(() => loadServerConfig({ HEADERS_TIMEOUT_MS: 'soon', METRICS_PORT: 'x' }))).toEqual([
      expect.stringMatching(/^HEADERS_TIMEOUT_MS: /),
      expect.stringMatching(/^METRICS_PORT: /),
    ]);
  });

  it('refuses NODE_ENV=production with neither SECRET_KEY nor RELAY_PUBLIC_URL, saying what to set, beside the other problems', () => {
    expect(problems(() => loadRelayConfig({ NODE_ENV: 'production', PORT: 'x' }))).toEqual([
      expect.stringMatching(/^PORT: /),
      expect.stringMatching(/^SECRET_KEY \/ RELAY_PUBLIC_URL: with NODE_ENV=production one of them must be set, or every call is refused: SECRET_KEY for HS256 .*RELAY_PUBLIC_URL .* for RS256$/),
    ]);
    expect(loadRelayConfig({ NODE_ENV: 'production', SECRET_KEY: 'k'.repeat(64) }).auth.secretKey).toHaveLength(64);
    expect(loadRelayConfig({ NODE_ENV: 'production', RELAY_PUBLIC_URL: 'https://relay.example.com' }).server.publicUrl).toBe('https://relay.example.com');
    // Outside production, the start-up summary warns instead.
    expect(loadRelayConfig({ NODE_ENV: 'development' }).auth.secretKey).toBeUndefined();
  });

  it("gathers every namespace's warnings", () => {
    const config = loadRelayConfig({ SECRET_KEY: 'short', STATE_KEY: 'tiny', CTR_ENTITIES_LIMIT: 'ten' });
    expect(configWarnings(config)).toEqual([
      expect.stringContaining('SECRET_KEY has 5 characters'),
      expect.stringContaining("CTR_ENTITIES_LIMIT 'ten' is not a positive integer"),
      expect.stringContaining('STATE_KEY has 4 characters'),
    ]);
  });
});

describe('outbound config', () => {
  it('uses no proxy by default, so HTTP(S)_PROXY in the environment is never picked up', () => {
    expect(loadOutboundConfig({ HTTP_PROXY: 'http://proxy:3128', HTTPS_PROXY: 'http://proxy:3128' })).toEqual({ proxy: false, warnings: [] });
  });

  it.each([
    ['https://proxy.corp.example', { protocol: 'https', host: 'proxy.corp.example', port: 443 }],
    ['http://proxy.corp.example:3128/', { protocol: 'http', host: 'proxy.corp.example', port: 3128 }],
    ['http://127.0.0.1', { protocol: 'http', host: '127.0.0.1', port: 80 }],
    ['http://[::1]:8080', { protocol: 'http', host: '::1', port: 8080 }],
    ['https://relay%40corp:p%3Ass@proxy:8443', { protocol: 'https', host: 'proxy', port: 8443, auth: { username: 'relay@corp', password: 'p:ss' } }],
  ])('reads OUTBOUND_PROXY=%s', (value, proxy) => {
    expect(loadOutboundConfig({ OUTBOUND_PROXY: value }).proxy).toEqual(proxy);
  });

  it.each(['proxy:3128', 'socks5://proxy:1080', 'http://proxy:3128/path', 'http://user:s3cret@proxy:3128/x'])(
    'rejects OUTBOUND_PROXY=%s without echoing it (it may hold a password)',
    (value) => {
      const found = problems(() => loadOutboundConfig({ OUTBOUND_PROXY: value }));
      expect(found).toEqual(['OUTBOUND_PROXY: must be an http:// or https:// proxy origin such as http://proxy.example.com:3128']);
    },
  );
});

describe('plain http upstreams', () => {
  const PRODUCTION = { NODE_ENV: 'production' };

  it.each([
    ['DEFENDER_LOGIN_URL', () => loadDefenderConfig({ ...PRODUCTION, DEFENDER_LOGIN_URL: 'http://login.example.com' })],
    ['DEFENDER_API_URL', () => loadDefenderConfig({ ...PRODUCTION, DEFENDER_API_URL: 'http://10.1.2.3:8080' })],
    ['GRAPH_API_URL', () => loadDefenderConfig({ ...PRODUCTION, GRAPH_API_URL: 'http://graph.example.com' })],
    ['JWKS_HOSTS entry keys.example.com', () => loadAuthConfig({ ...PRODUCTION, JWKS_HOSTS: 'visibility.amp.cisco.com,http://keys.example.com' })],
  ])('%s over plain http to another machine stops start-up in production mode', (name, load) => {
    const found = problems(load);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^${name}: plain http:// to \\S+ is refused when NODE_ENV=production; use https://`));
    expect(found[0]).not.toContain('s3cret');
  });

  it('accepts a plain-http OUTBOUND_PROXY in production mode: HTTPS crosses it only as a CONNECT tunnel', () => {
    expect(loadOutboundConfig({ ...PRODUCTION, OUTBOUND_PROXY: 'http://proxy.corp.example:3128' }).proxy).toMatchObject({ protocol: 'http', host: 'proxy.corp.example' });
  });

  it.each(['http://127.0.0.1:9191', 'http://127.8.9.10', 'http://localhost:9191', 'http://[::1]:9191', 'HTTPS://login.example.com'])(
    'allows %s in production mode (loopback, or TLS)',
    (url) => {
      const env = { NODE_ENV: 'Production', DEFENDER_LOGIN_URL: url, DEFENDER_API_URL: url, GRAPH_API_URL: url };
      expect(loadDefenderConfig(env).warnings).toEqual([]);
      expect(loadOutboundConfig({ ...env, OUTBOUND_PROXY: url }).warnings).toEqual([]);
    },
  );

  it('only warns outside production mode, naming the variable and the host', () => {
    expect(loadDefenderConfig({ DEFENDER_API_URL: 'http://api.example.com:8080' }).warnings).toEqual([
      'DEFENDER_API_URL is plain http:// to api.example.com:8080: secrets and tokens would cross the network unencrypted (refused when NODE_ENV=production)',
    ]);
    expect(loadOutboundConfig({ NODE_ENV: 'development', OUTBOUND_PROXY: 'http://proxy:3128' }).warnings).toEqual([]);
    expect(loadAuthConfig({ JWKS_HOSTS: 'http://keys.example.com' }).warnings).toEqual([expect.stringMatching(/^JWKS_HOSTS entry keys.example.com is plain http:\/\//)]);
  });
});
