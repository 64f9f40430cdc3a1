import { RelayError } from '@app/common';
import { DefenderContext } from './defender-context';
import { DefenderHttpClient } from './defender-http.client';

export const MAX_PAGE_SIZE = 10_000;
export const MAX_PAGES = 10;

export interface ListQuery {
  /** Literal: user values never reach it. */
  path: string;
  /** Built with the encoders of `encode.ts`. */
  filter?: string;
  noun: string;
}

export interface PagingLimits {
  pageSize?: number;
  maxPages?: number;
}

interface ODataList<T> {
  value?: T[];
}

/** A list read a page at a time; after `maxPages` full pages it warns instead of reading on, so one read stays bounded. */
export async function* listPages<T>(client: DefenderHttpClient, ctx: DefenderContext, list: ListQuery, limits: PagingLimits = {}): AsyncGenerator<T[]> {
  const pageSize = limits.pageSize ?? MAX_PAGE_SIZE;
  const maxPages = limits.maxPages ?? MAX_PAGES;
  for (let page = 0; page < maxPages; page++) {
    const query: Record<string, string | number> = {};
    if (list.filter) query.$filter = list.filter;
    query.$top = pageSize;
    if (page > 0) query.$skip = page * pageSize;
    const { data } = await client.request<ODataList<T>>(ctx, { method: 'GET', path: list.path, query, notFoundIsEmpty: true });
    const items = Array.isArray(data?.value) ? data.value : [];
    yield items;
    if (items.length < pageSize) return;
  }
  const read = (maxPages * pageSize).toLocaleString('en-US');
  throw new RelayError('unknown', `Microsoft Defender for Endpoint has more than ${read} ${list.noun} for this request; only the first ${read} were read`, { type: 'warning' });
}

/** A failure after the first page ends the read and is returned, so the caller can answer what it read beside it. */
export interface PagesRead {
  error?: unknown;
}

export async function readPages<T>(pages: AsyncIterable<T[]>, add: (page: T[]) => void): Promise<PagesRead> {
  let read = 0;
  try {
    for await (const page of pages) {
      add(page);
      read++;
    }
    return {};
  } catch (error) {
    if (read === 0) throw error;
    return { error };
  }
}
