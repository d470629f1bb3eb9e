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
 * A log segment is sealed once it passes `segmentMaxBytes`, and the next one begins. When the log
 * outgrows the last snapshot, at close whenever there is log, and after a clear-all or a mass delete
 * that leaves much less than the disk holds, the snapshot and the sealed segments are folded into a new
 * snapshot from the files (in a worker thread once the store is large, so that requests are not held
 * up), fsynced and renamed into place, and the folded segments are deleted. At start, when a crash or
 * earlier runs left more than one segment or a large log, the store does the same from memory before it
 * serves anything.
 * Every file is read a line at a time and written in bounded chunks (the log's lines: store-entries.mjs;
 * the snapshot: store-snapshot.mjs), so the store loads at any size. A crash at any moment leaves a
 * snapshot that loads and a log whose torn tail, if any, is dropped. Files are created 0600 and the folder the store creates 0700: records hold keys,
 * secrets and card data.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SandboxError } from './errors.js';
import { applyEntry, entryLines, logSegments, replaySegment, segmentNumber, undoEntry, type LogEntry, type StoredRecord, type Undo } from './store-entries.mjs';
import { compactFiles, readSnapshot, writeSnapshot } from './store-snapshot.mjs';
import { WriteAheadLog, type Durability, type EntryToken, type LogHooks } from './store-log.js';
import { StoreLock } from './store-lock.js';
import { Transaction } from './store-transaction.js';

export type { StoredRecord, Durability };
export { StoreInUseError } from './store-lock.js';
export { Transaction, type Savepoint } from './store-transaction.js';

type Tenants = Map<string, Map<string, StoredRecord>>;

export interface StoreOptions {
  /**
   * `write` (default): a commit resolves once the OS has the bytes, which survives a kill of the process
   * at any moment; the log is fdatasync'd in the background at least every second, so a power cut or an
   * OS crash loses at most the last second. `fsync`: a commit resolves after fdatasync.
   */
  durability?: Durability;
  /** The log is folded into a new snapshot once it passes this many bytes and COMPACT_RATIO × the snapshot's size. */
  compactMinBytes?: number;
  /** From this many bytes of snapshot + log, a compaction runs in a worker thread (below it, in-process). */
  compactInWorkerFromBytes?: number;
  /** A log segment is sealed, and the next one begun, once it passes this many bytes. */
  segmentMaxBytes?: number;
  /** Bytes read from a store file at a time (at start and in compactions). */
  readBufferBytes?: number;
}

const MEMORY = ':memory:';
/**
 * A compaction rewrites the whole store, so it waits until the log is this many times the last snapshot:
 * the bytes serialised for snapshots stay proportional to the bytes logged (about 1/ratio + the store's
 * growth per logged byte), while a restart replays at most this many snapshots' worth of log.
 */
const COMPACT_RATIO = 4;
/** A transaction that drops most of the store (see Store#dropsMost) is followed by a compaction once the disk holds this much. */
const CLEAR_COMPACT_MIN_BYTES = 1024 * 1024;
/** Fewer deletes than this in one transaction never start a compaction by themselves. */
const DELETES_WORTH_A_COMPACTION = 1000;

/** An entry applied to memory whose log write has not yet succeeded, with what it replaced there. */
interface Unwritten extends EntryToken {
  undo: Undo;
}

