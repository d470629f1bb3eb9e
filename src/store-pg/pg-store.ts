/**
 * The PostgreSQL store (docs/design/shared-store.md §4 C, §5): records in one `records` table as their
 * JSON text, no copy of them in the replica. `run` is one database transaction: the scope's advisory
 * locks (global shared then the tenant's, or global exclusive for GLOBAL), the work run against a
 * working set that suspends on a miss (the key is loaded in the same transaction and the work runs again
 * from the start), then the completed run's writes and COMMIT. `run` resolves after COMMIT returns, so
 * nothing acknowledged is lost when a replica dies.
 *
 * The runs of one scope queue up while its transaction is open, and the next transaction takes them all
 * (up to MAX_BATCH): group commit, each run over the writes of those before it (batch.ts); a run that
 * throws takes back only its own writes. Every run of a batch resolves after its COMMIT.
 *
 * A transaction is two round trips, each several statements in the simple protocol: BEGIN, the locks and
 * the records the batch is expected to read (the keys its scope's last transaction read, and those its
 * runs name); then the writes and COMMIT. A key not read up front is loaded on a miss, a round trip each.
 * The statements every transaction runs are prepared once per connection (sql.ts, `Prepared`). Counters
 * and jobs are rows of `records` under the global tenant, guarded by the `sequences` lock taken at the
 * first read of any global-tenant record.
 */
import pg from 'pg';
import { SandboxError } from '../core/errors.js';
import { GLOBAL } from '../core/ids.js';
import type { StoredRecord } from '../core/store-entries.mjs';
import { readOnlyWrote, Suspend, type Key, type RecordPage, type RunOptions, type ScanFilter, type StorePort } from '../core/store-port.js';
import { Transaction } from '../core/store-transaction.js';
import { Batch, type BatchWrites } from './batch.js';
import * as exported from './export.js';
import { DbHealth, unavailableDiagnostic } from './health.js';
import { createPool, POOL_DEFAULTS, redactUrl, type PoolOptions } from './pool.js';
import { migrate } from './migrations.js';
import * as sql from './sql.js';
import { CHECK_ROWS, RecordStatistics } from './statistics.js';
import { recordKey, WorkingSet } from './working-set.js';

export interface PgStoreOptions extends PoolOptions {
  /**
   * Called with the completed runs of each committed transaction, in order, right after its COMMIT
   * returned and before they resolve, with the generations of the shared collections it changed.
   */
  onCommit?: (runs: readonly Transaction[], generations: ReadonlyMap<string, number>) => void;
}

/**
 * Collections every replica keeps a copy of (runtime-store.ts): a commit that changes one bumps its
 * generation in `sandbox_state`, which the other replicas compare to theirs (shared.ts).
 */
export const GENERATION_KEYS: ReadonlyMap<string, string> = new Map([
  ['_tenants', 'tenants'],
  ['_jobs', 'jobs'],
]);

/** Rows written per statement: each stays well inside the statement timeout, however large the change (a scenario pack). */
const WRITE_SLICE = 5_000;
/** Records read per statement by `scan`. */
const SCAN_PAGE = 2_000;
/** Runs of one scope in one transaction at most: a bound on the lock's hold and on the batch's memory. */
const MAX_BATCH = 100;
/** Keys remembered per scope for the next transaction's prefetch, and scopes remembered. */
const PREFETCH_KEYS = 64;
const PREFETCH_SCOPES = 1000;
/** How long a transaction whose COMMIT's answer was lost is asked after, and how often. */
const STATUS_WAIT_MS = 5_000;
const STATUS_POLL_MS = 100;

