/**
 * Tenant-scoped collections in memory, made durable by a write-ahead log and lowdb snapshots.
 *
 * Every change goes through a transaction: reads see the transaction's own writes, nothing touches the
 * shared maps until `commit`, and `commit` applies the change at once (so the next request sees it) and
 * resolves when the change is in the log: written, which survives a kill of the process (durability
 * 'write', the default), or synced as well ('fsync'). The commits of one event-loop turn go out in one
 * write (group commit). A commit appends only what changed, so its cost does not grow with the store;
 * when the log outgrows the last snapshot, the log moves to a new segment, and the old snapshot and the
 * sealed segments are folded into a new one from the files (in a worker thread once the store is large,
 * so that requests are not held up), fsynced and renamed into place, and read back at start by lowdb.
 * A crash at any moment leaves a snapshot that loads and a log whose torn tail, if any, is dropped.
 */
import { closeSync, constants, fdatasync, fstatSync, ftruncateSync, mkdirSync, openSync, readFileSync, rmSync, statSync, write, writeFileSync, writeSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SandboxError } from './errors.js';
import { applyEntry, compactFiles, logSegments, readSnapshot, replaySegment, segmentNumber, type Change, type LogEntry, type StoredRecord } from './store-files.mjs';

export type { StoredRecord };

type Tenants = Map<string, Map<string, StoredRecord>>;

export type Durability = 'fsync' | 'write';

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
}

const MEMORY = ':memory:';
/**
 * A compaction rewrites the whole store, so it waits until the log is this many times the last snapshot:
 * the bytes serialised for snapshots stay proportional to the bytes logged (about 1/ratio + the store's
 * growth per logged byte), while a restart replays at most this many snapshots' worth of log.
 */
const COMPACT_RATIO = 4;

export class Store {
  readonly path: string;
  #collections = new Map<string, Tenants>();
  #seq = 0;
  #log?: WriteAheadLog;
  #snapshotBytes = 0;
  #compacting?: Promise<void>;
  /** Set when the log could not be written or synced: memory may hold a change the files do not. */
  #failure?: string;
  #lock?: StoreLock;
  readonly #options: Required<StoreOptions>;

  private constructor(path: string, options: StoreOptions) {
    this.path = path;
    this.#options = { durability: 'write', compactMinBytes: 64 * 1024 * 1024, compactInWorkerFromBytes: 8 * 1024 * 1024, ...options };
  }

