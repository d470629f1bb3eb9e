/**
 * Taking back a commit the log refused. The store applies a commit to memory at once (so the next
 * request sees it) and writes it to the log a moment later; should the log refuse it, memory goes back
 * to what it was, so that no read ever shows a change the files do not have. What an entry replaces is
 * noted before it is applied: the records it overwrites or deletes (a record put back keeps its place in
 * its tenant's insertion order), or, for a clear, the collections as they were.
 */
import type { LogEntry, StoredRecord } from './store-files.mjs';

type Collections = Map<string, Map<string, Map<string, StoredRecord>>>;

interface Prior {
  c: string;
  t: string;
  id: string;
  v: StoredRecord | undefined;
  /** The tenant's ids in order, when the entry deletes a record (re-inserting it would move it to the end). */
  order?: string[];
}

export interface Undo {
  cleared?: Collections;
  prior: Prior[];
}

/** What `entry` will replace in `collections`; call before applying it. */
export function undoOf(collections: Collections, entry: LogEntry): Undo {
  if (entry.clear) return { cleared: new Map(collections), prior: [] };
  const prior: Prior[] = [];
  for (const change of entry.changes) {
    const t = change.v === null ? change.t : change.v.tenantId;
    const id = change.v === null ? change.id : change.v.id;
    const records = collections.get(change.c)?.get(t);
    const v = records?.get(id);
    prior.push({ c: change.c, t, id, v, order: v && change.v === null ? [...records!.keys()] : undefined });
  }
  return { prior };
}

/** Puts back what the entry replaced. Entries go back newest first. */
export function revert(collections: Collections, undo: Undo): void {
  if (undo.cleared) {
    collections.clear();
    for (const [c, tenants] of undo.cleared) collections.set(c, tenants);
    return;
  }
  for (let i = undo.prior.length - 1; i >= 0; i--) {
    const { c, t, id, v, order } = undo.prior[i]!;
    const records = collections.get(c)?.get(t);
    if (!records) continue;
    if (v === undefined) records.delete(id);
    else if (!order) records.set(id, v);
    else {
      const current = new Map(records);
      current.set(id, v);
      records.clear();
      for (const key of order) if (current.has(key)) records.set(key, current.get(key)!);
      for (const [key, record] of current) if (!records.has(key)) records.set(key, record);
    }
  }
}
