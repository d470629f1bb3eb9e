/**
 * The store's write-ahead log: append-only segments `<db>.wal.<n>` (see Store; their lines and how they are read back: store-entries.mjs).
 */
import { closeSync, constants, fdatasync, fstatSync, ftruncateSync, openSync, readSync, write, writeSync } from 'node:fs';

export type Durability = 'fsync' | 'write';

/** Where the log tells the store what became of the entries it was given. */
export interface LogHooks {
  /** Every entry appended so far to this segment is written (its token marked). */
  written(): void;
  /** A write failed: nothing appended and not yet marked written is in the file. Called before any commit is rejected. */
  failed(error: unknown): void;
}

/** Handed to `append` with an entry; marked once the entry is in the file. */
export interface EntryToken {
  written: boolean;
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

/** A batch goes to the file in writes of about this many characters (a longer line in one write of its own). */
const WRITE_CHUNK_CHARS = 1024 * 1024;

/**
 * Append-only log segments `<db>.wal.<n>` (mode 0600), written with group commit: the commits of one
 * turn of the event loop are written together, with write(2) on the main thread once the turn's
 * callbacks have run (a page-cache write of a few KB costs less than a round trip through libuv's pool,
 * and the commit is then safe from a process kill at once). With 'write', that is the acknowledgement,
 * and a background fdatasync follows within BACKGROUND_SYNC_MS (and at close). With 'fsync', an
 * fdatasync follows on the pool as soon as fewer than MAX_SYNCS are running, and a sync acknowledges
 * every batch written before it began (fdatasync covers the whole file, so an acknowledged commit never
 * depends on a later one). A failed write cuts what the batch wrote off again (as far as the disk lets
 * it) and tells the store before any commit hears of it, so that the store can take the batch back out
 * of memory.
 *
 * With 'fsync' the segment is also zero-filled ahead of the log, a few MB at a time in the background,
 * and the log overwrites the zeros: an fdatasync after a write that does not grow the file has no
 * metadata to commit, which halves its latency and CPU on ext4. Replay stops at the first NUL;
 * `close()` cuts the zeros off.
 */
export class WriteAheadLog {
  /** Characters of log written to this segment (the zeros ahead of it not counted). */
  bytes = 0;
  #pending: string[] = [];
  #tokens: EntryToken[] = [];
  #waiters: Waiter[] = [];
  #scheduled = false;
  /** With 'fsync': batches written but not yet known to be on disk, oldest first, with where each ends. */
  #unsynced: Array<{ batch: number; waiters: Waiter[]; tokens: EntryToken[]; end: number }> = [];
  /** With 'fsync': where the log known to be on disk ends (a failed fdatasync cuts the file back to it). */
  #syncedEnd: number;
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
    readonly hooks: LogHooks,
    position: number,
  ) {
    this.#position = this.#allocated = this.#syncedEnd = position;
  }

  static async open(dbPath: string, number: number, durability: Durability, hooks: LogHooks): Promise<WriteAheadLog> {
    const path = `${dbPath}.wal.${number}`;
    // Positional writes (not O_APPEND), so that the log can overwrite the zeros ahead of it. A segment
    // is new when opened for writing; should one exist already, the log continues after its content.
    const fd = openSync(path, constants.O_RDWR | constants.O_CREAT, 0o600);
    const log = new WriteAheadLog(dbPath, number, fd, durability, hooks, contentEnd(fd));
    if (durability === 'fsync') await log.#fill();
    return log;
  }

  /** Appends the lines of one entry (each ending in a newline); resolves once they are durable. */
  append(lines: string[], token: EntryToken): Promise<void> {
    if (this.#closed) return Promise.reject(new Error(`${this.dbPath}: log segment ${this.number} is closed`));
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    for (const line of lines) {
      this.#pending.push(line);
      this.bytes += line.length;
    }
    this.#tokens.push(token);
    const done = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.#flush());
    }
    return done;
  }

