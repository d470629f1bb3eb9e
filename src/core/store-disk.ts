/**
 * The store's files (see Store): the log segment commits are appended to, the sealing of a segment and
 * the beginning of the next, compaction of the snapshot and the sealed segments into a new snapshot, and
 * the load at start. The store keeps the records in memory and decides what a commit is; this keeps them
 * on disk.
 *
 * A log segment is sealed once it passes `segmentMaxBytes`, and the next one begins. When the log
 * outgrows the last snapshot (and when the store asks: at close whenever there is log, and after a
 * clear-all or a mass delete that leaves much less than the disk holds), a new snapshot is written from
 * the store's own memory: at the moment the segment is sealed, the store hands over a view of its
 * records (an array of references per tenant; records are replaced by puts, never changed in place), which
 * holds exactly what the sealed segment and the earlier ones hold. No second copy of the store is built,
 * and the snapshot is written a chunk at a time, so requests go on between chunks. It is fsynced and
 * renamed into place, and the sealed segments are deleted. At start, when a crash or earlier runs left
 * more than one segment or a large log, the same is done from memory before the store serves anything.
 */
import { rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { logSegments, replaySegment, segmentNumber, type Collections, type StoredRecord } from './store-entries.mjs';
import { WriteAheadLog, type Durability, type EntryToken, type LogHooks } from './store-log.js';
import { readSnapshot, writeSnapshot } from './store-snapshot.mjs';

export interface StoreOptions {
  /**
   * `write` (default): a commit resolves once the OS has the bytes, which survives a kill of the process
   * at any moment; the log is fdatasync'd in the background at least every second, so a power cut or an
   * OS crash loses at most the last second. `fsync`: a commit resolves after fdatasync.
   */
  durability?: Durability;
  /** The log is folded into a new snapshot once it passes this many bytes and COMPACT_RATIO × the snapshot's size. */
  compactMinBytes?: number;
  /** A log segment is sealed, and the next one begun, once it passes this many bytes. */
  segmentMaxBytes?: number;
  /** Bytes read from a store file at a time (at start). */
  readBufferBytes?: number;
}

/** The store's records at one moment (collection → tenant → records in insertion order), and its seq then. */
export interface StoreView {
  seq: number;
  collections: Map<string, Map<string, StoredRecord[]>>;
}

/** Where the files tell the store what became of its writes, and ask it for its records. */
export interface DiskHooks {
  /** Handed to every log segment. */
  log: LogHooks;
  /** A sealed segment could not be closed: the store refuses every change from then on. */
  sealFailed(error: unknown): void;
  /** The error to refuse a compaction with once the store refuses changes; undefined while it is healthy. */
  refusal(): Error | undefined;
  /** The records as they are now (called between commits: every one applied is in a segment). */
  view(): StoreView;
}

/**
 * A compaction rewrites the whole store, so it waits until the log is this many times the last snapshot:
 * the bytes serialised for snapshots stay proportional to the bytes logged (about 1/ratio + the store's
 * growth per logged byte), while a restart replays at most this many snapshots' worth of log.
 */
const COMPACT_RATIO = 4;

export class StoreDisk {
  readonly #path: string;
  #log!: WriteAheadLog;
  /** Every segment open for writing: the current one, and one being sealed. */
  readonly #logs = new Set<WriteAheadLog>();
  #snapshotBytes = 0;
  /** Bytes of log in sealed segments that no snapshot covers yet. */
  #sealedBytes = 0;
  /** A new segment being opened, and sealed segments being closed. */
  #opening?: Promise<unknown>;
  readonly #closing = new Set<Promise<unknown>>();
  /** The segment a commit has asked to seal (once: commits go on to it until the next one is open). */
  #sealing?: WriteAheadLog;
  #compacting?: Promise<void>;
  /** After a failed compaction, the log size from which the next automatic one is tried. */
  #retryCompactionFrom = 0;
  readonly #options: Required<StoreOptions>;
  readonly #hooks: DiskHooks;

  private constructor(path: string, options: StoreOptions, hooks: DiskHooks) {
    this.#path = path;
    this.#options = {
      durability: 'write',
      compactMinBytes: 64 * 1024 * 1024,
      segmentMaxBytes: 64 * 1024 * 1024,
      readBufferBytes: 1024 * 1024,
      ...options,
    };
    this.#hooks = hooks;
  }

  /** Loads the store at `path` into `collections` and opens a new log segment; resolves with the last seq loaded. */
  static async open(path: string, options: StoreOptions, collections: Collections, hooks: DiskHooks): Promise<{ disk: StoreDisk; seq: number }> {
    const disk = new StoreDisk(path, options, hooks);
    const seq = await disk.#load(collections);
    return { disk, seq };
  }

  /** Why the current segment could not be written or synced (see WriteAheadLog#failure). */
  get failure(): unknown {
    return this.#log.failure;
  }

  get snapshotBytes(): number {
    return this.#snapshotBytes;
  }

  /** Bytes of log that no snapshot covers yet. */
  get logBytes(): number {
    return this.#sealedBytes + this.#log.bytes;
  }

  /** Appends an entry's lines to the current segment (see WriteAheadLog#append), and seals it once it is full. */
  append(lines: string[], token: EntryToken): Promise<void> {
    const log = this.#log;
    const written = log.append(lines, token);
    if (log.bytes > this.#options.segmentMaxBytes && this.#sealing !== log) {
      this.#sealing = log;
      this.#roll().catch((error: unknown) => process.emitWarning(`card-sandbox: a new log segment for ${this.#path} could not be begun: ${String(error)}`));
    }
    return written;
  }

  /** A write to the log failed: no segment takes another. */
  abandon(error: unknown): void {
    for (const log of this.#logs) log.abandon(error);
  }

  compactThreshold(): number {
    return Math.max(this.#options.compactMinBytes, COMPACT_RATIO * this.#snapshotBytes);
  }

  compactInBackground(): void {
    if (this.#compacting) return;
    const logBytes = this.logBytes;
    if (logBytes < this.#retryCompactionFrom) return;
    this.compact().catch((error: unknown) => {
      // A failed compaction leaves the snapshot and every log segment as they were. The next one waits
      // for twice the log: retried at every commit, a lasting cause would seal a segment per commit.
      this.#retryCompactionFrom = 2 * logBytes;
      process.emitWarning(`card-sandbox: compaction of ${this.#path} failed: ${String(error)}`);
    });
  }

  /** Waits for every acknowledged change to be on disk. */
  async flush(): Promise<void> {
    await Promise.allSettled([this.#opening, ...this.#closing]);
    await this.#compacting;
    await this.#log.drain();
  }

  /** Writes a snapshot and drops the log segments it covers (one at a time: a call during a compaction gets that compaction's promise). */
  compact(): Promise<void> {
    const refusal = this.#hooks.refusal();
    if (refusal) return Promise.reject(refusal);
    this.#compacting ??= this.#compact().finally(() => {
      this.#compacting = undefined;
    });
    return this.#compacting;
  }

  /** Closes the current segment (after `flush`). */
  async close(): Promise<void> {
    await this.#log.close();
    this.#logs.delete(this.#log);
  }

  /**
   * Seals the current segment and begins the next (one after the other): commits go to the new one as
   * soon as it is open. Resolves with the sealed segment once everything in it is written and it is closed;
   * `withView`: with the store's records as they were when the next segment took over, which are exactly
   * what this segment and the earlier ones hold.
   */
  #roll(withView = false): Promise<{ sealed: WriteAheadLog; view?: StoreView }> {
    const opening: Promise<{ sealed: WriteAheadLog; view?: StoreView }> = (this.#opening ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        const sealed = this.#log;
        const next = await WriteAheadLog.open(this.#path, sealed.number + 1, this.#options.durability, this.#hooks.log);
        this.#logs.add(next);
        this.#log = next;
        // In the same turn as the switch: every commit applied so far went to `sealed` or earlier, and every later one goes to `next`.
        const view = withView ? this.#hooks.view() : undefined;
        this.#sealedBytes += sealed.bytes;
        return { sealed, view };
      })
      .finally(() => {
        if (this.#opening === opening) this.#opening = undefined;
      });
    this.#opening = opening;
    const closing = opening
      .then(async (rolled) => {
        try {
          await rolled.sealed.close();
        } catch (error) {
          this.#hooks.sealFailed(error);
          throw error;
        } finally {
          this.#logs.delete(rolled.sealed);
        }
        return rolled;
      })
      .finally(() => this.#closing.delete(closing));
    this.#closing.add(closing);
    return closing;
  }

  /**
   * Seals the log segment and writes a new snapshot from the store's records as they were at that moment
   * (no second copy of the store: the view holds references to the records, 8 bytes each), then drops the
   * sealed segments. Commits go on meanwhile, to the next segment; the snapshot is written a chunk at a
   * time, and requests are served between chunks.
   */
  async #compact(): Promise<void> {
    const { sealed, view } = await this.#roll(true);
    // Segments sealed before it may still be taking their last writes.
    await Promise.allSettled([...this.#closing]);
    // An entry of the view whose write or sync failed: the store refuses changes, and the files stay as they are.
    const refusal = this.#hooks.refusal();
    if (refusal) throw refusal;
    const segments = logSegments(this.#path).filter((s) => segmentNumber(s) <= sealed.number);
    this.#snapshotBytes = await writeSnapshot(this.#path, view!.seq, view!.collections);
    // Unlinking a large file takes tens of ms: off the event loop.
    await Promise.all(segments.map((segment) => rm(segment, { force: true })));
    this.#sealedBytes = logSegments(this.#path)
      .filter((s) => segmentNumber(s) < this.#log.number)
      .reduce((n, s) => n + statSync(s).size, 0);
  }

  async #load(collections: Collections): Promise<number> {
    // A snapshot being written when the last run ended is of no use (the rename never happened).
    try {
      rmSync(`${this.#path}.tmp`, { force: true });
    } catch {
      // Not a file: the compaction that finds it there fails, and leaves everything as it was.
    }
    const read = { bufferBytes: this.#options.readBufferBytes };
    const snapshot = readSnapshot(this.#path, collections, read);
    let seq = snapshot?.seq ?? 0;
    this.#snapshotBytes = snapshot?.bytes ?? 0;
    const segments = logSegments(this.#path);
    let withLog = 0;
    for (const segment of segments) {
      const replayed = replaySegment(segment, collections, seq, { ...read, truncateTorn: true });
      seq = replayed.seq;
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
    if (withLog > 1 || this.#sealedBytes > this.compactThreshold()) {
      try {
        this.#snapshotBytes = await writeSnapshot(this.#path, seq, collections);
        await Promise.all(segments.map((segment) => rm(segment, { force: true })));
        this.#sealedBytes = 0;
      } catch (error) {
        // The snapshot and the segments are as they were (or the snapshot covers segments still there).
        process.emitWarning(`card-sandbox: compaction of ${this.#path} at start failed: ${String(error)}`);
      }
    }
    this.#log = await WriteAheadLog.open(this.#path, next, this.#options.durability, this.#hooks.log);
    this.#logs.add(this.#log);
    return seq;
  }
}
