import { RelayError } from '@app/common';
import { Deadline } from '../limits/deadline';
import { DefenderContext } from './defender-context';
import { DefenderHttpClient, DefenderRequest } from './defender-http.client';
import { odataDateTime, odataList } from './encode';
import { listPages, readPages } from './paging';

/** A client answering list calls from `items` as Defender pages them ($top, $skip). */
function listClient(items: number[], fail?: { onCall: number; error: Error }) {
  const calls: DefenderRequest[] = [];
  const client = {
    request: async (_ctx: DefenderContext, req: DefenderRequest) => {
      calls.push(req);
      if (fail && calls.length === fail.onCall) throw fail.error;
      const skip = Number(req.query?.$skip ?? 0);
      const top = Number(req.query?.$top);
      return { status: 200, data: { value: items.slice(skip, skip + top) } };
    },
  } as unknown as DefenderHttpClient;
  return { client, calls };
}

const ctx = new DefenderContext({ tenantId: 't', clientId: 'c', clientSecret: 's' }, Deadline.in(60_000));
afterAll(() => ctx.dispose());

async function readAll(pages: AsyncIterable<number[]>): Promise<{ items: number[]; error?: unknown }> {
  const items: number[] = [];
  const { error } = await readPages(pages, (page) => items.push(...page));
  return { items, error };
}

describe('listPages', () => {
  const list = { path: 'alerts', filter: "severity eq 'High'", noun: 'alerts' };

  it('reads $top at a time, then $skip, until a short page', async () => {
    const { client, calls } = listClient(Array.from({ length: 25 }, (_, i) => i));
    const { items, error } = await readAll(listPages<number>(client, ctx, list, { pageSize: 10 }));
    expect(items).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(error).toBeUndefined();
    expect(calls.map((c) => c.query)).toEqual([
      { $filter: "severity eq 'High'", $top: 10 },
      { $filter: "severity eq 'High'", $top: 10, $skip: 10 },
      { $filter: "severity eq 'High'", $top: 10, $skip: 20 },
    ]);
    expect(calls.every((c) => c.method === 'GET' && c.path === 'alerts' && c.notFoundIsEmpty)).toBe(true);
  });

  it('asks once more after an exactly full last page, and reads an empty list in one call', async () => {
    const full = listClient(Array.from({ length: 20 }, (_, i) => i));
    expect((await readAll(listPages<number>(full.client, ctx, list, { pageSize: 10 }))).items).toHaveLength(20);
    expect(full.calls).toHaveLength(3);
    const empty = listClient([]);
    expect(await readAll(listPages<number>(empty.client, ctx, list, { pageSize: 10 }))).toEqual({ items: [], error: undefined });
    expect(empty.calls).toHaveLength(1);
  });

  it('stops after maxPages full pages with a warning naming what was not read', async () => {
    const { client, calls } = listClient(Array.from({ length: 100 }, (_, i) => i));
    const { items, error } = await readAll(listPages<number>(client, ctx, list, { pageSize: 10, maxPages: 3 }));
    expect(items).toHaveLength(30);
    expect(calls).toHaveLength(3);
    expect(error).toBeInstanceOf(RelayError);
    expect((error as RelayError).toBody()).toEqual({
      type: 'warning',
      code: 'unknown',
      message: 'Microsoft Defender for Endpoint has more than 30 alerts for this request; only the first 30 were read',
    });
  });
});

describe('readPages', () => {
  const list = { path: 'indicators', noun: 'indicators' };

  it('throws a failure of the first page: nothing was read', async () => {
    const { client } = listClient([1, 2, 3], { onCall: 1, error: new RelayError('too many requests', 'slow down') });
    await expect(readAll(listPages<number>(client, ctx, list, { pageSize: 2 }))).rejects.toThrow('slow down');
  });

  it('returns a later failure beside the pages read before it', async () => {
    const failure = new RelayError('timeout', 'deadline');
    const { client } = listClient([1, 2, 3, 4, 5], { onCall: 2, error: failure });
    expect(await readAll(listPages<number>(client, ctx, list, { pageSize: 2 }))).toEqual({ items: [1, 2], error: failure });
  });
});

describe('OData literals', () => {
  it('writes a UTC DateTimeOffset and a list of quoted strings', () => {
    expect(odataDateTime(Date.UTC(2026, 10, 25, 12))).toBe('2026-11-25T12:00:00.000Z');
    expect(() => odataDateTime(Number.NaN)).toThrow(RangeError);
    expect(odataList(['Isolate', "O'Brien"])).toBe("('Isolate', 'O''Brien')");
  });
});
