/**
 * The PostgreSQL store (docs/design/shared-store.md §4 C, §5): records in one `records` table as their
 * JSON text, no copy of them in the replica. `run` is one database transaction: the scope's advisory
 * locks (global shared then the tenant's, or global exclusive for GLOBAL), the work run against a
 * working set that suspends on a miss (the key is loaded in the same transaction and the work runs again
 * from the start), then the completed run's writes and COMMIT. `run` resolves after COMMIT returns, so
 * nothing acknowledged is lost when a replica dies.
 *
 * Not yet (step 3 of §8): runs of one scope go one transaction each, in call order (no group commit);
 * no cache across transactions and no prefetch (every transaction starts cold); counters and jobs are
 * rows of `records` under the global tenant (step 4 moves them), guarded by the `sequences` lock taken
 * at the first read of any global-tenant record.
 */
import type pg from 'pg';
import { SandboxError } from '../core/errors.js';
import { GLOBAL } from '../core/ids.js';
import type { StoredRecord } from '../core/store-entries.mjs';
import { runToCompletion, type Key, type StorePort } from '../core/store-port.js';
import { Transaction } from '../core/store-transaction.js';
import { createPool, type PoolOptions } from './pool.js';
import { migrate } from './migrations.js';
import * as sql from './sql.js';
import { WorkingSet } from './working-set.js';

export interface PgStoreOptions extends PoolOptions {
  /** Called with each committed transaction, right after its COMMIT returned and before its `run` resolves. */
  onCommit?: (tx: Transaction) => void;
}

export class PgStore implements StorePort {
  readonly #pool: pg.Pool;
  readonly #onCommit?: (tx: Transaction) => void;
  /** Per scope, the end of the queue of runs: a scope's runs start in call order, one at a time. */
  readonly #queues = new Map<string, Promise<unknown>>();
  #closed = false;

  private constructor(pool: pg.Pool, onCommit?: (tx: Transaction) => void) {
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
    const previous = this.#queues.get(scope) ?? Promise.resolve();
    const result = previous.then(() => this.#transaction(scope, work));
    const settled = () => undefined;
    const tail: Promise<void> = result.then(settled, settled).then(() => {
      if (this.#queues.get(scope) === tail) this.#queues.delete(scope);
    });
    this.#queues.set(scope, tail);
    return result;
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

  async flush(): Promise<void> {
    // Acknowledged means committed: nothing waits in the replica.
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#queues.values()]);
    await this.#pool.end();
  }

  async #query<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      return await this.#pool.query<R>(text, values);
    } catch (error) {
      throw unavailable(error);
    }
  }

  async #transaction<T>(scope: string, work: (tx: Transaction) => T): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw unavailable(error);
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
    try {
      await db('BEGIN');
      if (scope === GLOBAL) await db(sql.LOCK, [sql.GLOBAL_LOCK]);
      else {
        await db(sql.LOCK_SHARED, [sql.GLOBAL_LOCK]);
        await db(sql.LOCK, [sql.tenantLock(scope)]);
      }
      const set = new WorkingSet();
      let sequences = false;
      const load = async (key: Key): Promise<void> => {
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
      const result = await runToCompletion(
        () => new Transaction(set),
        work,
        load,
        async (tx) => {
          await writeChanges(db, tx);
          await db('COMMIT');
          this.#onCommit?.(tx);
        },
      );
      client.release();
      return result;
    } catch (error) {
      // The work's own error (or a driver's): roll back; a connection that failed is dropped, not reused.
      if (driverError === undefined) {
        try {
          await client.query('ROLLBACK');
          client.release();
        } catch (rollback) {
          client.release(rollback as Error);
        }
      } else client.release(driverError as Error);
      throw error;
    }
  }
}

type Db = (text: string, values?: unknown[]) => Promise<unknown>;

/** Trip 2: a clear-all, the deletes, the puts in the transaction's order. */
async function writeChanges(db: Db, tx: Transaction): Promise<void> {
  if (tx.clearsAll) await db(sql.DELETE_ALL);
  const del: [string[], string[], string[]] = [[], [], []];
  const put: [string[], string[], string[], string[]] = [[], [], [], []];
  for (const change of tx.changes()) {
    if (change.v === null) {
      del[0].push(change.c);
      del[1].push(change.t);
      del[2].push(change.id);
    } else {
      put[0].push(change.c);
      put[1].push(change.v.tenantId);
      put[2].push(change.v.id);
      put[3].push(JSON.stringify(change.v));
    }
  }
  if (del[0].length > 0) await db(sql.DELETE, del);
  if (put[0].length > 0) await db(sql.UPSERT, put);
}

/** A driver error as the sandbox's internal error (the vendors' envelopes), with what the database said. */
function unavailable(error: unknown): SandboxError {
  const e = error as { code?: string; message?: string };
  return new SandboxError('internal', {
    diagnostic: `database unavailable: ${e.code ? `${e.code} ` : ''}${e.message ?? String(error)}`,
  });
}
