/**
 * Transactions over the store (see Store#begin and Store#commit).
 */
import type { Change, StoredRecord } from './store-entries.mjs';

/** What a transaction reads through to: the store's committed records. */
export interface Committed {
  get(collection: string, tenantId: string, id: string): StoredRecord | undefined;
  list(collection: string, tenantId: string): readonly StoredRecord[];
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
