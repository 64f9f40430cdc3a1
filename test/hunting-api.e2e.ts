import { shortHash } from '@app/common';
import { Sighting } from '@app/ctim';
import { Logger } from '@nestjs/common';
import {
  DEFENDER_ONLY_CLIENT_ID,
  DEFENDER_ONLY_CLIENT_SECRET,
  DEMO_OBSERVABLES,
  DEMO_TENANT_ID,
  Sandbox,
  startSandbox,
} from '../apps/defender-sandbox/src';
import { attachRelay, RelayHarness } from './support/relay-harness';
import { DEMO_CLAIMS, hsToken } from './support/tokens';
import { withoutPrevalence } from './support/prevalence';

// Which advanced-hunting API the relay uses (HUNTING_API): Microsoft Graph first with `auto`,
// the retiring Defender hunting API only when Graph refuses the app, and what /health says.

/** An app of the demo tenant consented for the Defender API but not for Graph's ThreatHunting.Read.All. */
const WITHOUT_GRAPH = hsToken({ client_id: DEFENDER_ONLY_CLIENT_ID, client_secret: DEFENDER_ONLY_CLIENT_SECRET, tenant_id: DEMO_TENANT_ID });
const WITH_GRAPH = hsToken(DEMO_CLAIMS);

const strip = (docs: Sighting[]) => docs.map(({ id: _id, ...rest }) => rest);

async function observe(relay: RelayHarness, token: string) {
  const res = await relay.post('/observe/observables', DEMO_OBSERVABLES, { token });
  expect(res.status).toBe(200);
  return { body: res.body, docs: (res.body.data?.sightings?.docs ?? []) as Sighting[] };
}

const health = (relay: RelayHarness, token: string) => relay.post('/health', undefined, { token });

