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
import { FileStore, Transaction, type RecordPage, type ScanFilter, type StoredRecord } from '../core/store.js';
import { TENANTS } from '../core/tenants.js';
import { DELIVERIES } from '../core/webhooks.js';
import type { RunOptions } from '../core/store-port.js';
import { GENERATION_KEYS, PgStore } from './pg-store.js';
import { LIST_ALL, STATE_GENERATION } from './sql.js';
import { redactUrl, type PoolOptions } from './pool.js';

/**
 * The collections held in memory for the runtime's synchronous reads: the tenants (authentication), the
 * jobs (the scheduler's due list) and the webhook deliveries (the sender reads one before its POST). The
 * deliveries grow with the webhooks sent until step 5 leases them from the database.
 */
const MIRRORED: ReadonlySet<string> = new Set([TENANTS, JOBS, DELIVERIES]);

/**
 * A synchronous read of what the replica does not hold: every path reads through the port instead
 * (docs/design/shared-store.md §8), so this answers the internal error, never a wrong answer, should one be missed.
 */
function notYet(what: string): SandboxError {
  return new SandboxError('internal', {
    diagnostic: `${what} is not served on the PostgreSQL store (a synchronous read; the sandbox reads through the store port); use the file store for it, and report the request`,
  });
}

export class PgRuntimeStore extends FileStore {
  readonly pg: PgStore;
  /**
   * Called once a commit's jobs are in this replica's copy: later than the run that scheduled them (the
   * COMMIT comes between), so the scheduler must look again then (createSandbox sets it).
   */
  onJobsCopied?: () => void;
  /** Shared collection → the generation this replica's copy of it reflects. */
  readonly #generations = new Map<string, number>();

  private constructor(label: string, pg: PgStore) {
    super(label);
    this.pg = pg;
  }

  /** Connects to `url`, migrates the schema, and loads the mirrored collections. */
  static async connect(url: string, options: PoolOptions = {}): Promise<PgRuntimeStore> {
    let store: PgRuntimeStore | undefined;
    const pg = await PgStore.open(url, {
      ...options,
      onCommit: (runs, generations) => {
        if (!store) return;
        for (const tx of runs) store.#mirror(tx);
        // Our own change, with nobody else's between it and what we held: the copy is current. Otherwise the next sync reloads it.
        for (const [key, generation] of generations) if (store.#generations.get(key) === generation - 1) store.#generations.set(key, generation);
      },
    });
    store = new PgRuntimeStore(redactUrl(url), pg);
    for (const collection of MIRRORED) await store.reload(collection);
    return store;
  }

  /** The generation of each shared collection this replica's copy is at (shared.ts compares them with the database's). */
  generation(key: string): number | undefined {
    return this.#generations.get(key);
  }

  /**
   * Replaces this replica's copy of `collection` with the database's, read in one snapshot with the
   * collection's generation (so that a change committed meanwhile shows as a newer generation, and is
   * reloaded by the next sync rather than lost).
   */
  async reload(collection: string): Promise<void> {
    const key = GENERATION_KEYS.get(collection);
    const { records, generation } = await this.pg.consistentRead(async (query) => {
      const generation = key === undefined ? undefined : (await query<{ generation: string }>(STATE_GENERATION, [key])).rows[0]?.generation;
      const { rows } = await query<{ data: StoredRecord }>(LIST_ALL, [collection]);
      return { records: rows.map((r) => r.data), generation };
    });
    // Two commits, so that the copy takes the database's order (an update in one commit would keep a record's old place).
    const gone = this.#memoryTransaction();
    for (const [tenantId, held] of super.tenantsOf(collection)) for (const id of held.keys()) gone.delete(collection, tenantId, id);
    const fresh = this.#memoryTransaction();
    for (const record of records) fresh.put(collection, record);
    // Both apply in memory before either returns: no read sees the copy empty in between.
    await Promise.all([super.commit(gone), super.commit(fresh)]);
    if (key !== undefined && generation !== undefined) this.#generations.set(key, Number(generation));
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

  override filter(collection: string, tenantId: string, name: string, filter: ScanFilter): StoredRecord[] {
    this.#check(collection);
    return super.filter(collection, tenantId, name, filter);
  }

  override count(collection: string): number {
    this.#check(collection);
    return super.count(collection);
  }

  override collectionNames(): string[] {
    throw notYet('a read of every collection (snapshot export, tenant data)');
  }

  override run<T>(scope: string, work: (tx: Transaction) => T, options?: RunOptions): Promise<T> {
    return this.pg.run(scope, work, options);
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

  override scan(collection: string, tenantId: string, filter: ScanFilter): Promise<StoredRecord[]> {
    return this.pg.scan(collection, tenantId, filter);
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

  override check(): Promise<string | undefined> {
    return this.pg.check();
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
    if (tx.clearsAll || tx.changes().some((c) => c.c === JOBS)) this.onJobsCopied?.();
  }
}
