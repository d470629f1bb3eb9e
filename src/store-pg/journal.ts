/**
 * The request journal on the PostgreSQL store (docs/design/shared-store.md §5.6): one `journal` table
 * for every replica on the database, so that each replica lists and tails every replica's requests.
 *
 * - Writes: a finished request goes to a buffer in memory (nothing waits for the database on the request
 *   path); the buffer is rendered (masked: no secret reaches the database) and written in one multi-row
 *   INSERT once it holds BATCH entries or its oldest has waited `flushMs`.
 * - Order: each INSERT takes the `journal` advisory lock before its rows draw their `seq`, and holds it
 *   to COMMIT, so rows become visible in `seq` order: a reader that has seen `seq` n has seen every row
 *   below it. That makes `seq` the one order of every replica's entries, the listing's order and the
 *   stream's event id (a Last-Event-ID given to any replica means the same entry).
 * - Reads: GET /__sandbox/requests writes this replica's buffer first (a client sees its own requests),
 *   then reads the table newest first, by pages; the filters are the in-memory journal's.
 * - Tails: while any is open, the table is read after each own write and every `pollMs`, from the
 *   lowest `seq` a tail has had, so other replicas' entries arrive within `pollMs` of their write.
 * - Bounds: a listing shows only the newest `maxEntries` rows; each replica deletes the older ones after
 *   every `maxEntries / 10` entries it writes.
 * - The database down: a vendor request never fails or waits for the journal. Entries stay in the buffer
 *   and are written, in order, once the database answers again. The buffer holds at most `maxEntries`
 *   (what the table would keep of them, and what the in-memory journal holds anyway): past it the oldest
 *   go, as in the ring buffer, counted, and the count is logged as a warning when the database is back
 *   (or at close). Buffering rather than dropping at once, because an outage is usually short and the
 *   journal is what a developer reads to see what happened during it; bounded, because memory must not
 *   grow with the outage. A listing or clear answers with the internal error while it cannot reach the
 *   database; an open tail stays open and catches up after.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Clock } from '../core/clock.js';
import { beginTrace, type Journal, type JournalOptions, type Mentions, type RequestTrace, type TailHandlers } from '../core/journal.js';
import { entryMatches, JournalView, recordOf, type JournalFilter, type JournalRecord } from '../core/journal-render.js';
import type { VendorModule } from '../core/vendor.js';
import type { JournalEntry } from '../core/wire-types.js';
import { unavailable } from './pg-store.js';
import { createPool } from './pool.js';

export interface PgJournalOptions extends JournalOptions {
  /** Longest an entry waits in the buffer before it is written, in ms (default 10). */
  flushMs?: number;
  /** How often open tails read the table for other replicas' entries, in ms (default 100). */
  pollMs?: number;
  /** Entries kept while the database cannot be written; past it the oldest are dropped (default maxEntries, what the table keeps). */
  maxBuffered?: number;
}

/** Entries that make the buffer be written at once. */
const BATCH = 100;
/** Rows per INSERT statement (a write after an outage has up to maxEntries). */
const INSERT_ROWS = 1000;
/** Rows per read of a listing or a tail. */
const PAGE = 500;
/** A failed write is tried again after this long (ms). */
const RETRY_MS = 1000;
const JOURNAL_LOCK = 'card-sandbox:journal';

/** The entries come as one JSON array ($3), each element's text kept as written; their times as an array ($1) in the same order. */
const ROWS = `unnest($1::bigint[]) WITH ORDINALITY AS u(a, n) JOIN json_array_elements($3::json) WITH ORDINALITY AS j(e, m) ON j.m = u.n`;
const INSERT = `INSERT INTO journal (at, replica, entry) SELECT u.a, $2, j.e FROM ${ROWS} ORDER BY u.n`;
/**
 * A write of up to INSERT_ROWS entries as one statement, so one round trip: the lock is taken (the
 * materialized CTE's one row, which the join reads before any row reaches the INSERT, so before any
 * `seq` is drawn) and held until the statement's own commit.
 */