  /** Opens (or creates) the store at `path`; `:memory:` keeps everything in memory only. */
  static async open(path: string, options: StoreOptions = {}): Promise<Store> {
    const store = new Store(path, options);
    if (path !== MEMORY) {
      mkdirSync(dirname(path), { recursive: true });
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
   * acknowledged after that could depend on one the files never got.
   */
  commit(tx: Transaction): Promise<void> {
    const changes = tx.changes();
    if (changes.length === 0 && !tx.clearsAll) return Promise.resolve();
    if (this.failure) return Promise.reject(this.#refusal());
    const entry: LogEntry = { seq: ++this.#seq, changes };
    if (tx.clearsAll) entry.clear = true;
    this.#apply(entry);
    if (!this.#log) return Promise.resolve();
    const written = this.#log.append(JSON.stringify(entry) + '\n').catch((error: unknown) => {
      this.#failure ??= logFailure(this.path, error);
      throw this.#refusal();
    });
    if (this.#log.bytes > Math.max(this.#options.compactMinBytes, COMPACT_RATIO * this.#snapshotBytes)) {
      // A failed compaction leaves the snapshot and every log segment as they were; the next one retries.
      this.compact().catch((error: unknown) => process.emitWarning(`card-sandbox: compaction of ${this.path} failed: ${String(error)}`));
    }
    return written;
  }

  #refusal(): SandboxError {
    return new SandboxError('internal', { diagnostic: `${this.#failure}; the store refuses every change until the sandbox restarts` });
  }

  /** Waits for every acknowledged change to be on disk. */
  async flush(): Promise<void> {
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

  async close(): Promise<void> {
    await this.flush();
    if (this.#log && this.#log.bytes > 0 && !this.failure) await this.compact();
    await this.#log?.close();
    this.#log = undefined;
    this.#lock?.release();
    this.#lock = undefined;
  }

  #apply(entry: LogEntry): void {
    applyEntry(this.#collections, entry);
  }

  /**
   * Seals the log segment, and folds the snapshot and the sealed segments into a new snapshot, from the
   * files, in a worker thread once the store is large (serialising it would hold up requests for tens or
   * hundreds of ms); then drops the sealed segments. Commits go on meanwhile, to the next segment.
   */
  async #compact(): Promise<void> {
    const sealed = this.#log!;
    this.#log = await WriteAheadLog.open(this.path, sealed.number + 1, this.#options.durability);
    await sealed.close();
    const segments = logSegments(this.path).filter((s) => segmentNumber(s) <= sealed.number);
    const bytes = this.#snapshotBytes + segments.reduce((n, s) => n + statSync(s).size, 0);
    const written = bytes >= this.#options.compactInWorkerFromBytes ? await compactInWorker(this.path, segments) : await compactFiles(this.path, segments);
    this.#snapshotBytes = written.bytes;
    // Unlinking a large file takes tens of ms: off the event loop.
    await Promise.all(segments.map((segment) => rm(segment, { force: true })));
  }

  async #load(): Promise<void> {
    const snapshot = await readSnapshot(this.path, this.#collections);
    this.#seq = snapshot?.seq ?? 0;
    this.#snapshotBytes = snapshot?.bytes ?? 0;
    const segments = logSegments(this.path);
    for (const segment of segments) this.#seq = replaySegment(segment, this.#collections, this.#seq, { truncateTorn: true });
    const next = segments.length ? segmentNumber(segments.at(-1)!) + 1 : 1;
    this.#log = await WriteAheadLog.open(this.path, next, this.#options.durability);
  }
}

function logFailure(path: string, error: unknown): string {
  return `${path}: the log could not be written or synced (${error instanceof Error ? error.message : String(error)})`;
}

/** Another live process has the store open: two writers would interleave their logs. */
export class StoreInUseError extends Error {
  readonly code = 'ESTOREINUSE';
  constructor(
    readonly path: string,
    readonly pid: number,
  ) {
    super(`${path} is in use by process ${pid}: stop that sandbox, or give this one another --db (SANDBOX_DB). If process ${pid} is not a sandbox, delete ${path}.lock`);
  }
}

/**
 * `<db>.lock` holds the pid of the process that has the store open. A lock whose process is gone (a
 * crash, kill -9) is taken over, and so is one with this process's own pid (a container's sandbox is
 * always pid 1; tests reopen a store they never closed, as after a crash).
 */
class StoreLock {
  private constructor(readonly file: string) {}

  static acquire(dbPath: string): StoreLock {
    const file = `${dbPath}.lock`;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
        return new StoreLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) throw new StoreInUseError(dbPath, holder);
      rmSync(file, { force: true });
    }
    throw new Error(`${dbPath}: could not take ${file}`);
  }

  release(): void {
    try {
      if (Number.parseInt(readFileSync(this.file, 'utf8'), 10) === process.pid) rmSync(this.file, { force: true });
    } catch {
      // Already gone.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function compactInWorker(path: string, segments: string[]): Promise<{ seq: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./compact-worker.mjs', import.meta.url), { workerData: { path, segments } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the compaction worker exited (${code}) without an answer`)));
  });
}

/** A unit of change: reads see its own writes; nothing is shared until the store commits it. */
export class Transaction {
  readonly #store: Store;
  readonly #writes = new Map<string, Change>();
  #clearsAll = false;

  constructor(store: Store) {
    this.#store = store;
  }

