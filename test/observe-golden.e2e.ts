import { Sighting } from '@app/ctim';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TWENTY_OBSERVABLES } from '../apps/defender-sandbox/src';
import { EXAMPLE_PIVOT_OBSERVABLES } from '../libs/common/src/observables/openapi-examples';
import { RelayHarness, startRelay } from './support/relay-harness';

// The sightings of every observable type Defender answered before the search table was introduced,
// recorded once from that code (RECORD_OBSERVE_GOLDEN=1 rewrites the fixture). Any change to what an
// existing type is sighted as shows up here as a diff.

interface Obs {
  type: string;
  value: string;
}

const FIXTURE = join(__dirname, 'fixtures', 'observe-golden.json');
const RECORD = process.env.RECORD_OBSERVE_GOLDEN === '1';
const BODY: Obs[] = [...TWENTY_OBSERVABLES, ...EXAMPLE_PIVOT_OBSERVABLES].map((o) => ({ ...o }));
const LIMITED = { DEFENDER_RATE_LIMIT: 'on', REQUEST_DEADLINE_MS: '60000' };

const hex = (seed: string, length: number) => createHash('sha256').update(seed).digest('hex').repeat(2).slice(0, length);

function withoutTransientIds(value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith('transient:') ? 'transient' : value;
  if (Array.isArray(value)) return value.map(withoutTransientIds);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutTransientIds(v)]));
  return value;
}

async function sightings(relay: RelayHarness, body: Obs[]): Promise<unknown[]> {
  const res = await relay.post('/observe/observables', body);
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  const docs: Sighting[] = res.body.data?.sightings?.docs ?? [];
  return docs.map(withoutTransientIds);
}

/** Spends the related-alert budgets so that the golden body's alerts must come through AlertEvidence. */
async function spendRelatedAlertBudgets(relay: RelayHarness): Promise<void> {
  // One type a request, each within the size rule's threshold, so that these go to REST and spend its budget.
  const kinds = [(i: number) => ({ type: 'sha1', value: hex(`spend-${i}`, 40) }), (i: number) => ({ type: 'ip', value: `203.0.113.${i}` }), (i: number) => ({ type: 'domain', value: `spent-${i}.example` })];
  for (const kind of kinds) {
    const spend = Array.from({ length: 100 }, (_, i) => kind(i));
    const res = await relay.post('/observe/observables', spend);
    expect(res.body.errors).toBeUndefined();
  }
}

describe('observe sightings of the existing types stay as recorded', () => {
  const recorded: Record<string, unknown[]> = RECORD ? {} : JSON.parse(readFileSync(FIXTURE, 'utf8'));
  let relay: RelayHarness | undefined;
  afterEach(async () => {
    await relay?.close();
    relay = undefined;
  });
  afterAll(() => {
    // One sighting a line, so a change reads as a small diff.
    if (RECORD) writeFileSync(FIXTURE, `{\n${Object.entries(recorded).map(([name, docs]) => `${JSON.stringify(name)}: [\n${docs.map((d) => JSON.stringify(d)).join(',\n')}\n]`).join(',\n')}\n}\n`);
  });

  function check(name: string, docs: unknown[]): void {
    if (RECORD) recorded[name] = docs;
    else expect(docs).toEqual(recorded[name]);
  }

  it('every type of the demo tenant, alerts through REST', async () => {
    relay = await startRelay();
    const docs = await sightings(relay, BODY);
    expect(docs.length).toBeGreaterThan(BODY.length);
    expect(relay.sandbox.stats.count('graph.hunting')).toBe(1);
    check('rest', docs);
  });

  it('every type of the demo tenant, alerts through AlertEvidence once the REST budgets are spent', async () => {
    relay = await startRelay(LIMITED, { rateLimits: true });
    await spendRelatedAlertBudgets(relay);
    relay.sandbox.stats.reset();
    const docs = await sightings(relay, BODY);
    expect(relay.sandbox.stats.count('graph.hunting')).toBe(1);
    expect(relay.sandbox.stats.count('alerts.list')).toBeGreaterThan(0);
    check('hunting', docs);
  });
});
