/**
 * One PostgreSQL transaction's working set (docs/design/shared-store.md §4 C): the records it has read,
 * by key, the collections it has listed and the pages it has asked for (Transaction#page). A read it cannot answer throws `Suspend`; the store loads the
 * key inside the same transaction and runs the work again. Records read stay valid for the transaction's
 * life: it holds the locks that every writer of them takes.
 */
import { queryKey, queryRecords, type Found, type RecordQuery } from '../core/record-query.js';
import type { StoredRecord } from '../core/store-entries.mjs';
import { Suspend } from '../core/store-port.js';
import type { Committed } from '../core/store-transaction.js';

export class WorkingSet implements Committed {
  /** collection \0 tenant \0 id → the record, or null where it is known to be absent. */
  readonly #records = new Map<string, StoredRecord | null>();
  /** collection \0 tenant → its records in insertion order, where the whole collection was loaded. */
  readonly #lists = new Map<string, StoredRecord[]>();

  /** collection \0 tenant \0 query → its answer, where it was loaded as a page (the collection was not). */
  readonly #pages = new Map<string, Found<StoredRecord>>();

  /** Keys a run asked for (held or not): what the scope's next transaction should read up front. */
  readonly #asked = new Set<string>();

  /** Whether a run asked for the record. */
  read(collection: string, tenantId: string, id: string): boolean {
    return this.#asked.has(recordKey(collection, tenantId, id));
  }

  get(collection: string, tenantId: string, id: string): StoredRecord | undefined {
    const key = recordKey(collection, tenantId, id);
    this.#asked.add(key);
    const known = this.#records.get(key);
    if (known !== undefined) return known ?? undefined;
    if (this.#lists.has(listKey(collection, tenantId))) return undefined;
    throw new Suspend({ collection, tenantId, id });
  }

  list(collection: string, tenantId: string): readonly StoredRecord[] {
    const list = this.#lists.get(listKey(collection, tenantId));
    if (list) return list;
    throw new Suspend({ collection, tenantId });
  }

  page(collection: string, tenantId: string, query: RecordQuery): Found<StoredRecord> {
    const list = this.#lists.get(listKey(collection, tenantId));
    if (list) return queryRecords(list, query);
    const found = this.#pages.get(pageKey(collection, tenantId, query));
    if (found) return found;
    throw new Suspend({ collection, tenantId, query });
  }

  loadedRecord(collection: string, tenantId: string, id: string, record: StoredRecord | undefined): void {
    this.#records.set(recordKey(collection, tenantId, id), record ?? null);
  }

  loadedList(collection: string, tenantId: string, records: StoredRecord[]): void {
    this.#lists.set(listKey(collection, tenantId), records);
    for (const r of records) this.#records.set(recordKey(collection, tenantId, r.id), r);
  }

  loadedPage(collection: string, tenantId: string, query: RecordQuery, found: Found<StoredRecord>): void {
    this.#pages.set(pageKey(collection, tenantId, query), found);
  }
}

/** A record's key in the maps of a transaction (working set, batch, expected keys). */
export function recordKey(collection: string, tenantId: string, id: string): string {
  return `${collection}\u0000${tenantId}\u0000${id}`;
}

function listKey(collection: string, tenantId: string): string {
  return `${collection}\u0000${tenantId}`;
}

function pageKey(collection: string, tenantId: string, query: RecordQuery): string {
  return `${collection}\u0000${tenantId}\u0000${queryKey(query)}`;
}
