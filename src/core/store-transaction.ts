/**
 * Transactions over the store (see Store#begin and Store#commit).
 */
import { queryRecords, type Found, type RecordQuery } from './record-query.js';
import type { Change, StoredRecord } from './store-entries.mjs';

/** What a transaction reads through to: the store's committed records. */
export interface Committed {
  get(collection: string, tenantId: string, id: string): StoredRecord | undefined;
  list(collection: string, tenantId: string): readonly StoredRecord[];
  /** `queryRecords` over `list`, answered without it where the store can (PostgreSQL); absent: over `list`. */
  page?(collection: string, tenantId: string, query: RecordQuery): Found<StoredRecord>;
}

/** A unit of change: reads see its own writes; nothing is shared until the store commits it. */
export class Transaction {
  readonly #store: Committed;
  readonly #writes = new Map<string, Change>();
  #clearsAll = false;

  constructor(store: Committed) {
    this.#store = store;
  }

  get clearsAll(): boolean {
    return this.#clearsAll;
  }

  /** Whether the transaction changes nothing (commit has nothing to write). */
  get empty(): boolean {
    return this.#writes.size === 0 && !this.#clearsAll;
  }

  get<T extends StoredRecord>(collection: string, tenantId: string, id: string): T | undefined {
    const key = keyOf(collection, tenantId, id);
    const write = this.#writes.get(key);
    if (write) return (write.v ?? undefined) as T | undefined;
    if (this.#clearsAll) return undefined;
    return this.#store.get(collection, tenantId, id) as T | undefined;
  }

  list<T extends StoredRecord>(collection: string, tenantId: string): T[] {
    const base = this.#clearsAll ? [] : this.#store.list(collection, tenantId);
    const prefix = keyOf(collection, tenantId, '');
    const own = [...this.#writes.entries()].filter(([k]) => k.startsWith(prefix));
    if (own.length === 0) return base as T[];
    const merged = new Map(base.map((r) => [r.id, r]));
    for (const [, w] of own) {
      if (w.v === null) merged.delete(w.id);
      else merged.set(w.v.id, w.v);
    }
    return [...merged.values()] as T[];
  }

  /**
   * The page of the tenant's records of `collection` that match `query`, and how many match: a listing's
   * read, whose memory is the page's, not the collection's, on a store that does not hold the records.
   * Sees the transaction's own writes (then over `list`, as the file store always answers).
   */
  page<T extends StoredRecord>(collection: string, tenantId: string, query: RecordQuery): Found<T> {
    const prefix = keyOf(collection, tenantId, '');
    const own = this.#clearsAll || [...this.#writes.keys()].some((k) => k.startsWith(prefix));
    if (own || !this.#store.page) return queryRecords<T>(this.list(collection, tenantId), query);
    return this.#store.page(collection, tenantId, query) as Found<T>;
  }

  put<T extends StoredRecord>(collection: string, record: T): T {
    this.#writes.set(keyOf(collection, record.tenantId, record.id), { c: collection, v: record });
    return record;
  }

  delete(collection: string, tenantId: string, id: string): void {
    this.#writes.set(keyOf(collection, tenantId, id), { c: collection, t: tenantId, id, v: null });
  }

  /** Drops every record of every tenant before this transaction's own writes (scenario reset). */
  clearAll(): void {
    this.#clearsAll = true;
    this.#writes.clear();
  }

  changes(): Change[] {
    return [...this.#writes.values()];
  }

  /** The transaction's writes so far, to go back to if a later step fails (cheap: a transaction is small). */
  savepoint(): Savepoint {
    return { writes: new Map(this.#writes), clearsAll: this.#clearsAll };
  }

  rollbackTo(savepoint: Savepoint): void {
    this.#writes.clear();
    for (const [k, v] of savepoint.writes) this.#writes.set(k, v);
    this.#clearsAll = savepoint.clearsAll;
  }
}

export interface Savepoint {
  readonly writes: ReadonlyMap<string, Change>;
  readonly clearsAll: boolean;
}

function keyOf(collection: string, tenantId: string, id: string): string {
  return `${collection}\u0000${tenantId}\u0000${id}`;
}
