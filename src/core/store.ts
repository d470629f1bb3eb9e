/**
 * Tenant-scoped collections in memory, made durable by a write-ahead log and snapshots.
 *
 * Every change goes through a transaction: reads see the transaction's own writes, nothing touches the
 * shared maps until `commit`, and `commit` applies the change at once (so the next request sees it) and
 * resolves when the change is in the log: written, which survives a kill of the process (durability
 * 'write', the default), or synced as well ('fsync'). The commits of one event-loop turn go out together
 * (group commit; see store-log.ts). A commit appends only what changed, so its cost does not grow with
 * the store. Should the log refuse a write, the changes not yet in it are taken back out of memory
 * (newest first) before any commit is rejected, and the store refuses every later change.
 *
 * The files are store-disk.ts's: log segments sealed as they fill, compaction of the log into a new
 * snapshot (written from the records in memory, see #view) when it outgrows the last one, at close, and
 * after a clear-all or a mass delete that leaves much less than the disk holds (this file says when a
 * commit is one), and the load at start.
 * Every file is read a line at a time and written in bounded chunks (the log's lines: store-entries.mjs;
 * the snapshot: store-snapshot.mjs), so the store loads at any size. A crash at any moment leaves a
 * snapshot that loads and a log whose torn tail, if any, is dropped. Files are created 0600 and the
 * folder the store creates 0700: records hold keys, secrets and card data.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SandboxError } from './errors.js';
import { StoreDisk, type DiskHooks, type StoreOptions, type StoreView } from './store-disk.js';
import { applyEntry, entryLines, undoEntry, type LogEntry, type StoredRecord, type Undo } from './store-entries.mjs';
import type { Durability, EntryToken } from './store-log.js';
import { StoreLock } from './store-lock.js';
import { readOnlyWrote, type RecordPage, type RunOptions, type ScanFilter, type StorePort } from './store-port.js';
import { Transaction } from './store-transaction.js';

export type { StoredRecord, Durability, StoreOptions };
export { Suspend, rethrowSuspend, fieldText, valueText, type StorePort, type Key, type RecordPage, type ScanFilter } from './store-port.js';
export { StoreInUseError } from './store-lock.js';
export { Transaction, type Savepoint } from './store-transaction.js';

type Tenants = Map<string, Map<string, StoredRecord>>;

const MEMORY = ':memory:';
/** A transaction that drops most of the store (see Store#dropsMost) is followed by a compaction once the disk holds this much. */
const CLEAR_COMPACT_MIN_BYTES = 1024 * 1024;
/** Fewer deletes than this in one transaction never start a compaction by themselves. */
const DELETES_WORTH_A_COMPACTION = 1000;

/** An entry applied to memory whose log write has not yet succeeded, with what it replaced there. */
interface Unwritten extends EntryToken {
  undo: Undo;
}

/**
 * The file store: the whole store in memory is every transaction's working set, so nothing it reads
 * ever suspends, and `run` is begin, work, commit. Callers outside the port's reach (the control plane's
 * listings, scenario loads, the retention sweep, tests) still use its synchronous reads and
 * begin/commit directly.
 */
export class FileStore implements StorePort {
  readonly path: string;
  #collections = new Map<string, Tenants>();
  #seq = 0;
  /** The files, while the store is open on disk. */
  #disk?: StoreDisk;
  /** Entries in memory but not yet in the log, oldest first. */
  #unwritten: Unwritten[] = [];
  /** Set when the log could not be written or synced: the store refuses every change from then on. */
  #failure?: string;
  #lock?: StoreLock;
  readonly #hooks: DiskHooks = {
    log: {
      written: () => {
        const first = this.#unwritten.findIndex((u) => !u.written);
        this.#unwritten.splice(0, first < 0 ? this.#unwritten.length : first);
      },
      failed: (error) => this.#rollBack(error),
    },
    sealFailed: (error) => {
      this.#failure ??= logFailure(this.path, error);
    },
    refusal: () => (this.failure ? this.#refusal() : undefined),
    view: () => this.#view(),
  };

  /** Protected, not private: a test double of the port (test/helpers/suspending-store.ts) extends the file store. */
  protected constructor(path: string) {
    this.path = path;
  }

