/**
 * Tenant-scoped collections in memory, made durable by a write-ahead log and lowdb snapshots.
 *
 * Every change goes through a transaction: reads see the transaction's own writes, nothing touches the
 * shared maps until `commit`, and `commit` applies the change at once (so the next request sees it) and
 * resolves when the change is on disk. Concurrent commits are batched into one append (group commit).
 * A commit appends only what changed, so its cost does not grow with the store; when the log outgrows the
 * last snapshot, a new snapshot replaces the old log segments: written a chunk at a time (so a large
 * store does not stall requests), fsynced and renamed into place, and read back at start by lowdb.
 * A crash at any moment leaves a snapshot that loads and a log whose torn tail, if any, is dropped.
 */
import { closeSync, constants, fdatasync, fstatSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, write, writeSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';

export interface StoredRecord {
  id: string;
  tenantId: string;
}

type Tenants = Map<string, Map<string, StoredRecord>>;

/**
 * One change in a log entry: a put carries the record (whose `tenantId` and `id` say where it goes), a
 * delete says where. Log lines written before this shape also carried `t` and `id` on puts; they replay
 * the same way.
 */
type Change = { c: string; v: StoredRecord; t?: never; id?: never } | { c: string; t: string; id: string; v: null };

interface LogEntry {
  seq: number;
  clear?: true;
  changes: Change[];
}

/**
 * Format 2 keeps each tenant's records as an array, in insertion order. Format 1 (still read) kept them
 * in an object keyed by id, where JSON.parse puts integer-like ids first, so "newest first" lists could
 * change order across a restart.
 */
type Snapshot =
  | { format: 'card-sandbox/2'; seq: number; collections: Record<string, Record<string, StoredRecord[]>> }
  | { format: 'card-sandbox/1'; seq: number; collections: Record<string, Record<string, Record<string, StoredRecord>>> };

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
  readonly #options: Required<StoreOptions>;

  private constructor(path: string, options: StoreOptions) {
    this.path = path;
    this.#options = { durability: 'write', compactMinBytes: 64 * 1024 * 1024, ...options };
  }

  /** Opens (or creates) the store at `path`; `:memory:` keeps everything in memory only. */
  static async open(path: string, options: StoreOptions = {}): Promise<Store> {
    const store = new Store(path, options);
    if (path !== MEMORY) await store.#load();
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
    for (const records of this.#collections.get(collection)?.values() ?? []) out.push(...records.values());
    return out;
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

  /** Applies the transaction now and resolves once it is durable. */
  commit(tx: Transaction): Promise<void> {
    const changes = tx.changes();
    if (changes.length === 0 && !tx.clearsAll) return Promise.resolve();
    const entry: LogEntry = { seq: ++this.#seq, changes };
    if (tx.clearsAll) entry.clear = true;
    this.#apply(entry);
    if (!this.#log) return Promise.resolve();
    const written = this.#log.append(JSON.stringify(entry) + '\n');
    if (this.#log.bytes > Math.max(this.#options.compactMinBytes, COMPACT_RATIO * this.#snapshotBytes)) void this.compact();
    return written;
  }

  /** Waits for every acknowledged change to be on disk. */
  async flush(): Promise<void> {
    await this.#compacting;
    await this.#log?.drain();
  }

  /** Writes a snapshot of the current state and drops the log segments it covers. */
  async compact(): Promise<void> {
    if (!this.#log) return;
    if (this.#compacting) return this.#compacting;
    this.#compacting = this.#compact().finally(() => {
      this.#compacting = undefined;
    });
    return this.#compacting;
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.#log && this.#log.bytes > 0) await this.compact();
    await this.#log?.close();
    this.#log = undefined;
  }

  #apply(entry: LogEntry): void {
    if (entry.clear) this.#collections.clear();
    for (const change of entry.changes) {
      const v = change.v;
      const t = v === null ? change.t : v.tenantId;
      let tenants = this.#collections.get(change.c);
      if (!tenants) this.#collections.set(change.c, (tenants = new Map()));
      let records = tenants.get(t);
      if (!records) tenants.set(t, (records = new Map()));
      if (v === null) records.delete(change.id);
      else records.set(v.id, v);
    }
  }

  async #compact(): Promise<void> {
    const sealed = this.#log!;
    // Later commits go to a new segment; the view below, taken synchronously after the switch, covers
    // everything in the sealed ones, which are removed once the snapshot is on disk.
    this.#log = await WriteAheadLog.open(this.path, sealed.number + 1, this.#options.durability);
    await writeSnapshot(this.path, this.#seq, this.#view());
    this.#snapshotBytes = statSync(this.path).size;
    await sealed.close();
    for (const segment of WriteAheadLog.segments(this.path)) {
      if (WriteAheadLog.segmentNumber(segment) <= sealed.number) rmSync(segment, { force: true });
    }
  }

  /**
   * A point-in-time view of every record, cheap to take: records are never changed in place (a
   * transaction puts new objects), so holding the current objects freezes the state while it is written.
   */
  #view(): SnapshotView {
    const view: SnapshotView = [];
    for (const [c, tenants] of this.#collections) {
      view.push([c, [...tenants].map(([t, records]) => [t, [...records.values()]] as [string, StoredRecord[]])]);
    }
    return view;
  }

  async #load(): Promise<void> {
    mkdirSync(dirname(this.path), { recursive: true });
    const db = new Low<Snapshot | null>(snapshotFile<Snapshot | null>(this.path), null);
    await db.read();
    const snapshot = db.data;
    if (snapshot) {
      if (snapshot.format !== 'card-sandbox/2' && snapshot.format !== 'card-sandbox/1') throw new Error(`${this.path}: not a card-sandbox store`);
      this.#seq = snapshot.seq;
      for (const [c, byTenant] of Object.entries(snapshot.collections)) {
        const tenants: Tenants = new Map();
        for (const [t, records] of Object.entries(byTenant as Record<string, StoredRecord[] | Record<string, StoredRecord>>)) {
          const list = Array.isArray(records) ? records : Object.values(records);
          tenants.set(t, new Map(list.map((r) => [r.id, r])));
        }
        this.#collections.set(c, tenants);
      }
      this.#snapshotBytes = statSync(this.path).size;
    }
    const segments = WriteAheadLog.segments(this.path);
    for (const segment of segments) this.#replay(segment);
    const next = segments.length ? WriteAheadLog.segmentNumber(segments.at(-1)!) + 1 : 1;
    this.#log = await WriteAheadLog.open(this.path, next, this.#options.durability);
  }

  #replay(segment: string): void {
    let text = readFileSync(segment, 'utf8');
    // A segment is zero-filled ahead of its writes (see WriteAheadLog): the log ends at the first NUL.
    const end = text.indexOf('\0');
    if (end >= 0) text = text.slice(0, end);
    let offset = 0;
    for (const line of text.split('\n')) {
      const end = offset + Buffer.byteLength(line) + 1;
      if (line.length > 0) {
        let entry: LogEntry;
        try {
          entry = JSON.parse(line) as LogEntry;
        } catch {
          // A torn last line is a write that was never acknowledged: drop it and everything after it.
          truncateSync(segment, offset);
          return;
        }
        if (entry.seq > this.#seq) {
          this.#apply(entry);
          this.#seq = entry.seq;
        }
      }
      offset = end;
    }
  }
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

/** lowdb's file adapter, reading the snapshot that writeSnapshot writes (compact JSON). */
function snapshotFile<T>(path: string): DataFile<T> {
  return new DataFile<T>(path, { parse: (text) => JSON.parse(text) as T, stringify: (data) => JSON.stringify(data) });
}

type SnapshotView = Array<[collection: string, tenants: Array<[tenantId: string, records: StoredRecord[]]>]>;

const SNAPSHOT_CHUNK = 1000;

/**
 * Writes a snapshot in the file format lowdb reads back (one JSON document), a chunk of records at a
 * time with the event loop free in between, so a large store does not stall requests while it is
 * written. Temp file, fsync, rename, fsync of the folder: a crash leaves the old snapshot or the new one.
 */
async function writeSnapshot(path: string, seq: number, view: SnapshotView): Promise<void> {
  const temp = `${path}.tmp`;
  const file = await open(temp, 'w');
  try {
    await file.write(`{"format":"card-sandbox/2","seq":${seq},"collections":{`);
    for (const [ci, [collection, tenants]] of view.entries()) {
      await file.write(`${ci ? ',' : ''}${JSON.stringify(collection)}:{`);
      for (const [ti, [tenantId, records]] of tenants.entries()) {
        await file.write(`${ti ? ',' : ''}${JSON.stringify(tenantId)}:[`);
        for (let i = 0; i < records.length; i += SNAPSHOT_CHUNK) {
          const chunk = records.slice(i, i + SNAPSHOT_CHUNK).map((r) => JSON.stringify(r));
          await file.write(`${i ? ',' : ''}${chunk.join(',')}`);
        }
        await file.write(']');
      }
      await file.write('}');
    }
    await file.write('}}');
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, path);
  await syncPath(dirname(path));
}

async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
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
    const existing = fstatSync(fd).size > 0 ? readFileSync(path) : undefined;
    const end = existing ? (existing.indexOf(0) >= 0 ? existing.indexOf(0) : existing.length) : 0;
    const log = new WriteAheadLog(dbPath, number, fd, durability, end);
    if (durability === 'fsync') await log.#fill();
    return log;
  }

  static segments(dbPath: string): string[] {
    const dir = dirname(dbPath);
    const prefix = `${basename(dbPath)}.wal.`;
    return readdirSync(dir)
      .filter((f) => f.startsWith(prefix) && /^\d+$/.test(f.slice(prefix.length)))
      .map((f) => join(dir, f))
      .sort((a, b) => WriteAheadLog.segmentNumber(a) - WriteAheadLog.segmentNumber(b));
  }

  static segmentNumber(path: string): number {
    return Number(path.slice(path.lastIndexOf('.') + 1));
  }

  append(line: string): Promise<void> {
    if (this.#closed) return Promise.reject(new Error(`${this.dbPath}: log segment ${this.number} is closed`));
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
        (error: unknown) => settle((w) => w.reject(error)),
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
