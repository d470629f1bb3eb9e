/**
 * The planner's statistics of `records` kept current while the table is young (docs/design/shared-store.md
 * §5.2). A transaction's expected records are read with one statement of row keys (sql.GET_MANY).
 * With no statistics, PostgreSQL estimates one row for any (collection, tenant) and may serve each key
 * from `records_order` instead of the primary key: every key then reads its tenant's whole collection (a
 * deposit's idempotency key read all of the tenant's stored answers: 5.8 ms a statement at 5,000 deposits,
 * against 0.2 ms by the primary key). Autovacuum analyzes the table (at 50 rows + 10 % changed), but only
 * when it next wakes (a minute by default), and a fresh database fills faster than that.
 *
 * So each replica looks, at start and after every CHECK_ROWS rows it wrote, whether the table was never
 * analyzed or has doubled since (STALE), and analyzes it in the background when it has. ANALYZE samples a bounded number of rows (30,000 at the default statistics target), whatever the
 * table's size, and takes no lock that writes wait for.
 */
import type pg from 'pg';

/** Rows a replica writes between two looks at the table's statistics. */
export const CHECK_ROWS = 1000;

/**
 * Stale: never analyzed, or changed by more than 1,000 rows + its size then (`reltuples`) since: it doubled. Not autovacuum's
 * 10 %: the planner scales its figures to the table's size at plan time, so the shares of each
 * (collection, tenant) it learned stay good while the table grows, and a fresh table growing at 30,000 rows
 * a second was analyzed 7 times in 5 s at 10 % (a third of a second of the server's CPU).
 */
const STALE = `SELECT coalesce(s.last_analyze, s.last_autoanalyze) IS NULL OR s.n_mod_since_analyze > 1000 + greatest(c.reltuples, 0) AS stale
  FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relid = 'records'::regclass`;
/** In a transaction of its own so that the statement timeout can be lifted for it alone. */
const ANALYZE = 'BEGIN; SET LOCAL statement_timeout = 0; ANALYZE records; COMMIT';

export class RecordStatistics {
  readonly #pool: pg.Pool;
  #written = 0;
  #running?: Promise<boolean>;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /** Counts rows this replica committed; every CHECK_ROWS of them, a look in the background. */
  written(rows: number): void {
    this.#written += rows;
    if (this.#written < CHECK_ROWS) return;
    this.#written = 0;
    this.refresh().catch(() => undefined);
  }

  /**
   * Analyzes `records` if its statistics are stale; resolves whether it did. One look at a time; a
   * failure (the database away) is left to the next look, as autovacuum would also come round.
   */
  refresh(): Promise<boolean> {
    this.#running ??= this.#refresh()
      .catch(() => false)
      .finally(() => (this.#running = undefined));
    return this.#running;
  }

  /** Waits for a look in progress (closing the pool under it would only make it fail). */
  async settled(): Promise<void> {
    await this.#running;
  }

  async #refresh(): Promise<boolean> {
    const { rows } = await this.#pool.query<{ stale: boolean }>(STALE);
    if (!rows[0]?.stale) return false;
    await this.#pool.query(ANALYZE);
    return true;
  }
}
