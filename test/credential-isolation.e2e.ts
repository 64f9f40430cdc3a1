import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_MACHINE_IDS,
  DEMO_TENANT_ID,
  NOPERM_CLIENT_ID,
  NOPERM_CLIENT_SECRET,
  SEED_FILES,
} from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';
import { sandboxReceived } from './support/sandbox-wait';
import { hsToken } from './support/tokens';

// Defender data the relay caches or shares between requests (file and machine profiles, fetches in
// flight, rate-limit budgets) is only ever served to a caller whose own credentials Azure AD accepted.

const DROPPER = SEED_FILES.emotetDropper;
const UNKNOWN_APP = 'a77ac4e2-5d0c-4f7e-9d3a-2b1c0e9f8a61';

const VARIANTS = [
  { name: 'an app id the tenant does not have', claims: { client_id: UNKNOWN_APP, client_secret: 'x', tenant_id: DEMO_TENANT_ID }, code: 'authorization error', says: /AADSTS700016/ },
  { name: 'the right app id with a wrong secret', claims: { client_id: DEMO_CLIENT_ID, client_secret: 'wrong-secret', tenant_id: DEMO_TENANT_ID }, code: 'authorization error', says: /AADSTS7000215/ },
  { name: 'an app of the tenant without permissions', claims: { client_id: NOPERM_CLIENT_ID, client_secret: NOPERM_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID }, code: 'permission denied', says: /./ },
] as const;

const LEGIT = hsToken({ client_id: DEMO_CLIENT_ID, client_secret: DEMO_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID });

type Variant = (typeof VARIANTS)[number];

function expectRefused(body: { data?: unknown; errors?: Array<{ code: string; message: string }> }, variant: Variant): void {
  // No data at all, or an empty answer ({} for observe/deliberate, [] for the respond list).
  expect(Object.keys(body.data ?? {})).toEqual([]);
  expect(body.errors?.length).toBeGreaterThan(0);
  for (const error of body.errors ?? []) expect(error.code).toBe(variant.code);
  expect(body.errors?.[0].message).toMatch(variant.says);
  expect(JSON.stringify(body)).not.toMatch(/Malware|Trojan|Malicious/);
}

describe('cached and shared Defender data needs the caller’s own proven credentials', () => {
  describe('with the profile cache warm', () => {
    let relay: RelayHarness;
    beforeAll(async () => (relay = await startRelay()));
    afterAll(() => relay.close());

    beforeAll(async () => {
      // A legitimate analyst looks things up first: the file and machine profiles are now cached.
      const verdict = await relay.post('/deliberate/observables', [{ type: 'sha256', value: DROPPER.sha256 }], { token: LEGIT });
      expect(verdict.body.data.verdicts.docs[0].disposition_name).toBe('Malicious');
      const actions = await relay.post('/respond/observables', [{ type: 'ms_machine_id', value: DEMO_MACHINE_IDS.win10 }], { token: LEGIT });
      expect(actions.body.data.length).toBeGreaterThan(0);
    });

    it.each(VARIANTS)('deliberate with $name answers the credential error and no verdict', async (variant) => {
      const res = await relay.post('/deliberate/observables', [{ type: 'sha256', value: DROPPER.sha256 }], { token: hsToken(variant.claims) });
      expect(res.status).toBe(200);
      expectRefused(res.body, variant);
    });

    it.each(VARIANTS)('observe and respond with $name learn nothing from the cache', async (variant) => {
      const token = hsToken(variant.claims);
      const observed = await relay.post('/observe/observables', [{ type: 'sha256', value: DROPPER.sha256 }], { token });
      expectRefused(observed.body, variant);
      const actions = await relay.post('/respond/observables', [{ type: 'ms_machine_id', value: DEMO_MACHINE_IDS.win10 }], { token });
      expectRefused(actions.body, variant);
    });

    it('the legitimate caller still gets its answer afterwards', async () => {
      const res = await relay.post('/deliberate/observables', [{ type: 'sha256', value: DROPPER.sha256 }], { token: LEGIT });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.verdicts.docs[0].disposition_name).toBe('Malicious');
    });
  });

  describe('with the profile cache off, while a legitimate fetch is in flight', () => {
    let relay: RelayHarness;
    beforeAll(async () => (relay = await startRelay({ PROFILE_CACHE_TTL_MS: '0' })));
    afterAll(() => relay.close());

    it.each(VARIANTS)('$name does not join the legitimate fetch', async (variant) => {
      relay.sandbox.reset();
      relay.sandbox.latency.set('files.get', 1000);
      const legit = relay.post('/deliberate/observables', [{ type: 'sha256', value: DROPPER.sha256 }], { token: LEGIT });
      await sandboxReceived(relay.sandbox, 'files.get');
      const legitFetch = relay.sandbox.stats.entries('files.get')[0];
      const tokenCalls = relay.sandbox.stats.count('token');
      const other = relay.post('/deliberate/observables', [{ type: 'sha256', value: DROPPER.sha256 }], { token: hsToken(variant.claims) });
      await sandboxReceived(relay.sandbox, 'token', tokenCalls + 1);
      expect(legitFetch.status).toBe(0); // the other caller's credentials reached Azure AD while the legitimate fetch was open
      expectRefused((await other).body, variant);
      expect((await legit).body.data.verdicts.docs[0].disposition_name).toBe('Malicious');
    });
  });

  describe('rate-limit budget', () => {
    let relay: RelayHarness;
    beforeAll(async () => (relay = await startRelay({ DEFENDER_RATE_LIMIT: 'on' }, { rateLimits: true })));
    afterAll(() => relay.close());

    it('requests with unproven credentials spend none of the tenant’s Defender quota', async () => {
      const many = Array.from({ length: 150 }, (_, i) => ({ type: 'sha1', value: (i + 1).toString(16).padStart(40, 'c') }));
      for (const variant of VARIANTS.slice(0, 2)) {
        for (let i = 0; i < 3; i++) {
          const res = await relay.post('/observe/observables', many, { token: hsToken(variant.claims) });
          expectRefused(res.body, variant);
        }
      }
      // Azure AD refused them, so Defender never saw them and the relay charged no slot for them.
      expect(relay.sandbox.stats.count('alerts.byFile')).toBe(0);
      expect(relay.sandbox.stats.count('hunting') + relay.sandbox.stats.count('graph.hunting')).toBe(0);

      const legit = await relay.post('/observe/observables', many.slice(0, 90), { token: LEGIT });
      expect(legit.body.errors ?? []).toEqual([]);
      expect(relay.sandbox.stats.count('alerts.byFile')).toBe(90);
    });
  });
});
