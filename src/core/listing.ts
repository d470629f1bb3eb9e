/**
 * What every vendor's list queries share: a page of the matching records (pages from 1) and a time
 * window over their instants. Each vendor wraps the page in its own fields (Onerway's `records`,
 * OPEN-API's `list`, Finext's `hasMore`) and reads the window from its own query fields.
 */
import { invalidParam } from './errors.js';

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
 * Instants (ms) from `from` to `to`, both included; an end left out is open. With `refuse`, an end
 * before the start is refused naming that field, rather than answered with nothing.
 */
export function timeWindow(from: number | undefined, to: number | undefined, refuse?: { field: string; after: string }): (ms: number) => boolean {
  if (refuse && from !== undefined && to !== undefined && to < from) throw invalidParam(refuse.field, `must not be before ${refuse.after}`);
  const lo = from ?? -Infinity;
  const hi = to ?? Infinity;
  return (ms) => ms >= lo && ms <= hi;
}