interface Queued {
  work: (tx: Transaction) => unknown;
  /** Records the work is expected to read, loaded up front with the batch's first trip. */
  prefetch?: readonly Key[];
  /** Runs in a snapshot of its own, without the scope's locks (RunOptions.readOnly). */
  readOnly?: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class PgStore implements StorePort {
  readonly #pool: pg.Pool;
  /** Whether the database answers: `failure`, and the health route's ping (health.ts). */
  readonly health: DbHealth;
  readonly #onCommit?: PgStoreOptions['onCommit'];
  /** Per scope, the runs waiting for its next transaction, in call order. */
  readonly #queues = new Map<string, Queued[]>();
  /** Per scope, its drain while one runs: one transaction of a scope at a time in this replica. */
  readonly #draining = new Map<string, Promise<void>>();
  /** Read-only runs in progress (each in its own snapshot, beside the scope's transactions). */
  readonly #reading = new Set<Promise<void>>();
  #closed = false;
  /** Per scope (the most recent PREFETCH_SCOPES), the keys its last transaction had to load: read up front by the next. */
  readonly #prefetch = new Map<string, Key[]>();
  /** The planner's figures for `records`, refreshed while the table grows faster than autovacuum looks. */
  readonly #statistics: RecordStatistics;

  /** Whether the server has ICU's root collation, for caseless matches (sql.pageStatements). */
  readonly #icu: boolean;

  private constructor(pool: pg.Pool, health: DbHealth, icu: boolean, onCommit?: PgStoreOptions['onCommit']) {
    this.#pool = pool;
    this.#icu = icu;
    this.health = health;
    this.#onCommit = onCommit;
    this.#statistics = new RecordStatistics(pool);
    this.#statistics.refresh().catch(() => undefined);
  }

  /** Connects and migrates the schema to the current version (a no-op when it is). */
  static async open(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
    const pool = createPool(url, options);
    let icu: boolean;
    try {
      await migrate(pool);
      icu = (await pool.query<{ icu: boolean }>(sql.HAS_ICU)).rows[0]!.icu;
    } catch (error) {
      await pool.end();
      throw startFailure(url, error);
    }
    return new PgStore(pool, new DbHealth(url, { timeoutMs: options.connectTimeoutMs ?? POOL_DEFAULTS.connectTimeoutMs }), icu, options.onCommit);
  }

  /** Why the database does not answer (a driver error or a failed ping), until it answers again. */
  get failure(): string | undefined {
    return this.health.failure;
  }

  /** Pings the database (cached for a second) and answers `failure` as it then stands. */
  check(): Promise<string | undefined> {
    return this.health.check();
  }

  run<T>(scope: string, work: (tx: Transaction) => T, options: RunOptions = {}): Promise<T> {
    if (this.#closed) return Promise.reject(new SandboxError('internal', { diagnostic: 'the PostgreSQL store is closed' }));
    return new Promise<T>((resolve, reject) => {
      let queue = this.#queues.get(scope);
      if (!queue) this.#queues.set(scope, (queue = []));
      queue.push({ work, prefetch: options.prefetch, readOnly: options.readOnly, resolve: resolve as (value: unknown) => void, reject });
      if (this.#draining.has(scope)) return;
      const drain = this.#drain(scope);
      // A drain of read-only runs alone has ended before it returns (it waits for nothing): kept only while it runs.
      if (this.#queues.has(scope)) this.#draining.set(scope, drain);
    });
  }

  /** Runs `tx`'s writes as one transaction of `scope` (for callers that build a transaction themselves: scenario loads). */
  commit(scope: string, tx: Transaction): Promise<void> {
    return this.run(scope, (own) => {
      if (tx.clearsAll) own.clearAll();
      for (const change of tx.changes()) {
        if (change.v === null) own.delete(change.c, change.t, change.id);
        else own.put(change.c, change.v);
      }
    });
  }

  async read(collection: string, tenantId?: string): Promise<StoredRecord[]> {
    const { rows } = await this.#query<{ data: StoredRecord }>(
      tenantId === undefined ? sql.LIST_ALL : sql.LIST,
      tenantId === undefined ? [collection] : [collection, tenantId],
    );
    return rows.map((r) => r.data);
  }

  async lookup(collection: string, tenantId: string, id: string): Promise<StoredRecord | undefined> {
    const { rows } = await this.#query<{ data: StoredRecord }>(sql.GET, [collection, tenantId, id]);
    return rows[0]?.data;
  }

  /**
   * The tenant's records of `collection` that `filter` keeps, in insertion order: read SCAN_PAGE records
   * a statement (walking `records_order` from where the last page ended), all in one snapshot, so that
   * the replica holds a page and what is kept, however large the collection. With `mentions`, only the
   * records whose text holds one of them are read (sql.SCAN).
   */
  async scan(collection: string, tenantId: string, { keep, mentions }: ScanFilter): Promise<StoredRecord[]> {
    const texts = mentions ?? null;
    return this.consistentRead(async (query) => {
      const kept: StoredRecord[] = [];
      for (let after = '0'; ;) {
        const { rows } = await query<{ pos: string; data: StoredRecord }>(sql.SCAN, [collection, tenantId, after, SCAN_PAGE, texts]);
        for (const row of rows) if (keep(row.data)) kept.push(row.data);
        if (rows.length < SCAN_PAGE) return kept;
        after = rows.at(-1)!.pos;
      }
    });
  }

  async collections(): Promise<string[]> {
    return guarded(() => exported.collections(this.#pool));
  }

  async owners(collection: string): Promise<string[]> {
    return guarded(() => exported.owners(this.#pool, collection));
  }

  async *snapshot(pageSize: number): AsyncGenerator<RecordPage> {
    const pages = exported.snapshotPages(this.#pool, pageSize);
    try {
      for (;;) {
        const next = await guarded(() => pages.next());
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await pages.return(undefined);
    }
  }

  async flush(): Promise<void> {
    // Acknowledged means committed: nothing waits in the replica.
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#draining.values()]);
    await Promise.allSettled([...this.#reading]);
    await this.#statistics.settled();
    await Promise.all([this.#pool.end(), this.health.close()]);
  }

  /** One statement outside any transaction; a driver error becomes the internal error. */
  query<R extends pg.QueryResultRow>(text: string | { name: string; text: string }, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    return typeof text === 'string' ? this.#query<R>(text, values) : this.#query<R>(text.text, values, text.name);
  }

  /** Runs `work` in one read-only REPEATABLE READ transaction: every statement sees the same snapshot. */
  async consistentRead<T>(
    work: (query: <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => Promise<pg.QueryResult<R>>) => Promise<T>,
  ): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw unavailable(error);
    }
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const result = await work((text, values) => client.query(text, values));
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      client.release(error as Error);
      throw error instanceof SandboxError ? error : unavailable(error);
    }
  }

  async #query<R extends pg.QueryResultRow>(text: string, values: unknown[], name?: string): Promise<pg.QueryResult<R>> {
    try {
      const result = await this.#pool.query<R>(name === undefined ? { text, values } : { name, text, values });
      this.health.noteSuccess();
      return result;
    } catch (error) {
      this.health.noteError(error);
      throw unavailable(error);
    }
  }

  /**
   * The fate of transaction `xid` whose COMMIT's answer was lost: asked of the database on another
   * connection until it is settled, for up to STATUS_WAIT_MS (the old connection's backend may still be
   * finishing it; the database may be coming back). Undefined when it could not be learned.
   */
  async #statusOf(xid: string): Promise<'committed' | 'aborted' | undefined> {
    const deadline = Date.now() + STATUS_WAIT_MS;
    for (;;) {
      try {
        const { rows } = await this.#pool.query<{ status: string | null }>(sql.XACT_STATUS, [xid]);
        const status = rows[0]?.status;
        if (status === 'committed' || status === 'aborted') return status;
      } catch {
        // Not answering yet: asked again below.
      }
      if (Date.now() >= deadline) return undefined;
      await new Promise((resolve) => setTimeout(resolve, STATUS_POLL_MS));
    }
  }

  async #drain(scope: string): Promise<void> {
    for (;;) {
      const queue = this.#queues.get(scope);
      if (!queue || queue.length === 0) break;
      const readOnly = queue[0]!.readOnly === true;
      let n = 1;
      while (n < queue.length && (readOnly || n < MAX_BATCH) && (queue[n]!.readOnly === true) === readOnly) n++;
      const runs = queue.splice(0, n);
      if (!readOnly) {
        await this.#transaction(scope, runs);
        continue;
      }
      // The runs queued before these have committed: each reads a snapshot from now on, and the scope's
      // writers after them go on without waiting for it.
      for (const run of runs) {
        const reading = this.#readOnly(run).finally(() => this.#reading.delete(reading));
        this.#reading.add(reading);
      }
    }
    this.#queues.delete(scope);
    this.#draining.delete(scope);
  }

  /**
   * A read-only run (RunOptions.readOnly): in a REPEATABLE READ READ ONLY transaction of its own, begun at
   * its first miss, so every record it loads is of one snapshot; no lock is taken, so the scope's writers
   * do not wait for it however long its reads take (a whole collection). A run that wrote is refused and
   * nothing of it is kept. Settles the run, never rejects.
   */
  async #readOnly(run: Queued): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      this.health.noteError(error);
      run.reject(unavailable(error));
      return;
    }
    let driverError: unknown;
    const lost = (error: Error) => (driverError ??= error);
    client.on('error', lost);
    const db = statements(client, (error) => (driverError = error));
    let begun = false;
    try {
      const set = new WorkingSet();
      let value: unknown;
      for (;;) {
        const tx = new Transaction(set);
        try {
          value = run.work(tx);
        } catch (error) {
          if (!(error instanceof Suspend)) throw error;
          if (!begun) {
            await db('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
            begun = true;
          }
          await loadInto(db, set, error.key, this.#icu);
          continue;
        }
        if (!tx.empty) throw readOnlyWrote(tx.changes());
        break;
      }
      if (begun) await db('COMMIT');
      this.health.noteSuccess();
      client.off('error', lost);
      client.release();
      run.resolve(value);
    } catch (error) {
      if (driverError !== undefined) this.health.noteError(driverError);
      client.off('error', lost);
      // The work's own refusal (a record not found): the snapshot is let go and the connection kept. A driver error drops it.
      let drop = driverError;
      if (drop === undefined && begun)
        drop = await client.query('ROLLBACK').then(
          () => undefined,
          (e: unknown) => e,
        );
      client.release(drop as Error | undefined);
      run.reject(error);
    }
  }

  /** One transaction for `batch`; settles every run of it, never rejects. */
  async #transaction(scope: string, batch: Queued[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      this.health.noteError(error);
      for (const run of batch) run.reject(unavailable(error));
      return;
    }
    let driverError: unknown;
    // Checked out, a client has no listener of the pool's: a connection lost between two statements would be an uncaught 'error'.
    const lost = (error: Error) => (driverError ??= error);
    client.on('error', lost);
    const db = statements(client, (error) => (driverError = error));
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    let released = false;
    try {
      // Trip 1, in the simple protocol (several statements, values as escaped literals): BEGIN, the scope's
      // locks, and the records the batch is expected to read: the keys the scope's last transaction had
      // to load, and those its runs named (an idempotency key). What is not there is loaded on a miss as ever.
      // A connection's first trip also PREPAREs the statements the trips EXECUTE.
      const lit = sql.literal;
      const set = new WorkingSet();
      const loaded: Key[] = [];
      const learned = this.#prefetch.get(scope) ?? [];
      const hints = distinctKeys([...learned, ...batch.flatMap((run) => run.prefetch ?? [])]);
      let sequences = hints.some((k) => k.tenantId === GLOBAL);
      const preparing = sql.preparing(client, sql.TRANSACTION_STATEMENTS);
      const first = [...preparing.prepares, ...sql.begin(scope === GLOBAL ? undefined : lit(sql.tenantLock(scope)), sequences)];
      const locksAt = first.length - 1;
      if (hints.length > 0) first.push(sql.getMany(hints.map((k) => [lit(k.collection), lit(k.tenantId), lit(k.id!)])));
      const results = each<{ collection: string; tenant_id: string; id: string; data: StoredRecord }>(await db(first.join('; ')));
      preparing.done();
      const xid = (results[locksAt]!.rows[0] as { xid?: string } | undefined)?.xid;
      if (hints.length > 0) {
        const found = new Map(results.at(-1)!.rows.map((r) => [recordKey(r.collection, r.tenant_id, r.id), r.data]));
        for (const k of hints) set.loadedRecord(k.collection, k.tenantId, k.id!, found.get(recordKey(k.collection, k.tenantId, k.id!)));
      }
      const load = async (key: Key): Promise<void> => {
        loaded.push(key);
        if (key.tenantId === GLOBAL && !sequences) {
          await db(sql.LOCK, [sql.SEQUENCES_LOCK]);
          sequences = true;
        }
        await loadInto(db, set, key, this.#icu);
      };
      const group = new Batch(set);
      for (const run of batch) {
        // Each run from the start until one completes (or throws): a suspended run's writes are discarded with its transaction.
        for (;;) {
          const tx = new Transaction(group.view());
          try {
            const value = run.work(tx);
            group.completed(tx);
            outcomes.push({ ok: true, value });
            break;
          } catch (error) {
            if (!(error instanceof Suspend)) {
              outcomes.push({ ok: false, error });
              break;
            }
            await load(error.key);
          }
        }
      }
      // Trip 2: the batch's writes, the shared generations it bumps, and COMMIT, in one simple-protocol trip.
      const writes = group.writes();
      const touched = sharedTouched(writes);
      const trips = sql.writeTrips(writes, touched, lit, WRITE_SLICE);
      for (const trip of trips.slice(0, -1)) await db(trip);
      let last: Array<pg.QueryResult<{ key: string; generation: string }>> | undefined;
      try {
        last = each(await db(trips.at(-1)!));
      } catch (error) {
        // The connection went with the COMMIT's answer: whether it took is asked of the database.
        if (!answerLost(driverError) || xid === undefined) throw error;
        // Dropped first: its session ends, so a transaction that did not commit is known as aborted at once.
        client.off('error', lost);
        client.release(driverError as Error);
        released = true;
        const status = await this.#statusOf(xid);
        if (status !== 'committed')
          throw new SandboxError('internal', {
            diagnostic: `${(error as SandboxError).diagnostic}; ${status === 'aborted' ? 'the transaction did not commit' : `the answer to its COMMIT was lost and whether it took is unknown (transaction ${xid}); a retry with the same idempotency key tells`}`,
          });
      }
      const generations = new Map<string, number>();
      // Lost answers: the generations are unknown, and the replicas' copies are reloaded at their next look.
      if (touched.length > 0 && last) for (const r of last.at(-2)!.rows) generations.set(r.key, Number(r.generation));
      this.#prefetch.delete(scope);
      // Learned for next time: the expected keys these runs read, and those they missed; not what the runs
      // named (a batch of new idempotency keys would crowd it out), nor what only an earlier batch read.
      const next = [...learned.filter((k) => set.read(k.collection, k.tenantId, k.id!)), ...loaded];
      this.#prefetch.set(scope, next.slice(-PREFETCH_KEYS));
      if (this.#prefetch.size > PREFETCH_SCOPES) this.#prefetch.delete(this.#prefetch.keys().next().value!);
      this.health.noteSuccess();
      this.#statistics.written(writes.clearsAll ? CHECK_ROWS : writes.puts.length + writes.deletes.length);
      if (group.runs.length > 0) this.#onCommit?.(group.runs, generations);
      if (!released) {
        client.off('error', lost);
        client.release();
      }
    } catch (error) {
      // A driver error: nothing of the batch committed, and the connection is dropped, not reused.
      if (driverError !== undefined) this.health.noteError(driverError);
      if (!released) {
        client.off('error', lost);
        client.release((driverError ?? error) as Error);
      }
      batch.forEach((run, i) => {
        const outcome = outcomes[i];
        run.reject(outcome && !outcome.ok ? outcome.error : error);
      });
      return;
    }
    batch.forEach((run, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) run.resolve(outcome.value);
      else run.reject(outcome.error);
    });
  }
}

/** `client.query`, whose driver error is handed to `noted` and thrown as the internal error. */
function statements(client: pg.PoolClient, noted: (error: unknown) => void) {
  return async <R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> => {
    try {
      return await client.query<R>(text, values);
    } catch (error) {
      noted(error);
      throw unavailable(error);
    }
  };
}

/** Loads `key` (a record; without `id` a tenant's whole collection, or with `query` a page of it) into `set`; `icu` as sql.pageStatements. */
async function loadInto(db: ReturnType<typeof statements>, set: WorkingSet, key: Key, icu: boolean): Promise<void> {
  if (key.query !== undefined) {
    const [page, count] = each(await db(sql.pageStatements(key.collection, key.tenantId, key.query, icu)));
    set.loadedPage(key.collection, key.tenantId, key.query, {
      records: page!.rows.map((r) => (r as { data: StoredRecord }).data),
      total: Number((count!.rows[0] as { total: string }).total),
    });
  } else if (key.id === undefined) {
    const { rows } = await db<{ data: StoredRecord }>(sql.LIST, [key.collection, key.tenantId]);
    set.loadedList(
      key.collection,
      key.tenantId,
      rows.map((r) => r.data),
    );
  } else {
    const { rows } = await db<{ data: StoredRecord }>(sql.GET, [key.collection, key.tenantId, key.id]);
    set.loadedRecord(key.collection, key.tenantId, key.id, rows[0]?.data);
  }
}

/** The results of a simple-protocol trip, one per statement (the driver gives a lone statement's bare). */
function each<R extends pg.QueryResultRow>(result: pg.QueryResult | pg.QueryResult[]): Array<pg.QueryResult<R>> {
  return (Array.isArray(result) ? result : [result]) as Array<pg.QueryResult<R>>;
}

/**
 * Whether a driver error lost the connection rather than being the database's refusal: the connection
 * dropped, or the server ended the session (57P01–57P05: shut down, terminated; class 08). Not a
 * cancelled statement (57014, the statement timeout): that transaction is known not to have committed.
 */
function answerLost(error: unknown): boolean {
  if (error === undefined) return false;
  if (!(error instanceof pg.DatabaseError)) return true;
  return error.code?.startsWith('57P') === true || error.code?.startsWith('08') === true;
}

/** Record keys once each, in first-seen order (whole-collection keys dropped: those are loaded on a miss). */
function distinctKeys(keys: readonly Key[]): Key[] {
  const seen = new Map<string, Key>();
  for (const k of keys) if (k.id !== undefined) seen.set(recordKey(k.collection, k.tenantId, k.id), k);
  return [...seen.values()];
}

/** The generation keys of the shared collections a batch changes. */
function sharedTouched(writes: BatchWrites): string[] {
  if (writes.clearsAll) return [...GENERATION_KEYS.values()];
  const keys = new Set<string>();
  for (const d of writes.deletes) if (GENERATION_KEYS.has(d.c)) keys.add(GENERATION_KEYS.get(d.c)!);
  for (const p of writes.puts) if (GENERATION_KEYS.has(p.c)) keys.add(GENERATION_KEYS.get(p.c)!);
  return [...keys];
}

/** `work`'s driver error as the sandbox's internal error. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw unavailable(error);
  }
}

/**
 * Why the store could not open, as one line for the person starting the sandbox (code ESTOREUNAVAILABLE:
 * the CLI prints the message alone and exits 1): the URL without its password, and what went wrong.
 */
function startFailure(url: string, error: unknown): Error {
  const e = error as { code?: string; message?: string };
  const reason = e.message?.startsWith('migration') || e.message?.includes('schema is at version') ? e.message : unavailableDiagnostic(error);
  return Object.assign(new Error(`cannot open the PostgreSQL store at ${redactUrl(url)}: ${reason}`, { cause: error }), { code: 'ESTOREUNAVAILABLE' });
}

/** A driver error as the sandbox's internal error (the vendors' envelopes), with what the database said. */
export function unavailable(error: unknown): SandboxError {
  return new SandboxError('internal', { diagnostic: unavailableDiagnostic(error) });
}
