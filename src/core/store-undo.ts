/**
 * Taking back a commit the log refused. The store applies a commit to memory at once (so the next
 * request sees it) and writes it to the log a moment later; should the log refuse it, memory goes back
 * to what it was, so that no read ever shows a change the files do not have. What an entry replaces is
 * noted before it is applied: the records it overwrites or deletes (a record put back keeps its place in
 * its tenant's insertion order), or, for a clear, the collections as they were. The cost, a few µs per
 * commit (mostly keeping these until the log has the commit), is the price of memory never being ahead.
 */
import type { LogEntry, StoredRecord } from './store-files.mjs';

type Collections = Map<string, Map<string, Map<string, StoredRecord>>>;

export interface Undo {
  cleared?: Collections;
  entry: LogEntry;
  /** What each change of the entry replaced (undefined: nothing). */
  prior: Array<StoredRecord | undefined>;
  /** The ids of each tenant's collection the entry deletes from, in order, taken once per entry (a record put back would otherwise go to the end). */
  orders?: Array<{ c: string; t: string; ids: string[] }>;
}

/** What `entry` will replace in `collections`; call before applying it. */
export function undoOf(collections: Collections, entry: LogEntry): Undo {
  if (entry.clear) return { cleared: new Map(collections), entry, prior: [] };
  const undo: Undo = { entry, prior: new Array<StoredRecord | undefined>(entry.changes.length) };
  for (let i = 0; i < entry.changes.length; i++) {
    const change = entry.changes[i]!;
    const t = change.v === null ? change.t : change.v.tenantId;
    const records = collections.get(change.c)?.get(t);
    const v = records?.get(change.v === null ? change.id : change.v.id);
    undo.prior[i] = v;
    if (v && change.v === null) keepOrder(undo, change.c, t, records!);
  }
  return undo;
}

function keepOrder(undo: Undo, c: string, t: string, records: Map<string, StoredRecord>): void {
  undo.orders ??= [];
  for (const o of undo.orders) if (o.c === c && o.t === t) return;
  const ids: string[] = [];
  for (const id of records.keys()) ids.push(id);
  undo.orders.push({ c, t, ids });
}

/** Puts back what the entry replaced. Entries go back newest first. */
export function revert(collections: Collections, undo: Undo): void {
  if (undo.cleared) {
    collections.clear();
    for (const [c, tenants] of undo.cleared) collections.set(c, tenants);
    return;
  }
  for (let i = undo.entry.changes.length - 1; i >= 0; i--) {
    const change = undo.entry.changes[i]!;
    const records = collections.get(change.c)?.get(change.v === null ? change.t : change.v.tenantId);
    if (!records) continue;
    const id = change.v === null ? change.id : change.v.id;
    const v = undo.prior[i];
    if (v === undefined) records.delete(id);
    else records.set(id, v);
  }
  for (const { c, t, ids } of undo.orders ?? []) {
    const records = collections.get(c)?.get(t);
    if (!records) continue;
    const current = new Map(records);
    records.clear();
    for (const id of ids) if (current.has(id)) records.set(id, current.get(id)!);
  }
}
