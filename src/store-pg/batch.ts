/**
 * The runs of one scope that share a transaction (group commit, docs/design/shared-store.md §5.1, §5.3).
 * Each run has a `Transaction` of its own over `view()`: the working set with the batch's earlier runs
 * applied, as if each had committed before the next began (so a record deleted by one run and put by a
 * later one goes to the end of its collection, as on the file store). `writes()` is the batch's net
 * change, in the order the database must take it for insertion order to come out the same.
 */
import { queryRecords } from '../core/record-query.js';
import type { Change, StoredRecord } from '../core/store-entries.mjs';
import type { Committed, Transaction } from '../core/store-transaction.js';
import { recordKey, type WorkingSet } from './working-set.js';

interface Net {
  change: Change;
  /** Deleted by an earlier run and put again: the row must be deleted and inserted anew (a new position). */
  fresh: boolean;
}

export interface BatchWrites {
  clearsAll: boolean;
  /** Keys to delete first: the deletes, and the fresh puts' old rows. */
  deletes: Array<{ c: string; t: string; id: string }>;
  /** Records to upsert after, in order (new records get their positions in it). */
  puts: Array<{ c: string; v: StoredRecord }>;
}

export class Batch {
  /** The completed runs' transactions, in order. */
  readonly runs: Transaction[] = [];
  #clearsAll = false;
  readonly #net = new Map<string, Net>();
  readonly #set: WorkingSet;

  constructor(set: WorkingSet) {
    this.#set = set;
  }

  /** What a run of the batch reads through to. */
  view(): Committed {
    const view: Committed = {
      get: (collection, tenantId, id) => {
        const net = this.#net.get(recordKey(collection, tenantId, id));
        if (net) return net.change.v ?? undefined;
        return this.#clearsAll ? undefined : this.#set.get(collection, tenantId, id);
      },
      list: (collection, tenantId) => {
        const base = this.#clearsAll ? [] : this.#set.list(collection, tenantId);
        if (this.runs.length === 0) return base;
        const records = new Map(base.map((r) => [r.id, r]));
        let touched = false;
        // Replayed run by run, as the file store applies commits: an update keeps its place, a delete and put goes to the end.
        for (const run of this.runs) {
          for (const change of run.changes()) {
            if (change.c !== collection) continue;
            if (change.v === null) {
              if (change.t !== tenantId) continue;
              records.delete(change.id);
            } else {
              if (change.v.tenantId !== tenantId) continue;
              records.set(change.v.id, change.v);
            }
            touched = true;
          }
        }
        return touched ? [...records.values()] : base;
      },
      // A page the batch's earlier runs changed is answered over the list, as the file store answers every page.
      page: (collection, tenantId, query) =>
        this.#clearsAll || this.#touches(collection, tenantId)
          ? queryRecords(view.list(collection, tenantId), query)
          : this.#set.page(collection, tenantId, query),
    };
    return view;
  }

  /** Whether a completed run wrote a record of the tenant's `collection`. */
  #touches(collection: string, tenantId: string): boolean {
    return this.runs.some((run) => run.changes().some((c) => c.c === collection && (c.v === null ? c.t : c.v.tenantId) === tenantId));
  }

  /** A run completed: its writes count for the runs after it, and for the commit. */
  completed(tx: Transaction): void {
    this.runs.push(tx);
    if (tx.clearsAll) {
      this.#clearsAll = true;
      this.#net.clear();
    }
    for (const change of tx.changes()) {
      const key = change.v === null ? recordKey(change.c, change.t, change.id) : recordKey(change.c, change.v.tenantId, change.v.id);
      const before = this.#net.get(key);
      if (change.v !== null && before?.change.v === null) {
        this.#net.delete(key);
        this.#net.set(key, { change, fresh: true });
      } else this.#net.set(key, { change, fresh: change.v !== null && (before?.fresh ?? false) });
    }
  }

  writes(): BatchWrites {
    const deletes: BatchWrites['deletes'] = [];
    const puts: BatchWrites['puts'] = [];
    for (const { change, fresh } of this.#net.values()) {
      if (change.v === null) deletes.push({ c: change.c, t: change.t, id: change.id });
      else {
        if (fresh) deletes.push({ c: change.c, t: change.v.tenantId, id: change.v.id });
        puts.push({ c: change.c, v: change.v });
      }
    }
    return { clearsAll: this.#clearsAll, deletes, puts };
  }
}
