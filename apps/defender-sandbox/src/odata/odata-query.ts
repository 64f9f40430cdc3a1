import { matchesODataFilter, ODataFilter, odataError, parseODataFilter } from './odata-filter';

export interface ODataQuery {
  top: number | undefined;
  skip: number;
  filter: ODataFilter | undefined;
  expand: string[];
}

/** Defender caps `$top` at 10,000. */
const MAX_TOP = 10_000;
const SUPPORTED = new Set(['$top', '$skip', '$filter', '$expand', '$count']);

export interface ODataOptions {
  filterable: readonly string[];
  expandable?: readonly string[];
}

/** Reads the OData system query options of a list call; malformed ones → 400 ODataError. */
export function parseODataQuery(query: Record<string, string>, options: ODataOptions): ODataQuery {
  for (const key of Object.keys(query)) {
    if (key.startsWith('$') && !SUPPORTED.has(key)) throw odataError(`The query parameter '${key.slice(0, 32)}' is not supported.`);
  }
  const top = query.$top === undefined ? undefined : integer(query.$top, '$top');
  if (top !== undefined && top > MAX_TOP) throw odataError(`The limit of '${MAX_TOP}' for Top query has been exceeded.`);
  const skip = query.$skip === undefined ? 0 : integer(query.$skip, '$skip');
  const filter = query.$filter === undefined || query.$filter.trim() === '' ? undefined : parseODataFilter(query.$filter, options.filterable);
  const expand = (query.$expand ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of expand) {
    if (!(options.expandable ?? []).some((e) => e.toLowerCase() === name.toLowerCase())) {
      throw odataError(`Could not find a navigation property named '${name.slice(0, 64)}' to expand.`);
    }
  }
  return { top, skip, filter, expand: expand.map((e) => e.toLowerCase()) };
}

function integer(text: string, name: string): number {
  if (!/^\d+$/.test(text.trim())) throw odataError(`Invalid value '${text.slice(0, 32)}' for ${name}; expected a non-negative integer.`);
  return Number(text.trim());
}

/** Applies `$filter`, `$skip` and `$top` to an already ordered list. */
export function applyODataQuery<T extends object>(items: T[], q: ODataQuery): T[] {
  const { filter } = q;
  const filtered = filter ? items.filter((item) => matchesODataFilter(filter, item)) : items;
  const skipped = filtered.slice(q.skip);
  return q.top === undefined ? skipped : skipped.slice(0, q.top);
}