  get clearsAll(): boolean {
    return this.#clearsAll;
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

type Waiter = { resolve: () => void; reject: (e: unknown) => void };

/** fdatasyncs in flight at once (each on libuv's pool). */
const MAX_SYNCS = 1;

/** With 'write': how long written log may wait for its background fdatasync. */
const BACKGROUND_SYNC_MS = 1000;

/** With 'fsync': bytes of zeros written (and synced) ahead of the log at a time, and how close the log may come before the next. */
const PREALLOCATE_BYTES = 4 * 1024 * 1024;
const PREALLOCATE_LOW_WATER = 2 * 1024 * 1024;
let zeros: Buffer | undefined;

/**
 * Append-only log segments `<db>.wal.<n>`, written with group commit: the commits of one turn of the
 * event loop are written together, with one write(2) on the main thread once the turn's callbacks have
 * run (a page-cache write of a few KB costs less than a round trip through libuv's pool, and the commit
 * is then safe from a process kill at once). With 'write', that is the acknowledgement, and a background
 * fdatasync follows within BACKGROUND_SYNC_MS (and at close). With 'fsync', an
 * fdatasync follows on the pool as soon as fewer than MAX_SYNCS are running, and a sync acknowledges
 * every batch written before it began (fdatasync covers the whole file, so an acknowledged commit never
 * depends on a later one).
 *
 * With 'fsync' the segment is also zero-filled ahead of the log, a few MB at a time in the background,
 * and the log overwrites the zeros: an fdatasync after a write that does not grow the file has no
 * metadata to commit, which halves its latency and CPU on ext4. Replay stops at the first NUL;
 * `close()` cuts the zeros off.
 */
class WriteAheadLog {
  /** Characters of log written to this segment (the zeros ahead of it not counted). */
  bytes = 0;
  #pending: string[] = [];
  #waiters: Waiter[] = [];
  #scheduled = false;
  /** Batches written but not yet known to be on disk, oldest first. */
  #unsynced: Array<{ batch: number; waiters: Waiter[] }> = [];
  #written = 0;
  #syncRequested = 0;
  readonly #syncs = new Set<Promise<void>>();
  /** Where the next batch goes, and how far the file is zero-filled (and synced). */
  #position: number;
  #allocated: number;
  #filling?: Promise<void>;
  #closed = false;
  #backgroundSync?: NodeJS.Timeout;
  /** A write or sync that failed: the log takes nothing more (see Store#commit). */
  #failure?: unknown;

  get failure(): unknown {
    return this.#failure;
  }

  private constructor(
    readonly dbPath: string,
    readonly number: number,
    readonly fd: number,
    readonly durability: Durability,
    position: number,
  ) {
    this.#position = this.#allocated = position;
  }

  static async open(dbPath: string, number: number, durability: Durability): Promise<WriteAheadLog> {
    const path = `${dbPath}.wal.${number}`;
    // Positional writes (not O_APPEND), so that the log can overwrite the zeros ahead of it. A segment
    // is new when opened for writing; should one exist already, the log continues after its content.
    const fd = openSync(path, constants.O_RDWR | constants.O_CREAT, 0o644);
    const existing = fstatSync(fd).size > 0 ? readFileSync(path) : Buffer.alloc(0);
    const zeros = existing.indexOf(0);
    const end = zeros >= 0 ? zeros : existing.length;
    const log = new WriteAheadLog(dbPath, number, fd, durability, end);
    if (durability === 'fsync') await log.#fill();
    return log;
  }

  append(line: string): Promise<void> {
    if (this.#closed) return Promise.reject(new Error(`${this.dbPath}: log segment ${this.number} is closed`));
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    this.#pending.push(line);
    this.bytes += line.length;
    const done = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.#flush());
    }
    return done;
  }

  /** Writes what is pending now and waits for every sync. */
  async drain(): Promise<void> {
    this.#flush();
    while (this.#syncs.size > 0 || this.#filling || this.#pending.length > 0) {
      await Promise.all([this.#filling, ...this.#syncs]);
      this.#flush();
    }
  }

  /** Waits for every write and sync, cuts off the zeros ahead of the log, and closes the file. */
  async close(): Promise<void> {
    await this.drain();
    if (this.#backgroundSync) {
      clearTimeout(this.#backgroundSync);
      this.#backgroundSync = undefined;
      await datasync(this.fd);
    }
    this.#closed = true;
    try {
      if (this.#allocated > this.#position) ftruncateSync(this.fd, this.#position);
    } finally {
      closeSync(this.fd);
    }
  }

  #flush(): void {
    this.#scheduled = false;
    if (this.#pending.length === 0) return;
    const data = Buffer.from(this.#pending.length === 1 ? this.#pending[0]! : this.#pending.join(''));
    if (this.durability === 'fsync' && this.#position + data.length > this.#allocated) {
      // The zeros have not kept up: write once the fill under way (or a new one) covers this batch.
      void (this.#filling ?? this.#fill(this.#position + data.length)).then(() => this.#flush());
      return;
    }
    const waiters = this.#waiters;
    this.#pending = [];
    this.#waiters = [];
    try {
      for (let done = 0; done < data.length; ) done += writeSync(this.fd, data, done, data.length - done, this.#position + done);
      this.#position += data.length;
    } catch (error) {
      this.#failure ??= error;
      for (const w of waiters) w.reject(error);
      return;
    }
    if (this.durability !== 'fsync') {
      for (const w of waiters) w.resolve();
      this.#backgroundSync ??= setTimeout(() => {
        this.#backgroundSync = undefined;
        this.#written++;
        this.#sync();
      }, BACKGROUND_SYNC_MS).unref();
      return;
    }
    this.#unsynced.push({ batch: ++this.#written, waiters });
    this.#sync();
    if (this.#allocated - this.#position < PREALLOCATE_LOW_WATER && !this.#filling) void this.#fill();
  }

  /**
   * Zero-fills the file beyond where the zeros end (to `upTo` + PREALLOCATE_BYTES) and syncs it, on
   * libuv's pool. The log never writes there until this is done, so the two never overlap. A failed fill
   * leaves the log to grow the file itself (still correct, only slower to sync). Never rejects.
   */
  #fill(upTo = this.#position): Promise<void> {
    const from = this.#allocated;
    const to = Math.max(upTo, from) + PREALLOCATE_BYTES;
    zeros ??= Buffer.alloc(PREALLOCATE_BYTES);
    const fd = this.fd;
    const filling = (async () => {
      for (let at = from; at < to; ) {
        const { bytesWritten } = await new Promise<{ bytesWritten: number }>((resolve, reject) =>
          write(fd, zeros!, 0, Math.min(zeros!.length, to - at), at, (error, bytesWritten) => (error ? reject(error) : resolve({ bytesWritten }))),
        );
        at += bytesWritten;
      }
      await datasync(fd);
      this.#allocated = to;
    })()
      .catch(() => {
        // Let the log extend the file as it writes (fdatasync then commits the size too).
        this.#allocated = Number.MAX_SAFE_INTEGER;
      })
      .finally(() => {
        this.#filling = undefined;
      });
    this.#filling = filling;
    return filling;
  }

  /** Starts an fdatasync covering every batch written so far, unless one already covers them or too many run. */
  #sync(): void {
    if (this.#syncs.size >= MAX_SYNCS || this.#syncRequested >= this.#written) return;
    const upTo = (this.#syncRequested = this.#written);
    const settle = (outcome: (w: Waiter) => void) => {
      while (this.#unsynced.length > 0 && this.#unsynced[0]!.batch <= upTo) this.#unsynced.shift()!.waiters.forEach(outcome);
    };
    const running: Promise<void> = datasync(this.fd)
      .then(
        () => settle((w) => w.resolve()),
        (error: unknown) => {
          // After a failed fdatasync the kernel may have dropped the pages it could not write.
          this.#failure ??= error;
          settle((w) => w.reject(error));
        },
      )
      .finally(() => {
        this.#syncs.delete(running);
        this.#sync();
      });
    this.#syncs.add(running);
  }
}

function datasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));
}
