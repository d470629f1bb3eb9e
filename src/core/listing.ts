/**
 * What every vendor's list queries share: a page of the matching records (pages from 1) and a time
 * window over their instants. Each vendor wraps the page in its own fields (Onerway's `records`,
 * OPEN-API's `list`, Finext's `hasMore`) and reads the window from its own query fields.
 */
import { invalidParam } from './errors.js';
import { pageWindow, type Found, type Match, type RecordQuery } from './record-query.js';
import type { StoredRecord } from './store-entries.mjs';
import type { Transaction } from './store-transaction.js';

export interface Page<T> {
  items: T[];
  /** Matching records over all pages. */
  total: number;
  /** How many pages of this size there are. */
  pages: number;
  /** Whether pages follow this one. */
  more: boolean;
}

export function pageOf<T>(all: readonly T[], page: number, size: number): Page<T> {
  const end = page * size;
  return { items: all.slice(end - size, end), total: all.length, pages: Math.ceil(all.length / size), more: end < all.length };
}

/**
 * Page `page` (from 1) of `size` of the tenant's records of `collection` that meet `where`, by `order`
 * and then newest first (unless `oldestFirst`): Transaction#page, so that a store which does not hold the records reads the page
 * and the count, not the collection.
 */
export function listPage<T extends StoredRecord>(
  tx: Transaction,
  collection: string,
  tenantId: string,
  where: RecordQuery['where'],
  page: number,
  size: number,
  { oldestFirst = false, order }: { oldestFirst?: boolean; order?: RecordQuery['order'] } = {},
): Page<T> {
  return pageFrom(tx.page<T>(collection, tenantId, { where, order, newestFirst: !oldestFirst, ...pageWindow(page, size) }), page, size);
}

/** A query's answer (Transaction#page) as page `page` of `size`. */
export function pageFrom<T>(found: Found<T>, page: number, size: number): Page<T> {
  return { items: found.records, total: found.total, pages: Math.ceil(found.total / size), more: page * size < found.total };
}

/**
 * Instants (ms) from `from` to `to`, both included, as a condition of a query (record-query.ts); an end
 * left out is open, and with both open there is no condition. With `refuse`, an end before the start is
 * refused naming that field, rather than answered with nothing.
 */
export function timeRange(from: number | undefined, to: number | undefined, refuse?: { field: string; after: string }): Match | undefined {
  if (refuse && from !== undefined && to !== undefined && to < from) throw invalidParam(refuse.field, `must not be before ${refuse.after}`);
  return from === undefined && to === undefined ? undefined : { from, to };
}