const INSERT_LOCKED = `WITH l AS MATERIALIZED (SELECT pg_advisory_xact_lock(hashtextextended('${JOURNAL_LOCK}', 0)))
  INSERT INTO journal (at, replica, entry) SELECT u.a, $2, j.e FROM l, ${ROWS} ORDER BY u.n`;
/** The `seq` of the oldest row kept (the maxEntries-th newest), or 0 when the table holds fewer. */
const FLOOR = 'SELECT coalesce((SELECT seq FROM journal ORDER BY seq DESC OFFSET $1 LIMIT 1), 0) AS floor, coalesce((SELECT max(seq) FROM journal), 0) AS head';
/**
 * Deletes the rows below the oldest kept, from `$2` up (the floor of this replica's last trim: below it
 * every row was deleted then, since rows become visible in `seq` order), and answers the new floor (no
 * row while the table holds fewer). Without the lower bound each trim walks the index over every row
 * deleted since the table was last vacuumed: 2.7 ms a trim under a deposit load, against 0.6 ms.
 */
const TRIM = `WITH f AS (SELECT seq FROM journal ORDER BY seq DESC OFFSET $1 LIMIT 1),
  d AS (DELETE FROM journal WHERE seq >= $2 AND seq < (SELECT seq FROM f))
  SELECT seq AS floor FROM f`;
const AFTER = 'SELECT seq, entry FROM journal WHERE seq > $1 ORDER BY seq LIMIT $2';

interface Tail {
  filter: JournalFilter;
  handlers: TailHandlers;
  /** The last `seq` it has had; undefined until the journal knows where it starts. */
  cursor?: number;
  /** Its own start has run (what was recorded before it is written), so a read of the table's end may start it. */
  startable: boolean;
}

export class PgJournal implements Journal {
  /** This process, as written in each row's `replica`. */
  readonly replica = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  readonly #pool: pg.Pool;
  readonly #view: JournalView;
  readonly #log: Logger;
  readonly #flushMs: number;
  readonly #pollMs: number;
  readonly #maxBuffered: number;
  #buffer: JournalRecord[] = [];
  /** The entries of the write in progress. */
  #writing: JournalRecord[] = [];
  #flushTimer: NodeJS.Timeout | undefined;
  #flushDelay = 0;
  /** Writes and tail reads, one at a time and in order: a tail's start is read before any write of an entry recorded after it opened. */
  #chain: Promise<void> = Promise.resolve();
  #writtenSinceTrim = 0;
  /** Every row below this `seq` was deleted by this replica's last trim (TRIM). */
  #trimmedBelow = '0';
  /** Entries recorded by this replica. */
  #recorded = 0;
  #dropped = 0;
  #failing: string | undefined;
  readonly #tails = new Set<Tail>();
  #pollTimer: NodeJS.Timeout | undefined;
  #pollQueued = false;
  #closed = false;

  constructor(
    pool: pg.Pool,
    vendors: readonly VendorModule[],
    readonly clock: Clock,
    log: Logger,
    readonly options: PgJournalOptions,
  ) {
    this.#pool = pool;
    this.#view = new JournalView(vendors);
    this.#log = log;
    this.#flushMs = options.flushMs ?? 10;
    this.#pollMs = options.pollMs ?? 100;
    this.#maxBuffered = options.maxBuffered ?? options.maxEntries;
  }

  /** A journal on the database at `url` (already migrated by the store), with a small pool of its own. */
  static open(url: string, vendors: readonly VendorModule[], clock: Clock, log: Logger, options: PgJournalOptions): PgJournal {
    return new PgJournal(createPool(url, { size: 3 }), vendors, clock, log, options);
  }

  /** Entries dropped because the database could not be written for too long. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Entries not yet in the database (waiting, or being written). */
  get buffered(): number {
    return this.#writing.length + this.#buffer.length;
  }

