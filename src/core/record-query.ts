/**
 * A page of one tenant's records that match a query (Transaction#page): what a listing asks of the store,
 * said as data rather than as a function, so that a store which does not hold the records (PostgreSQL)
 * can answer it where they are, returning the page and the count instead of the whole collection.
 * `queryRecords` is the meaning, over records in memory; every store's answer is the same as it.
 */
import type { StoredRecord } from './store-entries.mjs';

/**
 * What a top-level field of a record must be: equal to a string, number or boolean (`===`); one of
 * several (`in`); a number within bounds, both included (`from`, `to`; a bound left out is open, and
 * a value that is not a number never matches); a string equal regardless of case (`caseless`); or an
 * object (not an array) whose fields meet matches of their own (`fields`: a field nested in the record).
 */
export type Match =
  | string
  | number
  | boolean
  | { readonly in: readonly (string | number | boolean)[] }
  | { readonly from?: number; readonly to?: number }
  | { readonly caseless: string }
  | { readonly fields: Readonly<Record<string, Match | undefined>> };

/**
 * A field the page is ordered by: numbers first (by value), then strings (by UTF-16 code units, as `<`
 * compares them), then records whose field is neither; `descending` reverses the values, not that
 * grouping.
 */
export interface SortKey {
  readonly field: string;
  readonly descending?: boolean;
}

export interface RecordQuery {
  /** Conditions on fields, all of which must hold; a field whose condition is undefined is not looked at. */
  readonly where?: Readonly<Record<string, Match | undefined>>;
  /** Fields to order by, before insertion order (which breaks their ties); none: insertion order alone. */
  readonly order?: readonly SortKey[];
  /** Newest first (the reverse of insertion order); else oldest first. */
  readonly newestFirst?: boolean;
  /** Matching records skipped before the page. */
  readonly offset: number;
  /** Records in the page at most (Infinity: every match after `offset`). */
  readonly limit: number;
}

export interface Found<T> {
  /** The page: at most `limit` matching records, after `offset` of them. */
  records: T[];
  /** Matching records over every page. */
  total: number;
}

/** The conditions that count (undefined ones dropped), in field order: a query's canonical form. */
export function conditions(query: RecordQuery): Array<[string, Match]> {
  return fieldConditions(query.where ?? {});
}

/** `where`'s conditions that count, in field order (a query's, or a `fields` match's). */
export function fieldConditions(where: Readonly<Record<string, Match | undefined>>): Array<[string, Match]> {
  return Object.entries(where)
    .filter((e): e is [string, Match] => e[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Whether `value` (a record's field) meets `match`. */
export function meets(value: unknown, match: Match): boolean {
  if (typeof match !== 'object') return value === match;
  if ('in' in match) return match.in.includes(value as string | number | boolean);
  if ('caseless' in match) return typeof value === 'string' && value.toLowerCase() === match.caseless.toLowerCase();
  if ('fields' in match) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    return fieldConditions(match.fields).every(([field, inner]) => meets((value as Record<string, unknown>)[field], inner));
  }
  if (typeof value !== 'number') return false;
  return (match.from === undefined || value >= match.from) && (match.to === undefined || value <= match.to);
}

/** The query's answer over `records` (one tenant's collection in insertion order). */
export function queryRecords<T extends StoredRecord>(records: readonly StoredRecord[], query: RecordQuery): Found<T> {
  const where = conditions(query);
  const matching: StoredRecord[] = [];
  for (const record of records) if (where.every(([field, match]) => meets((record as Record<string, unknown>)[field], match))) matching.push(record);
  if (query.newestFirst) matching.reverse();
  const order = query.order ?? [];
  // Array#sort is stable: ties stay in insertion order, as newestFirst left it.
  if (order.length > 0) matching.sort((a, b) => order.reduce((d, key) => d || compareBy(a, b, key), 0));
  const { offset, limit } = bounds(query);
  return { records: matching.slice(offset, offset + limit) as T[], total: matching.length };
}

/** A query's offset and limit as whole numbers ≥ 0 (limit may be Infinity); anything else (NaN) is 0. */
export function bounds(query: RecordQuery): { offset: number; limit: number } {
  const whole = (n: number) => (Number.isFinite(n) ? Math.max(0, Math.floor(n)) : 0);
  return { offset: whole(query.offset), limit: query.limit === Infinity ? Infinity : whole(query.limit) };
}

/** How `a` and `b` compare on one sort key (SortKey). */
function compareBy(a: StoredRecord, b: StoredRecord, { field, descending }: SortKey): number {
  const x = (a as Record<string, unknown>)[field];
  const y = (b as Record<string, unknown>)[field];
  const rank = (v: unknown) => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : 2);
  const byRank = rank(x) - rank(y);
  if (byRank !== 0 || rank(x) === 2) return byRank;
  const d = (x as number | string) < (y as number | string) ? -1 : (x as number | string) > (y as number | string) ? 1 : 0;
  return descending ? -d : d;
}

/** A query's identity, for a store that caches answers by it. */
export function queryKey(query: RecordQuery): string {
  const order = (query.order ?? []).map((k) => [k.field, k.descending === true]);
  const { offset, limit } = bounds(query);
  return JSON.stringify([conditions(query), order, query.newestFirst === true, offset, limit === Infinity ? 'all' : limit]);
}

/** `page` (from 1) of `size` records as a query's offset and limit; a page before the first is empty. */
export function pageWindow(page: number, size: number): { offset: number; limit: number } {
  return page < 1 || size < 1 ? { offset: 0, limit: 0 } : { offset: (page - 1) * size, limit: size };
}
