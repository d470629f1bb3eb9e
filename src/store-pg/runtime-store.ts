/**
 * The face the runtime still needs of a store (the file store's synchronous reads), over PgStore, until
 * the later steps of docs/design/shared-store.md §8 move their callers to the port. Every transaction
 * (`run`, and `begin` + `commit`) goes to PostgreSQL. The synchronous reads answer for two small
 * collections only (MIRRORED), kept in memory as they were last committed through this replica. A synchronous read of any
 * other collection is refused with the internal error naming the step that will serve it, never answered
 * from an empty map. One replica per database until steps 4 and 6 share the jobs and tenants.
 */
import { SandboxError } from '../core/errors.js';
import { GLOBAL } from '../core/ids.js';
import { JOBS } from '../core/scheduler.js';
import { FileStore, Transaction, type RecordPage, type StoredRecord } from '../core/store.js';
import { TENANTS } from '../core/tenants.js';
import { DELIVERIES } from '../core/webhooks.js';
import { PgStore } from './pg-store.js';
import { redactUrl, type PoolOptions } from './pool.js';

/**
 * The collections held in memory for the runtime's synchronous reads: the tenants (authentication), the
 * jobs (the scheduler's due list) and the webhook deliveries (the sender reads one before its POST). The
 * deliveries grow with the webhooks sent until step 5 leases them from the database.
 */
const MIRRORED: ReadonlySet<string> = new Set([TENANTS, JOBS, DELIVERIES]);

/** What a synchronous read of `collection` waits for, on PostgreSQL. */
function notYet(what: string): SandboxError {
  return new SandboxError('internal', {
    diagnostic: `${what} is not yet served on the PostgreSQL store (docs/design/shared-store.md, section 8, steps 4 to 9: not yet); use the file store for it`,
  });
}

export class PgRuntimeStore extends FileStore {
  readonly pg: PgStore;

  private constructor(label: string, pg: PgStore) {
    super(label);
    this.pg = pg;
  }

  /** Connects to `url`, migrates the schema, and loads the mirrored collections. */
  static async connect(url: string, options: PoolOptions = {}): Promise<PgRuntimeStore> {
    let store: PgRuntimeStore | undefined;
    const pg = await PgStore.open(url, {
      ...options,
      onCommit: (runs) => {
        if (store) for (const tx of runs) store.#mirror(tx);
      },
    });
    store = new PgRuntimeStore(redactUrl(url), pg);
    const tx = store.#memoryTransaction();
    for (const collection of MIRRORED) for (const record of await pg.read(collection)) tx.put(collection, record);
    await FileStore.prototype.commit.call(store, tx);
    return store;
  }

  override get inMemory(): boolean {
    return false;
  }

  override get readsInPlace(): boolean {
    return false;
  }

  override get(collection: string, tenantId: string, id: string): StoredRecord | undefined {
    this.#check(collection);
    return super.get(collection, tenantId, id);
  }

  override list(collection: string, tenantId: string): StoredRecord[] {
    this.#check(collection);
    return super.list(collection, tenantId);
  }

  override listAll(collection: string): StoredRecord[] {
    this.#check(collection);
    return super.listAll(collection);
  }

  override tenantsOf(collection: string): IterableIterator<[string, ReadonlyMap<string, StoredRecord>]> {
    this.#check(collection);
    return super.tenantsOf(collection);
  }

  override *records(collection: string, tenantId?: string): Generator<StoredRecord> {
    this.#check(collection);
    yield* super.records(collection, tenantId);
  }

  override count(collection: string): number {
    this.#check(collection);
    return super.count(collection);
  }

  override collectionNames(): string[] {
    throw notYet('a read of every collection (snapshot export, tenant data)');
  }

  override run<T>(scope: string, work: (tx: Transaction) => T): Promise<T> {
    return this.pg.run(scope, work);
  }

  /** A transaction built with `begin` (scenario loads, the control plane) commits as one GLOBAL transaction. */
  override commit(tx: Transaction): Promise<void> {
    return this.pg.commit(GLOBAL, tx);
  }

  override read(collection: string, tenantId?: string): Promise<StoredRecord[]> {
    return this.pg.read(collection, tenantId);
  }

  override lookup(collection: string, tenantId: string, id: string): Promise<StoredRecord | undefined> {
    return this.pg.lookup(collection, tenantId, id);
  }

  override collections(): Promise<string[]> {
    return this.pg.collections();
  }

  override owners(collection: string): Promise<string[]> {
    return this.pg.owners(collection);
  }

  override snapshot(pageSize: number): AsyncIterable<RecordPage> {
    return this.pg.snapshot(pageSize);
  }

  override get failure(): string | undefined {
    return this.pg.failure;
  }

  override flush(): Promise<void> {
    return this.pg.flush();
  }

  override compact(): Promise<void> {
    return Promise.resolve();
  }

  override close(): Promise<void> {
    return this.pg.close();
  }

  #check(collection: string): void {
    if (!MIRRORED.has(collection)) throw notYet(`a read of ${JSON.stringify(collection)} outside a transaction`);
  }

  /** A transaction on the in-memory part only. */
  #memoryTransaction(): Transaction {
    return new Transaction({ get: () => undefined, list: () => [] });
  }

  /** A commit's changes to the mirrored collections, applied in memory right after its COMMIT. */
  #mirror(tx: Transaction): void {
    const own = this.#memoryTransaction();
    if (tx.clearsAll) own.clearAll();
    for (const change of tx.changes()) {
      if (!MIRRORED.has(change.c)) continue;
      if (change.v === null) own.delete(change.c, change.t, change.id);
      else own.put(change.c, change.v);
    }
    // In memory only: applied before this returns, and it cannot fail.
    if (!own.empty) super.commit(own).catch(() => undefined);
  }
}