  /** Refuses what is pending and everything later (another segment of the store failed). */
  abandon(error: unknown): void {
    this.#failure ??= error;
    const waiters = this.#waiters;
    this.#pending = [];
    this.#tokens = [];
    this.#waiters = [];
    for (const w of waiters) w.reject(error);
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
    if (this.#failure !== undefined) {
      // A sync failed meanwhile: what is pending is not written, and will not be.
      const failure = this.#failure;
      this.hooks.failed(failure);
      this.abandon(failure);
      return;
    }
    if (this.durability === 'fsync') {
      const bytes = this.#pending.reduce((n, line) => n + Buffer.byteLength(line), 0);
      if (this.#position + bytes > this.#allocated) {
        // The zeros have not kept up: write once the fill under way (or a new one) covers this batch.
        (this.#filling ?? this.#fill(this.#position + bytes)).then(
          () => this.#flush(),
          () => this.#flush(),
        );
        return;
      }
    }
    const pending = this.#pending;
    const tokens = this.#tokens;
    const waiters = this.#waiters;
    this.#pending = [];
    this.#tokens = [];
    this.#waiters = [];
    const start = this.#position;
    try {
      for (let from = 0; from < pending.length;) {
        let to = from + 1;
        for (let chars = pending[from]!.length; to < pending.length && chars + pending[to]!.length <= WRITE_CHUNK_CHARS; to++) chars += pending[to]!.length;
        const data = Buffer.from(to === from + 1 ? pending[from]! : pending.slice(from, to).join(''));
        for (let done = 0; done < data.length;) done += writeSync(this.fd, data, done, data.length - done, this.#position + done);
        this.#position += data.length;
        from = to;
      }
    } catch (error) {
      this.#failure ??= error;
      this.#position = start;
      try {
        // Whatever part of the batch reached the file must not come back at the next start.
        ftruncateSync(this.fd, start);
      } catch {
        // The disk refuses even that: the part written is a torn or unfinished tail, dropped at replay.
      }
      this.hooks.failed(error);
      for (const w of waiters) w.reject(error);
      return;
    }
    if (this.durability !== 'fsync') {
      for (const token of tokens) token.written = true;
      this.hooks.written();
      for (const w of waiters) w.resolve();
      this.#backgroundSync ??= setTimeout(() => {
        this.#backgroundSync = undefined;
        this.#written++;
        this.#sync();
      }, BACKGROUND_SYNC_MS).unref();
      return;
    }
    // With 'fsync' an entry counts as in the file (its token marked) only once it is synced.
    this.#unsynced.push({ batch: ++this.#written, waiters, tokens, end: this.#position });
    this.#sync();
    if (this.#allocated - this.#position < PREALLOCATE_LOW_WATER && !this.#filling) this.#fill().catch(() => undefined);
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
      for (let at = from; at < to;) {
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

  /**
   * Starts an fdatasync covering every batch written so far, unless one already covers them or too many
   * run. With 'fsync', a failed one refuses every batch not yet synced, including those written after it
   * began (the kernel may have dropped their pages, and a later fdatasync that succeeds would not say
   * otherwise): the file is cut back to what was synced, and the store takes them back out of memory.
   */
  #sync(): void {
    if (this.#syncs.size >= MAX_SYNCS || this.#syncRequested >= this.#written) return;
    const upTo = (this.#syncRequested = this.#written);
    const running: Promise<void> = datasync(this.fd)
      .then(
        () => {
          if (this.#failure !== undefined) return;
          let synced = false;
          while (this.#unsynced.length > 0 && this.#unsynced[0]!.batch <= upTo) {
            const batch = this.#unsynced.shift()!;
            for (const token of batch.tokens) token.written = true;
            this.#syncedEnd = batch.end;
            batch.waiters.forEach((w) => w.resolve());
            synced = true;
          }
          if (synced) this.hooks.written();
        },
        (error: unknown) => this.#syncFailed(error),
      )
      .finally(() => {
        this.#syncs.delete(running);
        this.#sync();
      });
    this.#syncs.add(running);
  }

  #syncFailed(error: unknown): void {
    this.#failure ??= error;
    const refused = this.#unsynced;
    this.#unsynced = [];
    if (refused.length > 0) {
      this.#position = this.#syncedEnd;
      try {
        ftruncateSync(this.fd, this.#syncedEnd);
        this.#allocated = this.#syncedEnd;
      } catch {
        // The disk refuses even that: a restart may replay what was refused here (never acknowledged).
      }
    }
    this.hooks.failed(error);
    for (const batch of refused) batch.waiters.forEach((w) => w.reject(error));
  }
}

/** Where the content of an existing segment ends: its size, or its first NUL (zeros laid ahead), found a buffer at a time. */
function contentEnd(fd: number): number {
  const size = fstatSync(fd).size;
  if (size === 0) return 0;
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  for (let at = 0; at < size;) {
    const read = readSync(fd, buffer, 0, buffer.length, at);
    if (read === 0) break;
    const nul = buffer.subarray(0, read).indexOf(0);
    if (nul >= 0) return at + nul;
    at += read;
  }
  return size;
}

function datasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));
}