  begin(req: RequestTrace['req'], res: ServerResponse, vendor: string, operation: string | null): RequestTrace {
    return beginTrace(this, req, res, vendor, operation);
  }

  record(trace: RequestTrace, status: number | null, text: string | null): void {
    if (this.options.maxEntries === 0 || this.#closed) return;
    // Its `seq` is this replica's count until the table gives it one: a write takes the entries up to a mark.
    this.#buffer.push(recordOf(++this.#recorded, trace, status, text, this.options.maxBodyBytes));
    this.#bound();
    // While the database is failing, the retry's timer writes the buffer.
    if (this.#failing === undefined) this.#scheduleFlush(this.#buffer.length >= BATCH ? 0 : this.#flushMs);
  }

  /** Writes what this replica has recorded so far; rejects with the internal error if the database cannot take it. */
  flush(): Promise<void> {
    const mark = this.#recorded;
    return this.#enqueue(() => this.#write(mark));
  }

  async *entries(filter: JournalFilter = {}): AsyncGenerator<JournalEntry> {
    await this.flush();
    let left = filter.limit ?? Infinity;
    if (this.options.maxEntries === 0 || left <= 0) return;
    // The newest maxEntries rows as of the first read: later pages go on below it.
    const first = await this.#query<{ floor: string; head: string }>(FLOOR, [this.options.maxEntries - 1]);
    const floor = Number(first.rows[0]!.floor);
    let cursor = Number(first.rows[0]!.head) + 1;
    const { where, params } = sqlFilter(filter);
    while (left > 0) {
      const n = Math.min(PAGE, left);
      const { rows } = await this.#query<{ seq: string; entry: JournalEntry }>(
        `SELECT seq, entry FROM journal WHERE seq >= $1 AND seq < $2${where} ORDER BY seq DESC LIMIT $3`,
        [floor, cursor, n, ...params],
      );
      for (const row of rows) yield row.entry;
      left -= rows.length;
      if (rows.length < n) return;
      cursor = Number(rows.at(-1)!.seq);
    }
  }

  tail(filter: JournalFilter, handlers: TailHandlers): () => void {
    const tail: Tail = { filter, handlers, startable: false };
    this.#tails.add(tail);
    this.#pollTimer ??= setInterval(() => this.#queuePoll(), this.#pollMs).unref();
    // What this replica recorded before the tail opened goes to the table first, so that the tail's start
    // (the table's end, read next) is after it, and what is recorded from now on is after the start.
    const mark = this.#recorded;
    void this.#enqueue(async () => {
      await this.#write(mark).catch(() => undefined);
      tail.startable = true;
      await this.#poll();
    }).catch((error: unknown) => this.#log.debug({ err: error }, 'journal: a tail could not read the database; it tries again'));
    return () => {
      this.#tails.delete(tail);
      if (this.#tails.size === 0) this.#stopPolling();
    };
  }

  get tails(): number {
    return this.#tails.size;
  }

  endTails(): void {
    const tails = [...this.#tails];
    this.#tails.clear();
    this.#stopPolling();
    for (const tail of tails) tail.handlers.end();
  }

  async clear(): Promise<number> {
    await this.flush();
    return this.#enqueue(async () => {
      const { rowCount } = await this.#query('DELETE FROM journal');
      this.#writtenSinceTrim = 0;
      return Math.min(rowCount ?? 0, this.options.maxEntries);
    });
  }

  /** The table keeps entries as shown (masked): a body is matched as its JSON text, or as the text it was cut to. */
  async cardRequests(vendor: string, tenantId: string, mentions: Mentions): Promise<Array<{ seq: number; entry: JournalEntry }>> {
    const found: JournalEntry[] = [];
    const text = (body: unknown): [string | null, number | null] =>
      body === null ? [null, null] : typeof body === 'string' ? [body, 0] : [JSON.stringify(body), null];
    for await (const entry of this.entries({ vendor, tenant: tenantId })) {
      if (mentions(...text(entry.request.body)) || mentions(...text(entry.response.body))) found.push(entry);
    }
    return found.map((entry, i) => ({ seq: found.length - i, entry }));
  }

