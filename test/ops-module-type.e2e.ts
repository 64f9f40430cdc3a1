/**
 * module_type.json: the module type to register in Cisco XDR for RS256 configuration tokens.
 * Checked against a started relay: `supported-apis` lists only routes its OpenAPI document
 * declares, and a configuration token built the way XDR builds it from this module type
 * (`custom_X` field → claim `X`, `custom_jwks_host` → `jwks_host`, module URL → `aud`) is accepted.
 */
import { DEFAULT_JWKS_HOSTS, DEFENDER_HUNTING_RETIREMENT } from '@app/common';
import { CAPABILITIES, permissionsByGroup } from '@app/defender';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID } from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';

const ROOT = join(__dirname, '..');

interface ModuleType {
  title: string;
  default_name: string;
  short_description: string;
  description: string;
  tips: string;
  external_references: { label: string; link: string }[];
  configuration_spec: { key: string; type: string; label: string; required?: boolean; tooltip?: string }[];
  capabilities: { id: string; description: string }[];
  properties: Record<string, unknown> & { 'supported-apis': string[]; url: string; custom_jwks_host: string };
}

/** XDR's ConfigurationSpecField types and Capability ids. */
const FIELD_TYPES = ['remote', 'password', 'file', 'string', 'api_key', 'integer', 'device', 'options', 'boolean'];
const CAPABILITY_IDS = ['detection_source', 'device_insights', 'respond', 'observe', 'assets', 'incident/resolve', 'notifications', 'data_ingestion', 'target_records', 'health', 'automate', 'tiles', 'refer', 'threat_hunts', 'deliberate'];