export class Store {
  readonly path: string;
  #collections = new Map<string, Tenants>();
  #seq = 0;
  #log?: WriteAheadLog;
  /** Every segment open for writing: the current one, and one being sealed. */
  readonly #logs = new Set<WriteAheadLog>();
  /** Entries in memory but not yet in the log, oldest first. */
  #unwritten: Unwritten[] = [];
  #snapshotBytes = 0;
  /** Bytes of log in sealed segments that no snapshot covers yet. */
  #sealedBytes = 0;
  /** A new segment being opened, and sealed segments being closed. */
  #opening?: Promise<WriteAheadLog>;
  readonly #closing = new Set<Promise<WriteAheadLog>>();
  /** The segment a commit has asked to seal (once: commits go on to it until the next one is open). */
  #sealing?: WriteAheadLog;
  #compacting?: Promise<void>;
  /** After a failed compaction, the log size from which the next automatic one is tried. */
  #retryCompactionFrom = 0;
  /** Set when the log could not be written or synced: the store refuses every change from then on. */
  #failure?: string;
  #lock?: StoreLock;
  readonly #options: Required<StoreOptions>;
  readonly #hooks: LogHooks = {
    written: () => {
      const first = this.#unwritten.findIndex((u) => !u.written);
      this.#unwritten.splice(0, first < 0 ? this.#unwritten.length : first);
    },
    failed: (error) => this.#rollBack(error),
  };

  private constructor(path: string, options: StoreOptions) {
    this.path = path;
    this.#options = {
      durability: 'write',
      compactMinBytes: 64 * 1024 * 1024,
      compactInWorkerFromBytes: 8 * 1024 * 1024,
      segmentMaxBytes: 64 * 1024 * 1024,
      readBufferBytes: 1024 * 1024,
      ...options,
    };
  }

  /** Opens (or creates) the store at `path`; `:memory:` keeps everything in memory only. */
  static async open(path: string, options: StoreOptions = {}): Promise<Store> {
    const store = new Store(path, options);
    if (path !== MEMORY) {
      // Folders it creates are the owner's only; one that exists already (say '.') is left as it is.
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      store.#lock = StoreLock.acquire(path);
      try {
        await store.#load();
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

  /** Each tenant's records of `collection` in insertion order, read in place: for scans that stop early (retention). */
  tenantsOf(collection: string): IterableIterator<[string, ReadonlyMap<string, StoredRecord>]> {
    return (this.#collections.get(collection) ?? new Map<string, Map<string, StoredRecord>>()).entries();
  }

  /** Every tenant's records, tenant by tenant (or `tenantId`'s only), without copying them; live, so a consistent view is one read within one turn. */
  *records(collection: string, tenantId?: string): Generator<StoredRecord> {
    const tenants = this.#collections.get(collection);
    if (tenantId !== undefined) yield* tenants?.get(tenantId)?.values() ?? [];
    else for (const records of tenants?.values() ?? []) yield* records.values();
  }

  /** The tenants that hold records of `collection` (live, like `records`). */
  tenantIds(collection: string): IterableIterator<string> {
    return (this.#collections.get(collection) ?? new Map<string, never>()).keys();
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

  /** Why the store refuses changes (its log could not be written or synced), or undefined while it is healthy. */
  get failure(): string | undefined {
    // A background fdatasync (durability 'write') can fail with no commit waiting on it.
    const log = this.#log?.failure;
    if (this.#failure === undefined && log !== undefined) this.#failure = logFailure(this.path, log);
    return this.#failure;
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
    if (!this.#log) {
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
    const log = this.#log;
    const written = log.append(lines, unwritten).catch((error: unknown) => {
      this.#failure ??= logFailure(this.path, error);
      throw this.#refusal();
    });
    if (log.bytes > this.#options.segmentMaxBytes && this.#sealing !== log) {
      this.#sealing = log;
      this.#roll().catch((error: unknown) => process.emitWarning(`card-sandbox: a new log segment for ${this.path} could not be begun: ${String(error)}`));
    }
    const logBytes = this.#sealedBytes + log.bytes;
    const entryChars = lines.reduce((n, line) => n + line.length, 0);
    if (logBytes > this.#compactThreshold() || (this.#snapshotBytes + logBytes > CLEAR_COMPACT_MIN_BYTES && this.#dropsMost(tx, entryChars, logBytes))) this.#compactInBackground();
    return written;
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
    for (const log of this.#logs) log.abandon(error);
  }

  /**
   * Whether a committed transaction left much less than the disk holds: a clear-all whose new state is
   * smaller than the rest of the files, or one that deleted more records than are left (a tenant's
   * deletion). Then a compaction gives the disk back.
   */
  #dropsMost(tx: Transaction, entryChars: number, logBytes: number): boolean {
    if (tx.clearsAll) return this.#snapshotBytes + logBytes - entryChars > entryChars;
    let deleted = 0;
    for (const change of tx.changes()) if (change.v === null) deleted++;
    if (deleted < DELETES_WORTH_A_COMPACTION) return false;
    let left = 0;
    for (const collection of this.#collections.keys()) left += this.count(collection);
    return deleted > left;
  }

  #compactThreshold(): number {
    return Math.max(this.#options.compactMinBytes, COMPACT_RATIO * this.#snapshotBytes);
  }

  #compactInBackground(): void {
    if (this.#compacting) return;
    const logBytes = this.#sealedBytes + (this.#log?.bytes ?? 0);
    if (logBytes < this.#retryCompactionFrom) return;
    this.compact().catch((error: unknown) => {
      // A failed compaction leaves the snapshot and every log segment as they were. The next one waits
      // for twice the log: retried at every commit, a lasting cause would seal a segment per commit.
      this.#retryCompactionFrom = 2 * logBytes;
      process.emitWarning(`card-sandbox: compaction of ${this.path} failed: ${String(error)}`);
    });
  }

  /** Waits for every acknowledged change to be on disk. */
  async flush(): Promise<void> {
    await Promise.allSettled([this.#opening, ...this.#closing]);
    await this.#compacting;
    await this.#log?.drain();
  }

  /** Writes a snapshot of the current state and drops the log segments it covers (one at a time: a call during a compaction gets that compaction's promise). */
  compact(): Promise<void> {
    if (!this.#log) return Promise.resolve();
    if (this.failure) return Promise.reject(this.#refusal());
    this.#compacting ??= this.#compact().finally(() => {
      this.#compacting = undefined;
    });
    return this.#compacting;
  }

  /** Waits for every change to be on disk, folds whatever log there is into the snapshot, and lets the store go. */
  async close(): Promise<void> {
    await this.flush();
    if (this.#log && this.#sealedBytes + this.#log.bytes > 0 && !this.failure) await this.compact();
    await this.#log?.close();
    if (this.#log) this.#logs.delete(this.#log);
    this.#log = undefined;
    this.#lock?.release();
    this.#lock = undefined;
  }

  /**
   * Seals the current segment and begins the next (one after the other): commits go to the new one as
   * soon as it is open. Resolves with the sealed segment once everything in it is written and it is closed.
   */
  #roll(): Promise<WriteAheadLog> {
    const opening: Promise<WriteAheadLog> = (this.#opening ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        const sealed = this.#log!;
        const next = await WriteAheadLog.open(this.path, sealed.number + 1, this.#options.durability, this.#hooks);
        this.#logs.add(next);
        this.#log = next;
        this.#sealedBytes += sealed.bytes;
        return sealed;
      })
      .finally(() => {
        if (this.#opening === opening) this.#opening = undefined;
      });
    this.#opening = opening;
    const closing = opening
      .then(async (sealed) => {
        try {
          await sealed.close();
        } catch (error) {
          this.#failure ??= logFailure(this.path, error);
          throw error;
        } finally {
          this.#logs.delete(sealed);
        }
        return sealed;
      })
      .finally(() => this.#closing.delete(closing));
    this.#closing.add(closing);
    return closing;
  }

  /**
   * Seals the log segment, and folds the snapshot and the sealed segments into a new snapshot, from the
   * files, in a worker thread once the store is large (serialising it would hold up requests for tens or
   * hundreds of ms); then drops the sealed segments. Commits go on meanwhile, to the next segment.
   */
  async #compact(): Promise<void> {
    const sealed = await this.#roll();
    // Segments sealed before it may still be taking their last writes.
    await Promise.allSettled([...this.#closing]);
    if (this.failure) throw this.#refusal();
    const segments = logSegments(this.path).filter((s) => segmentNumber(s) <= sealed.number);
    const bytes = this.#snapshotBytes + segments.reduce((n, s) => n + statSync(s).size, 0);
    const read = { bufferBytes: this.#options.readBufferBytes };
    const written = bytes >= this.#options.compactInWorkerFromBytes ? await compactInWorker(this.path, segments, read) : await compactFiles(this.path, segments, read);
    this.#snapshotBytes = written.bytes;
    // Unlinking a large file takes tens of ms: off the event loop.
    await Promise.all(segments.map((segment) => rm(segment, { force: true })));
    this.#sealedBytes = logSegments(this.path)
      .filter((s) => segmentNumber(s) < this.#log!.number)
      .reduce((n, s) => n + statSync(s).size, 0);
  }

  async #load(): Promise<void> {
    // A snapshot being written when the last run ended is of no use (the rename never happened).
    try {
      rmSync(`${this.path}.tmp`, { force: true });
    } catch {
      // Not a file: the compaction that finds it there fails, and leaves everything as it was.
    }
    const read = { bufferBytes: this.#options.readBufferBytes };
    const snapshot = readSnapshot(this.path, this.#collections, read);
    this.#seq = snapshot?.seq ?? 0;
    this.#snapshotBytes = snapshot?.bytes ?? 0;
    const segments = logSegments(this.path);
    let withLog = 0;
    for (const segment of segments) {
      const replayed = replaySegment(segment, this.#collections, this.#seq, { ...read, truncateTorn: true });
      this.#seq = replayed.seq;
      if (replayed.bytes > 0) {
        withLog++;
        this.#sealedBytes += replayed.bytes;
      } else {
        rmSync(segment, { force: true }); // empty, or zeros laid ahead of a log that never came
      }
    }
    const next = segments.length ? segmentNumber(segments.at(-1)!) + 1 : 1;
    // Earlier runs that ended without a compaction (a crash, a kill) leave their segments: fold them
    // now, before the store serves anything, so that they cannot pile up however soon the next kill
    // comes. Memory holds exactly the files' state here, so the snapshot is written from it.
    if (withLog > 1 || this.#sealedBytes > this.#compactThreshold()) {
      try {
        this.#snapshotBytes = await writeSnapshot(this.path, this.#seq, this.#collections);
        await Promise.all(segments.map((segment) => rm(segment, { force: true })));
        this.#sealedBytes = 0;
      } catch (error) {
        // The snapshot and the segments are as they were (or the snapshot covers segments still there).
        process.emitWarning(`card-sandbox: compaction of ${this.path} at start failed: ${String(error)}`);
      }
    }
    this.#log = await WriteAheadLog.open(this.path, next, this.#options.durability, this.#hooks);
    this.#logs.add(this.#log);
  }
}

function logFailure(path: string, error: unknown): string {
  return `${path}: the log could not be written or synced (${error instanceof Error ? error.message : String(error)})`;
}

function compactInWorker(path: string, segments: string[], read: { bufferBytes: number }): Promise<{ seq: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./compact-worker.mjs', import.meta.url), { workerData: { path, segments, read } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the compaction worker exited (${code}) without an answer`)));
  });
}