  render(r: Readonly<JournalRecord>): JournalEntry {
    return this.#view.render(r);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#flushTimer);
    this.endTails();
    await this.flush().catch(() => undefined);
    if (this.#buffer.length > 0 || this.#dropped > 0)
      this.#log.warn(
        { lost: this.#buffer.length + this.#dropped },
        `journal: ${this.#buffer.length + this.#dropped} entries never reached the database (it could not be written: ${this.#failing})`,
      );
    await this.#pool.end();
  }

  #enqueue<T>(step: () => Promise<T>): Promise<T> {
    const result = this.#chain.then(step);
    this.#chain = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Writes the buffer in `ms`, unless a write is already due sooner. */
  #scheduleFlush(ms: number): void {
    if (this.#closed || (this.#flushTimer && this.#flushDelay <= ms)) return;
    clearTimeout(this.#flushTimer);
    this.#flushDelay = ms;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      // A failed write keeps its entries and has scheduled its retry.
      this.flush().catch(() => undefined);
    }, ms).unref();
  }

  /** The buffer to its bound: the oldest entries go first, counted. */
  #bound(): void {
    const over = this.#buffer.length - this.#maxBuffered;
    if (over <= 0) return;
    this.#buffer.splice(0, over);
    this.#dropped += over;
  }

  /** Writes the buffered entries recorded up to `mark`, in one transaction (an INSERT per INSERT_ROWS). */
  async #write(mark: number): Promise<void> {
    let n = 0;
    while (n < this.#buffer.length && this.#buffer[n]!.seq <= mark) n++;
    if (n === 0) return;
    const taken = this.#buffer.splice(0, n);
    this.#writing = taken;
    try {
      if (taken.length <= INSERT_ROWS) await this.#pool.query({ name: 'card-sandbox:journal-insert', text: INSERT_LOCKED, values: this.#values(taken) });
      else await this.#writeMany(taken);
    } catch (error) {
      this.#buffer = [...taken, ...this.#buffer];
      this.#bound();
      if (this.#failing === undefined)
        this.#log.warn(
          { err: error },
          `journal: cannot write to the database; up to ${this.#maxBuffered} entries wait in memory for it (the oldest beyond are dropped)`,
        );
      this.#failing = (error as Error).message;
      this.#scheduleFlush(RETRY_MS);
      throw unavailable(error);
    } finally {
      this.#writing = [];
    }
    if (this.#failing !== undefined) {
      this.#log.warn({ dropped: this.#dropped }, `journal: writing to the database again; ${this.#dropped} entries were dropped meanwhile`);
      this.#failing = undefined;
    }
    this.#writtenSinceTrim += taken.length;
    if (this.#writtenSinceTrim >= Math.max(1, Math.ceil(this.options.maxEntries / 10))) {
      this.#writtenSinceTrim = 0;
      // A failed trim is made up by the next: the listing shows only the newest maxEntries meanwhile.
      await this.#pool
        .query<{ floor: string }>(TRIM, [this.options.maxEntries - 1, this.#trimmedBelow])
        .then(({ rows }) => (this.#trimmedBelow = rows[0]?.floor ?? this.#trimmedBelow))
        .catch(() => undefined);
    }
    if (this.#tails.size > 0) this.#queuePoll();
  }

  #values(rows: readonly JournalRecord[]): unknown[] {
    return [rows.map((r) => r.at), this.replica, JSON.stringify(rows.map((r) => this.#view.render(r)))];
  }

  /** More than INSERT_ROWS entries (a write after an outage): one transaction, an INSERT per INSERT_ROWS. */
  async #writeMany(taken: readonly JournalRecord[]): Promise<void> {
    const client = await this.#pool.connect();
    // A connection that dies between statements must not become an uncaught error; the statement reports it.
    const ignore = () => undefined;
    client.on('error', ignore);
    try {
      await client.query(`BEGIN; SELECT pg_advisory_xact_lock(hashtextextended('${JOURNAL_LOCK}', 0))`);
      for (let i = 0; i < taken.length; i += INSERT_ROWS) await client.query(INSERT, this.#values(taken.slice(i, i + INSERT_ROWS)));
      await client.query('COMMIT');
      client.off('error', ignore);
      client.release();
    } catch (error) {
      // The connection may be broken (or mid-transaction): it is not given back to the pool.
      client.off('error', ignore);
      client.release(error as Error);
      throw error;
    }
  }

  #queuePoll(): void {
    if (this.#pollQueued || this.#tails.size === 0) return;
    this.#pollQueued = true;
    void this.#enqueue(async () => {
      this.#pollQueued = false;
      await this.#poll();
    }).catch((error: unknown) => this.#log.debug({ err: error }, 'journal: a tail could not read the database; it tries again'));
  }

  /** Gives each tail the rows after its cursor; a tail just opened first learns where it starts. */
  async #poll(): Promise<void> {
    const starting = [...this.#tails].filter((t) => t.cursor === undefined && t.startable);
    if (starting.length > 0) {
      const { rows } = await this.#query<{ floor: string; head: string }>(FLOOR, [Math.max(0, this.options.maxEntries - 1)]);
      const [floor, head] = [Number(rows[0]!.floor), Number(rows[0]!.head)];
      for (const t of starting) {
        // A Last-Event-ID older than what is kept replays from the oldest kept entry; one the table has
        // not reached (another database's) replays nothing, and the tail goes on live, as in memory.
        t.cursor = t.handlers.after === undefined ? head : Math.min(Math.max(t.handlers.after, floor - 1), head);
        if (this.#tails.has(t)) t.handlers.opened();
      }
    }
    for (;;) {
      const ready = [...this.#tails].filter((t) => t.cursor !== undefined);
      if (ready.length === 0) return;
      const from = Math.min(...ready.map((t) => t.cursor!));
      const { rows } = await this.#query<{ seq: string; entry: JournalEntry }>(AFTER, [from, PAGE]);
      for (const row of rows) {
        const seq = Number(row.seq);
        for (const t of ready) {
          if (!this.#tails.has(t) || t.cursor! >= seq) continue;
          t.cursor = seq;
          if (entryMatches(row.entry, t.filter)) t.handlers.send(row.entry, seq);
        }
      }
      if (rows.length < PAGE) return;
    }
  }

  #stopPolling(): void {
    clearInterval(this.#pollTimer);
    this.#pollTimer = undefined;
  }

  async #query<R extends pg.QueryResultRow>(text: string, params?: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await this.#pool.query<R>(text, params);
    } catch (error) {
      throw unavailable(error);
    }
  }
}

/** The listing's filters as SQL over the rendered entry (the same answers as `entryMatches`), parameters from $4. */
function sqlFilter(f: JournalFilter): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  let where = '';
  const add = (condition: string, value: unknown) => {
    params.push(value);
    where += ` AND ${condition.replace('?', `$${params.length + 3}`)}`;
  };
  if (f.vendor !== undefined) add(`entry->>'vendor' = ?`, f.vendor);
  if (f.operation !== undefined) add(`entry->>'operation' = ?`, f.operation);
  if (f.tenant !== undefined) add(`entry->>'tenantId' = ?`, f.tenant);
  if (f.status !== undefined) add(`(entry->>'status')::bigint = ?::bigint`, f.status);
  if (f.since !== undefined) add(`at >= ?`, f.since);
  if (f.until !== undefined) add(`at <= ?`, f.until);
  // String(code) in memory: a code of null is "null" there too.
  if (f.code !== undefined) add(`coalesce(entry->>'code', 'null') = ?`, f.code);
  return { where, params };
}