describe('advanced hunting API (HUNTING_API)', () => {
  let sandbox: Sandbox;
  let reference: Sighting[];
  const relays: RelayHarness[] = [];
  const relay = async (env: Record<string, string> = {}) => {
    const started = await attachRelay(sandbox, env);
    relays.push(started);
    return started;
  };
  const calls = () => ({ graph: sandbox.stats.count('graph.hunting'), defender: sandbox.stats.count('hunting') });
  let warn: jest.SpyInstance;

  beforeAll(async () => {
    sandbox = await startSandbox();
    // What the Defender hunting API gives: every other configuration must give the same sightings.
    const { body, docs } = await observe(await relay({ HUNTING_API: 'defender' }), WITH_GRAPH);
    expect(body.errors).toBeUndefined();
    expect(docs.length).toBeGreaterThan(0);
    reference = docs;
  });
  beforeEach(() => {
    sandbox.stats.reset();
    warn = jest.spyOn(Logger.prototype, 'warn');
  });
  afterEach(() => warn.mockRestore());
  afterAll(async () => {
    for (const r of relays) await r.close();
    await sandbox.close();
  });

  const fallbackWarnings = () => warn.mock.calls.filter((args) => /Microsoft Graph refused advanced hunting/.test(String(args[1] ?? args[0])));

  it('auto (the default) uses Graph for an app with ThreatHunting.Read.All, with the same sightings, and /health says graph', async () => {
    const auto = await relay();
    const { body, docs } = await observe(auto, WITH_GRAPH);
    expect(body.errors).toBeUndefined();
    expect(strip(docs)).toEqual(strip(reference));
    expect(calls().defender).toBe(0);
    expect(calls().graph).toBeGreaterThan(0);
    expect(sandbox.stats.entries('graph.hunting').every((e) => e.status === 200)).toBe(true);

    const before = calls();
    expect((await health(auto, WITH_GRAPH)).body).toEqual({ data: expect.objectContaining({ status: 'ok', hunting: 'graph' }) });
    // Known from the observe: /health spends no hunting query on it.
    expect(calls()).toEqual(before);
    expect(fallbackWarnings()).toEqual([]);
  });

  it('auto falls back to the Defender hunting API when Graph refuses the app (403), warns once, and /health says so', async () => {
    const auto = await relay();
    const { body, docs } = await observe(auto, WITHOUT_GRAPH);
    expect(body.errors).toBeUndefined();
    expect(strip(docs)).toEqual(strip(reference));
    const graphRefusals = sandbox.stats.entries('graph.hunting').map((e) => e.status);
    expect(graphRefusals.length).toBeGreaterThan(0);
    expect(new Set(graphRefusals)).toEqual(new Set([403]));
    expect(sandbox.stats.entries('hunting').every((e) => e.status === 200)).toBe(true);

    const warnings = fallbackWarnings();
    expect(warnings).toHaveLength(1);
    // Hashed as in request lines: it correlates, it does not name the tenant or the app.
    expect(warnings[0][0]).toEqual({ tenant: shortHash(DEMO_TENANT_ID), client: shortHash(DEFENDER_ONLY_CLIENT_ID), upstreamStatus: 403 });
    expect(JSON.stringify(warnings).toLowerCase()).not.toContain(DEMO_TENANT_ID.toLowerCase());
    expect(JSON.stringify(warnings).toLowerCase()).not.toContain(DEFENDER_ONLY_CLIENT_ID.toLowerCase());
    expect(warnings[0][1]).toMatch(/ThreatHunting\.Read\.All/);
    expect(warnings[0][1]).toMatch(/returns no data from 2027-02-01/);
    expect(JSON.stringify(warnings)).not.toContain(DEFENDER_ONLY_CLIENT_SECRET);

    // The choice is remembered for the credential, not made again per request.
    const graphCalls = calls().graph;
    expect(strip((await observe(auto, WITHOUT_GRAPH)).docs)).toEqual(strip(reference));
    expect(calls().graph).toBe(graphCalls);
    expect(fallbackWarnings()).toHaveLength(1);

    const res = await health(auto, WITHOUT_GRAPH);
    expect(res.body).toEqual({
      data: expect.objectContaining({ status: 'ok', hunting: 'defender' }),
      errors: [
        {
          type: 'warning',
          code: 'permission denied',
          message:
            'Microsoft Graph refused advanced hunting, so it uses the Defender hunting API, which returns no data from 2027-02-01: grant the app the Microsoft Graph application permission ThreatHunting.Read.All with admin consent',
        },
      ],
    });
    expect(calls().graph).toBe(graphCalls);

    // Another app of the same tenant still uses Graph.
    expect((await health(auto, WITH_GRAPH)).body).toEqual({ data: expect.objectContaining({ status: 'ok', hunting: 'graph' }) });
  });

  it('/health finds out with one query that reads no rows, shared by concurrent checks, when nothing is known yet', async () => {
    const auto = await relay();
    const answers = await Promise.all([1, 2, 3].map(() => health(auto, WITHOUT_GRAPH)));
    expect(answers.map((r) => r.body.data)).toEqual(Array(3).fill(expect.objectContaining({ status: 'ok', hunting: 'defender' })));
    expect(calls()).toEqual({ graph: 1, defender: 1 });
    const [refused] = sandbox.stats.entries('graph.hunting');
    expect(refused).toMatchObject({ status: 403, body: { Query: 'DeviceNetworkInfo\n| take 0' } });
    expect(sandbox.stats.entries('hunting')[0].kql).toEqual({ kind: 'pipeline', table: 'DeviceNetworkInfo', operators: [{ kind: 'take', count: 0 }] });
    // The next observe goes straight to the API /health found.
    await observe(auto, WITHOUT_GRAPH);
    expect(calls().graph).toBe(1);
  });

  it('graph, forced, answers an app without ThreatHunting.Read.All with a clear permission denied, in observe and /health', async () => {
    const graph = await relay({ HUNTING_API: 'graph' });
    const { body, docs } = await observe(graph, WITHOUT_GRAPH);
    const denied = (body.errors ?? []).filter((e: { code: string }) => e.code === 'permission denied');
    expect(denied).toEqual([
      {
        type: 'fatal',
        code: 'permission denied',
        message: expect.stringMatching(/^Microsoft Graph refused the request: .*\. Advanced hunting on Microsoft Graph needs the application permission ThreatHunting\.Read\.All with admin consent$/),
      },
    ]);
    // Alerts do not need Graph: their sightings still come.
    expect(docs.length).toBeGreaterThan(0);
    // Alert sightings only (prevalence comes from the statistics, not from hunting).
    expect(withoutPrevalence(docs).every((s) => s.external_ids)).toBe(true);
    expect(calls().defender).toBe(0);

    // Observe still works without hunting: health stays ok and says what to grant.
    const res = await health(graph, WITHOUT_GRAPH);
    expect(res.body.data).toMatchObject({ status: 'ok', hunting: null });
    expect(res.body.errors).toEqual([
      { type: 'warning', code: 'permission denied', message: expect.stringMatching(/^The app lacks the application permission Microsoft Graph ThreatHunting\.Read\.All .*: disabled observe: advanced hunting$/) },
    ]);
  });

  it('defender, forced, never asks Graph, and /health warns that the API is retiring', async () => {
    const defender = await relay({ HUNTING_API: 'defender' });
    const res = await health(defender, WITH_GRAPH);
    expect(res.body).toEqual({
      data: expect.objectContaining({ status: 'ok', hunting: 'defender' }),
      errors: [{ type: 'warning', code: 'unknown', message: expect.stringMatching(/returns no data from 2027-02-01 \(HUNTING_API=defender\): set HUNTING_API=auto/) }],
    });
    expect(calls()).toEqual({ graph: 0, defender: 0 });
  });
});
