/**
 * Swagger UI's "Try it out" as a newcomer uses it after `npm run demo`: every request example the
 * OpenAPI document offers is sent, as Swagger UI would send it, to a relay wired to the demo
 * tenant, and each must come back with data (not `{"data":{}}`, not "not found").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLE_MACHINE_ID, EXAMPLE_MORE_OBSERVABLES, EXAMPLE_OBSERVABLES, EXAMPLE_PIVOT_OBSERVABLES, EXAMPLE_TRIGGER, OBSERVE_TYPES } from '@app/common';
import { DEMO_MACHINE_IDS, DEMO_OBSERVABLES } from '../apps/defender-sandbox/src';
import { RelayHarness, startRelay } from './support/relay-harness';

interface Schema {
  $ref?: string;
  type?: string;
  example?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
}
interface Operation {
  requestBody?: { content: Record<string, { schema?: Schema; example?: unknown; examples?: Record<string, { value: unknown }> }> };
  security?: unknown[];
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- relay answers are read as arbitrary JSON
type Answer = any;
type Observable = { type: string; value: string };

/** The body Swagger UI puts in the editor when no example is given: each property's example. */
function sampleOf(schema: Schema, doc: OpenApi): unknown {
  if (schema.$ref) return sampleOf(doc.components.schemas[schema.$ref.split('/').pop() as string], doc);
  if (schema.example !== undefined) return schema.example;
  if (schema.type === 'array' && schema.items) return [sampleOf(schema.items, doc)];
  return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, property]) => [name, sampleOf(property, doc)]));
}

/** Every request body "Try it out" offers for an operation (one per named example), or none. */
function bodiesOf(operation: Operation, doc: OpenApi): { name: string; body?: unknown }[] {
  const json = operation.requestBody?.content['application/json'];
  if (!json) return [{ name: 'no body' }];
  if (json.examples) return Object.entries(json.examples).map(([name, example]) => ({ name, body: example.value }));
  if (json.example !== undefined) return [{ name: 'example', body: json.example }];
  return [{ name: 'from the schema', body: json.schema ? sampleOf(json.schema, doc) : undefined }];
}

const mentions = (data: unknown, o: Observable) => JSON.stringify(data).includes(JSON.stringify(o.value).slice(1, -1));

/** What "returns data" means on each route; a route missing here fails the test until it is added. */
const RETURNS_DATA: Record<string, (answer: Answer, body: unknown) => void> = {
  'POST /health': (answer) => expect(answer).toEqual({ data: expect.objectContaining({ status: 'ok', hunting: 'graph' }) }),
  'POST /observe/observables': (answer, body) => {
    expect(answer.data.sightings.count).toBeGreaterThan(0);
    for (const o of body as Observable[]) expect(answer.data.sightings.docs.filter((s: { observables: Observable[] }) => mentions(s.observables, o))).not.toHaveLength(0);
  },
  'POST /deliberate/observables': (answer) => {
    expect(answer.data.verdicts.count).toBeGreaterThan(0);
    expect(answer.data.judgements.count).toBeGreaterThan(0);
  },
  'POST /refer/observables': (answer, body) => {
    for (const o of body as Observable[]) expect(answer.data.filter((link: unknown) => mentions(link, o))).not.toHaveLength(0);
  },
  'POST /respond/observables': (answer, body) => {
    for (const o of body as Observable[]) expect(answer.data.filter((action: { 'query-params': unknown }) => mentions(action['query-params'], o))).not.toHaveLength(0);
  },
  'POST /respond/trigger': (answer) => expect(answer).toEqual({ data: { status: 'success' } }),
  'POST /tiles': (answer) => expect(answer.data.map((tile: { id: string }) => tile.id)).toContain('alerts-summary'),
  'POST /tiles/tile': (answer, body) => expect(answer.data.id).toBe((body as { tile_id: string }).tile_id),
  'POST /tiles/tile-data': (answer) => {
    // Not only zeros: some count of the tile is above zero.
    const counts = [...JSON.stringify(answer.data.data).matchAll(/"value":(\d+)/g)].map((m) => Number(m[1]));
    expect(Math.max(0, ...counts)).toBeGreaterThan(0);
  },
};

describe('Swagger UI examples against the demo tenant', () => {
  let relay: RelayHarness;
  let doc: OpenApi;
  beforeAll(async () => {
    // As `npm run demo` runs it: the seed moved to now, so the tiles' periods hold its data.
    relay = await startRelay({}, { seedTime: Date.now() });
    doc = (await relay.get('/docs-json')).body as OpenApi;
  });
  afterAll(() => relay.close());

  it('offers the demo’s values: observables.json, the sandbox’s demo observables and a demo device', () => {
    const every = [...EXAMPLE_OBSERVABLES, ...EXAMPLE_PIVOT_OBSERVABLES, ...EXAMPLE_MORE_OBSERVABLES];
    expect(JSON.parse(readFileSync(join(__dirname, '..', 'observables.json'), 'utf8'))).toEqual(every);
    expect([...new Set(every.map((o) => o.type))].sort()).toEqual([...OBSERVE_TYPES].sort());
    expect(EXAMPLE_OBSERVABLES).toEqual(DEMO_OBSERVABLES);
    expect(EXAMPLE_MACHINE_ID).toBe(DEMO_MACHINE_IDS.win10);
    expect(EXAMPLE_TRIGGER.observable_value).toBe(EXAMPLE_MACHINE_ID);
  });

  it('every authenticated operation’s "Try it out" body returns data in the demo tenant', async () => {
    const tried: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        if (!operation.security) continue; // /version and /watchdog take no token and no body
        const route = `${method.toUpperCase()} ${path}`;
        for (const { name, body } of bodiesOf(operation, doc)) {
          const check = RETURNS_DATA[route];
          if (!check) throw new Error(`${route}: say in RETURNS_DATA what data its example must return`);
          const answer = await relay.post(path, body);
          expect({ route, name, status: answer.status, errors: answer.body.errors }).toEqual({ route, name, status: 200, errors: undefined });
          check(answer.body, body);
          tried.push(route);
        }
      }
    }
    expect(new Set(tried)).toEqual(new Set(Object.keys(RETURNS_DATA)));
  });

  it('the examples Swagger UI builds from the schemas (an observable, a trigger, a tile) are demo values too', async () => {
    const observable = sampleOf({ $ref: '#/components/schemas/ObservableDto' }, doc) as Observable;
    const refer = await relay.post('/refer/observables', [observable]);
    expect(refer.body.data).toHaveLength(1);
    const observe = await relay.post('/observe/observables', [observable]);
    expect(observe.body.data.sightings.count).toBeGreaterThan(0);

    // Without the named example, Swagger UI fills every property, the optional indicator_id too.
    const trigger = sampleOf({ $ref: '#/components/schemas/TriggerDto' }, doc);
    expect(trigger).toMatchObject(EXAMPLE_TRIGGER);
    expect((await relay.post('/respond/trigger', trigger)).body).toEqual({ data: { status: 'success' } });

    const tileData = sampleOf({ $ref: '#/components/schemas/TileDataRequestDto' }, doc);
    expect(tileData).toEqual({ tile_id: 'alerts-summary', period: 'last_24_hours' });
    RETURNS_DATA['POST /tiles/tile-data']((await relay.post('/tiles/tile-data', tileData)).body, tileData);
  });
});