  /** Opens (or creates) the store at `path`; `:memory:` keeps everything in memory only. */
  static async open(path: string, options: StoreOptions = {}): Promise<FileStore> {
    const store = new this(path);
    if (path !== MEMORY) {
      // Folders it creates are the owner's only; one that exists already (say '.') is left as it is.
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      store.#lock = StoreLock.acquire(path);
      try {
        const { disk, seq } = await StoreDisk.open(path, options, store.#collections, store.#hooks);
        store.#disk = disk;
        store.#seq = seq;
      } catch (error) {
        store.#lock.release();
        throw error;
      }
    }
    return store;
  }

  get inMemory(): boolean {
    return this.path === MEMORY;
  }

  /** Whether the synchronous reads below answer for every collection (readAcross reads through the port where they do not). */
  get readsInPlace(): boolean {
    return true;
  }

  get(collection: string, tenantId: string, id: string): StoredRecord | undefined {
    return this.#collections.get(collection)?.get(tenantId)?.get(id);
  }

  /** The tenant's records in insertion order. */
  list(collection: string, tenantId: string): StoredRecord[] {
    return [...(this.#collections.get(collection)?.get(tenantId)?.values() ?? [])];
  }

  /** Every tenant's records (control plane and cross-tenant lookups). */
  listAll(collection: string): StoredRecord[] {
    const out: StoredRecord[] = [];
    // One push per record: spreading a large tenant's records into push() overflows the stack.
    for (const records of this.#collections.get(collection)?.values() ?? []) for (const record of records.values()) out.push(record);
    return out;
  }

  /** Each tenant's records of `collection` in insertion order, read in place (live): for scans that stop early or go tenant by tenant. */
  tenantsOf(collection: string): IterableIterator<[string, ReadonlyMap<string, StoredRecord>]> {
    return (this.#collections.get(collection) ?? new Map<string, Map<string, StoredRecord>>()).entries();
  }

  /** Every tenant's records, tenant by tenant (or `tenantId`'s only), without copying them; live, so a consistent view is one read within one turn. */
  *records(collection: string, tenantId?: string): Generator<StoredRecord> {
    const tenants = this.#collections.get(collection);
    if (tenantId !== undefined) yield* tenants?.get(tenantId)?.values() ?? [];
    else for (const records of tenants?.values() ?? []) yield* records.values();
  }

  /** The collections that hold at least one record, in the order they were first written. */
  collectionNames(): string[] {
    return [...this.#collections.keys()].filter((c) => this.count(c) > 0);
  }

  count(collection: string): number {
    let n = 0;
    for (const records of this.#collections.get(collection)?.values() ?? []) n += records.size;
    return n;
  }

  begin(): Transaction {
    return new Transaction(this);
  }

  /**
   * The port's transaction (store-port.ts): `work` runs at once, and its writes apply to memory in the
   * same synchronous stretch (nothing interleaves between the reads and the commit); resolves once
   * durable. The scope needs no lock here: one process, one thread.
   */
  run<T>(_scope: string, work: (tx: Transaction) => T, options?: RunOptions): Promise<T> {
    const tx = this.begin();
    let result: T;
    try {
      result = work(tx);
    } catch (error) {
      // Whatever the work threw, as it is (a Suspend is not an Error): the caller's catch decides.
      return Promise.reject(error);
    }
    // Refused here as on a store that runs it without locks, so that a wrongly marked operation fails on both.
    if (options?.readOnly && !tx.empty) return Promise.reject(readOnlyWrote(tx.changes()));
    // A run that wrote nothing (an idempotency claim) has nothing to commit: no log line, no promise to wait on.
    if (tx.empty) return Promise.resolve(result);
    return this.commit(tx).then(() => result);
  }

  read(collection: string, tenantId?: string): Promise<StoredRecord[]> {
    return Promise.resolve(tenantId === undefined ? this.listAll(collection) : this.list(collection, tenantId));
  }

  lookup(collection: string, tenantId: string, id: string): Promise<StoredRecord | undefined> {
    return Promise.resolve(this.get(collection, tenantId, id));
  }

  /**
   * The tenant's records of `collection` that `keep` accepts, in insertion order (ReadView#filter, read
   * through the port): on a store that does not hold its records, read in pages of one snapshot, so that
   * memory holds a page and what is kept, not the collection.
   */
  scan(collection: string, tenantId: string, filter: ScanFilter): Promise<StoredRecord[]> {
    return Promise.resolve(this.filter(collection, tenantId, '', filter));
  }

  /** The tenant's records of `collection` that `filter` keeps, in insertion order (ReadView#filter; `name` is for views that cache). */
  filter(collection: string, tenantId: string, _name: string, { keep }: ScanFilter): StoredRecord[] {
    const out: StoredRecord[] = [];
    for (const record of this.#collections.get(collection)?.get(tenantId)?.values() ?? []) if (keep(record)) out.push(record);
    return out;
  }

  collections(): Promise<string[]> {
    return Promise.resolve(this.collectionNames());
  }

  owners(collection: string): Promise<string[]> {
    return Promise.resolve(Array.from(this.tenantsOf(collection), ([tenantId]) => tenantId));
  }

  /** Pinned when called (a reference per record, not a copy), so the pages are of that instant however slowly they are read. */
  snapshot(pageSize: number): AsyncIterable<RecordPage> {
    const pinned = this.collectionNames().map((c) => [c, this.listAll(c)] as const);
    return (async function* () {
      for (const [collection, records] of pinned) {
        for (let i = 0; i < records.length; i += pageSize) yield { collection, records: records.slice(i, i + pageSize) };
      }
    })();
  }

  /** Why the store refuses changes (its log could not be written or synced), or undefined while it is healthy. */
  get failure(): string | undefined {
    // A background fdatasync (durability 'write') can fail with no commit waiting on it.
    const log = this.#disk?.failure;
    if (this.#failure === undefined && log !== undefined) this.#failure = logFailure(this.path, log);
    return this.#failure;
  }

  /** `failure`: the file store knows it without asking anything. */
  check(): Promise<string | undefined> {
    return Promise.resolve(this.failure);
  }

  /**
   * Applies the transaction now and resolves once it is durable. Once a write or sync of the log has
   * failed, every later commit is refused (and not applied) until a restart reloads the files: a change
   * acknowledged after that could depend on one the files never got. A change whose write fails is taken
   * back out of memory before its commit is rejected.
   */
  commit(tx: Transaction): Promise<void> {
    const changes = tx.changes();
    if (changes.length === 0 && !tx.clearsAll) return Promise.resolve();
    if (this.failure) return Promise.reject(this.#refusal());
    const entry: LogEntry = { seq: this.#seq + 1, changes };
    if (tx.clearsAll) entry.clear = true;
    const disk = this.#disk;
    if (!disk) {
      this.#seq = entry.seq;
      applyEntry(this.#collections, entry);
      return Promise.resolve();
    }
    let lines: string[];
    try {
      lines = entryLines(entry);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    this.#seq = entry.seq;
    const unwritten: Unwritten = { written: false, undo: [] };
    applyEntry(this.#collections, entry, unwritten.undo);
    this.#unwritten.push(unwritten);
    const written = disk.append(lines, unwritten).catch((error: unknown) => {
      this.#failure ??= logFailure(this.path, error);
      throw this.#refusal();
    });
    const logBytes = disk.logBytes;
    const entryChars = lines.reduce((n, line) => n + line.length, 0);
    if (
      logBytes > disk.compactThreshold() ||
      (disk.snapshotBytes + logBytes > CLEAR_COMPACT_MIN_BYTES && this.#dropsMost(entry, entryChars, disk.snapshotBytes, logBytes))
    )
      disk.compactInBackground();
    return written;
  }

  /**
   * The records now, for a compaction to write while commits go on: per tenant an array of references (a
   * commit replaces records in the maps, and never changes one in place, so the view stays as it was).
   */
  #view(): StoreView {
    const collections = new Map<string, Map<string, StoredRecord[]>>();
    for (const [collection, tenants] of this.#collections) {
      const view = new Map<string, StoredRecord[]>();
      for (const [tenantId, records] of tenants) view.set(tenantId, Array.from(records.values()));
      collections.set(collection, view);
    }
    return { seq: this.#seq, collections };
  }

  #refusal(): SandboxError {
    return new SandboxError('internal', { diagnostic: `${this.#failure}; the store refuses every change until the sandbox restarts` });
  }

  /** A write to the log failed: every entry not yet in it leaves memory, newest first, and no segment takes another. */
  #rollBack(error: unknown): void {
    this.#failure ??= logFailure(this.path, error);
    for (let i = this.#unwritten.length - 1; i >= 0; i--) {
      const entry = this.#unwritten[i]!;
      if (!entry.written) undoEntry(this.#collections, entry.undo);
    }
    this.#unwritten = [];
    this.#disk?.abandon(error);
  }

  /**
   * Whether a committed transaction left much less than the disk holds: a clear-all whose new state is
   * smaller than the rest of the files, or one that deleted more records than are left (a tenant's
   * deletion). Then a compaction gives the disk back.
   */
  #dropsMost(entry: LogEntry, entryChars: number, snapshotBytes: number, logBytes: number): boolean {
    if (entry.clear) return snapshotBytes + logBytes - entryChars > entryChars;
    let deleted = 0;
    for (const change of entry.changes) if (change.v === null) deleted++;
    if (deleted < DELETES_WORTH_A_COMPACTION) return false;
    let left = 0;
    for (const collection of this.#collections.keys()) left += this.count(collection);
    return deleted > left;
  }

  /** Waits for every acknowledged change to be on disk. */
  async flush(): Promise<void> {
    await this.#disk?.flush();
  }

  /** Writes a snapshot of the current state and drops the log segments it covers (one at a time: a call during a compaction gets that compaction's promise). */
  compact(): Promise<void> {
    return this.#disk ? this.#disk.compact() : Promise.resolve();
  }

  /** Waits for every change to be on disk, folds whatever log there is into the snapshot, and lets the store go. */
  async close(): Promise<void> {
    await this.flush();
    if (this.#disk && this.#disk.logBytes > 0 && !this.failure) await this.compact();
    await this.#disk?.close();
    this.#disk = undefined;
    this.#lock?.release();
    this.#lock = undefined;
  }
}

/** The file store under its former name, which most of the code still uses. */
export { FileStore as Store };

function logFailure(path: string, error: unknown): string {
  return `${path}: the log could not be written or synced (${error instanceof Error ? error.message : String(error)})`;
}