describe('module_type.json (RS256 configuration-token registration)', () => {
  const moduleType = JSON.parse(readFileSync(join(ROOT, 'module_type.json'), 'utf8')) as ModuleType;
  let relay: RelayHarness;
  // Configured as the example overlay is: the module URL is the relay's public URL.
  beforeAll(async () => (relay = await startRelay({ RELAY_PUBLIC_URL: moduleType.properties.url })));
  afterAll(() => relay.close());

  it('tips and the README list every permission the default configuration uses, by capability, and promise nothing about the hunting rate limit', () => {
    const groups = permissionsByGroup({ huntingApi: 'auto', huntingRetirement: DEFENDER_HUNTING_RETIREMENT }, Date.parse('2026-12-06T00:00:00Z'));
    const heading = { observe: 'Observe', deliberate: 'Deliberate', refer: 'Refer', respond: 'Respond', tiles: 'Dashboard tiles' } as const;
    const tipLines = moduleType.tips.split('\n');
    for (const [group, permissions] of Object.entries(groups) as [keyof typeof heading, string[]][]) {
      const line = tipLines.find((l) => l.startsWith(`- **${heading[group]}**`)) ?? '';
      for (const permission of permissions) expect([group, line]).toEqual([group, expect.stringContaining(`\`${permission.split(' ').pop()}\``)]);
    }
    expect(moduleType.tips).toContain('Microsoft Graph `ThreatHunting.Read.All`');
    expect(moduleType.tips).not.toMatch(/rate limit/i);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## The Azure AD application'), readme.indexOf('## Troubleshooting'));
    for (const capability of CAPABILITIES) {
      const row = section.split('\n').find((l) => l.startsWith(`| ${capability.group === 'tiles' ? 'dashboard tiles' : `${capability.group}: ${capability.label}`}`)) ?? '';
      for (const requirement of capability.needs) expect([capability.id, row]).toEqual([capability.id, expect.stringContaining(`\`${requirement[0].name}\``)]);
    }
  });

  it('has the module type fields XDR expects', () => {
    for (const field of ['title', 'default_name', 'short_description', 'description', 'tips'] as const) {
      expect([field, typeof moduleType[field] === 'string' && moduleType[field].trim().length > 0]).toEqual([field, true]);
    }
    expect(moduleType.external_references.length).toBeGreaterThan(0);
    for (const ref of moduleType.external_references) expect(ref).toEqual({ label: expect.any(String), link: expect.stringMatching(/^https:\/\//) });
    for (const field of moduleType.configuration_spec) {
      expect(FIELD_TYPES).toContain(field.type);
      expect(field.key).toMatch(/^custom_/);
    }
    expect(moduleType.configuration_spec.find((f) => f.key === 'custom_client_secret')?.type).toBe('password');
    for (const c of moduleType.capabilities) {
      expect(CAPABILITY_IDS).toContain(c.id);
      expect(c.description).toMatch(/\S/);
    }
    expect(moduleType.properties).toMatchObject({ 'auth-type': 'configuration-token', 'configuration-token-alg': 'RS256' });
    expect(DEFAULT_JWKS_HOSTS).toContain(moduleType.properties.custom_jwks_host);
    expect(moduleType.properties.url).toMatch(/^https:\/\/[^/]+$/);
  });

  it('uses the public URL of the example Kubernetes overlay as the module URL (the token audience)', () => {
    const overlayConfig = parse(readFileSync(join(ROOT, 'deploy/overlays/example/config.patch.yaml'), 'utf8'));
    expect(moduleType.properties.url).toBe(overlayConfig.data.RELAY_PUBLIC_URL);
  });

  it('lists in supported-apis only POST routes that the relay serves, one per capability', async () => {
    const doc = await relay.get('/docs-json');
    expect(doc.status).toBe(200);
    const served = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)
      .filter(([, methods]) => 'post' in methods)
      .map(([path]) => path.replace(/^\//, ''));
    const apis = moduleType.properties['supported-apis'];
    expect(new Set(apis).size).toBe(apis.length);
    for (const api of apis) expect([api, served.includes(api)]).toEqual([api, true]);
    for (const api of apis) {
      // The route really answers (with the auth error envelope when called without a token).
      const res = await relay.post(`/${api}`, api === 'respond/trigger' || api.startsWith('tiles') ? {} : [], { token: null });
      expect([api, res.status, res.body.errors?.[0]?.code]).toEqual([api, 200, 'authorization error']);
    }
    const capabilityOf = (api: string) => api.split('/')[0];
    expect([...new Set(apis.map(capabilityOf))].sort()).toEqual(moduleType.capabilities.map((c) => c.id).sort());
  });

  const answers: Record<string, string | number> = {
    custom_client_id: DEMO_CLIENT_ID,
    custom_client_secret: DEMO_CLIENT_SECRET,
    custom_tenant_id: DEMO_TENANT_ID,
    custom_CTR_ENTITIES_LIMIT: 5,
  };
  /** The token XDR builds from the module type's fields (the sandbox's JWKS host stands in for custom_jwks_host). */
  const configurationToken = (fields: ModuleType['configuration_spec']) => {
    const claims: Record<string, string | number> = {};
    for (const field of fields) claims[field.key.replace(/^custom_/, '')] = answers[field.key];
    return relay.sandbox.jwks.sign({ ...claims, jwks_host: new URL(relay.sandbox.url).host, aud: moduleType.properties.url });
  };

  it('a configuration token built from this module type is accepted by the relay', async () => {
    const res = await relay.post('/health', undefined, { token: configurationToken(moduleType.configuration_spec) });
    expect(res.body).toEqual({ data: expect.objectContaining({ status: 'ok', hunting: 'graph' }) });
  });

  it('marks as required exactly the fields without which the relay refuses the token', async () => {
    for (const left of moduleType.configuration_spec) {
      const token = configurationToken(moduleType.configuration_spec.filter((f) => f !== left));
      const res = await relay.post('/refer/observables', [], { token });
      expect({ field: left.key, refused: res.body.errors?.[0]?.code === 'authorization error' }).toEqual({ field: left.key, refused: left.required === true });
    }
  });
});
