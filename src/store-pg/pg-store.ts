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
 * Not yet (step 3 of §8): no cache across transactions and no prefetch (every transaction starts cold,
 * each miss a round trip); the writes are up to three statements, not one trip; counters and jobs are
 * rows of `records` under the global tenant (step 4 moves them), guarded by the `sequences` lock taken
 * at the first read of any global-tenant record.
 */
import type pg from 'pg';
import { SandboxError } from '../core/errors.js';
import { GLOBAL } from '../core/ids.js';
import type { StoredRecord } from '../core/store-entries.mjs';
import { Suspend, type Key, type RecordPage, type StorePort } from '../core/store-port.js';
import { Transaction } from '../core/store-transaction.js';
import { Batch, type BatchWrites } from './batch.js';
import * as exported from './export.js';
import { createPool, type PoolOptions } from './pool.js';
import { migrate } from './migrations.js';
import * as sql from './sql.js';
import { WorkingSet } from './working-set.js';

export interface PgStoreOptions extends PoolOptions {
  /** Called with the completed runs of each committed transaction, in order, right after its COMMIT returned and before they resolve. */
  onCommit?: (runs: readonly Transaction[]) => void;
}

/** Rows written per statement (writeChanges). */
const WRITE_SLICE = 5_000;
/** Runs of one scope in one transaction at most: a bound on the lock's hold and on the batch's memory. */
const MAX_BATCH = 100;
/** Keys remembered per scope for the next transaction's prefetch, and scopes remembered. */
const PREFETCH_KEYS = 64;
const PREFETCH_SCOPES = 1000;

interface Queued {
  work: (tx: Transaction) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class PgStore implements StorePort {
  readonly #pool: pg.Pool;
  readonly #onCommit?: (runs: readonly Transaction[]) => void;
  /** Per scope, the runs waiting for its next transaction, in call order. */
  readonly #queues = new Map<string, Queued[]>();
  /** Per scope, its drain while one runs: one transaction of a scope at a time in this replica. */
  readonly #draining = new Map<string, Promise<void>>();
  #closed = false;
  /** Per scope (the most recent PREFETCH_SCOPES), the keys its last transaction had to load: read up front by the next. */
  readonly #prefetch = new Map<string, Key[]>();

  private constructor(pool: pg.Pool, onCommit?: (runs: readonly Transaction[]) => void) {
    this.#pool = pool;
    this.#onCommit = onCommit;
  }

  /** Connects and migrates the schema to the current version (a no-op when it is). */
  static async open(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
    const pool = createPool(url, options);
    try {
      await migrate(pool);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PgStore(pool, options.onCommit);
  }

  get failure(): string | undefined {
    return undefined;
  }

  run<T>(scope: string, work: (tx: Transaction) => T): Promise<T> {
    if (this.#closed) return Promise.reject(new SandboxError('internal', { diagnostic: 'the PostgreSQL store is closed' }));
    return new Promise<T>((resolve, reject) => {
      let queue = this.#queues.get(scope);
      if (!queue) this.#queues.set(scope, (queue = []));
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#draining.has(scope)) this.#draining.set(scope, this.#drain(scope));
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
    await this.#pool.end();
  }

  async #query<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await this.#pool.query<R>(text, values);
    } catch (error) {
      throw unavailable(error);
    }
  }

  async #drain(scope: string): Promise<void> {
    for (;;) {
      const queue = this.#queues.get(scope);
      if (!queue || queue.length === 0) break;
      const batch = queue.splice(0, MAX_BATCH);
      await this.#transaction(scope, batch);
    }
    this.#queues.delete(scope);
    this.#draining.delete(scope);
  }

  /** One transaction for `batch`; settles every run of it, never rejects. */
  async #transaction(scope: string, batch: Queued[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      for (const run of batch) run.reject(unavailable(error));
      return;
    }
    let driverError: unknown;
    const db = async <R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> => {
      try {
        return await client.query<R>(text, values);
      } catch (error) {
        driverError = error;
        throw unavailable(error);
      }
    };
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      // BEGIN and the scope's locks in one trip (the simple protocol takes several statements, no parameters).
      await db(sql.begin(scope === GLOBAL ? undefined : client.escapeLiteral(sql.tenantLock(scope))));
      const set = new WorkingSet();
      let sequences = false;
      const loaded: Key[] = [];
      const hints = (this.#prefetch.get(scope) ?? []).filter((k) => k.id !== undefined);
      if (hints.length > 0) {
        // The keys the scope's last transaction missed, in one trip (a guess: what it does not hold is loaded on a miss as ever).
        if (hints.some((k) => k.tenantId === GLOBAL)) {
          await db(sql.LOCK, [sql.SEQUENCES_LOCK]);
          sequences = true;
        }
        const { rows } = await db<{ collection: string; tenant_id: string; id: string; data: StoredRecord }>(sql.GET_MANY, [
          hints.map((k) => k.collection),
          hints.map((k) => k.tenantId),
          hints.map((k) => k.id),
        ]);
        const found = new Map(rows.map((r) => [`${r.collection}\u0000${r.tenant_id}\u0000${r.id}`, r.data]));
        for (const k of hints) set.loadedRecord(k.collection, k.tenantId, k.id!, found.get(`${k.collection}\u0000${k.tenantId}\u0000${k.id}`));
        loaded.push(...hints);
      }
      const load = async (key: Key): Promise<void> => {
        loaded.push(key);
        if (key.tenantId === GLOBAL && !sequences) {
          await db(sql.LOCK, [sql.SEQUENCES_LOCK]);
          sequences = true;
        }
        if (key.id === undefined) {
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
      await writeChanges(db, group.writes());
      await db('COMMIT');
      this.#prefetch.delete(scope);
      this.#prefetch.set(scope, loaded.slice(-PREFETCH_KEYS));
      if (this.#prefetch.size > PREFETCH_SCOPES) this.#prefetch.delete(this.#prefetch.keys().next().value!);
      if (group.runs.length > 0) this.#onCommit?.(group.runs);
      client.release();
    } catch (error) {
      // A driver error: nothing of the batch committed, and the connection is dropped, not reused.
      client.release((driverError ?? error) as Error);
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

type Db = (text: string, values?: unknown[]) => Promise<unknown>;

/** Trip 2: a clear-all, the deletes, the puts in order. */
async function writeChanges(db: Db, writes: BatchWrites): Promise<void> {
  if (writes.clearsAll) await db(sql.DELETE_ALL);
  // In slices: each statement stays well inside the statement timeout, and a large load (a scenario pack) is not one huge parameter.
  for (let i = 0; i < writes.deletes.length; i += WRITE_SLICE) {
    const deletes = writes.deletes.slice(i, i + WRITE_SLICE);
    await db(sql.DELETE, [deletes.map((d) => d.c), deletes.map((d) => d.t), deletes.map((d) => d.id)]);
  }
  for (let i = 0; i < writes.puts.length; i += WRITE_SLICE) {
    const puts = writes.puts.slice(i, i + WRITE_SLICE);
    await db(sql.UPSERT, [puts.map((p) => p.c), puts.map((p) => p.v.tenantId), puts.map((p) => p.v.id), puts.map((p) => JSON.stringify(p.v))]);
  }
}

/** `work`'s driver error as the sandbox's internal error. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw unavailable(error);
  }
}

/** A driver error as the sandbox's internal error (the vendors' envelopes), with what the database said. */
function unavailable(error: unknown): SandboxError {
  const e = error as { code?: string; message?: string };
  return new SandboxError('internal', {
    diagnostic: `database unavailable: ${e.code ? `${e.code} ` : ''}${e.message ?? String(error)}`,
  });
}
