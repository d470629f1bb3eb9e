/**
 * The connection pool of the PostgreSQL store (docs/design/shared-store.md §5.7). Durability maps to
 * `synchronous_commit`: 'write' (the default) is `off`, acknowledged once the server has the change (a
 * replica's kill -9 loses nothing); 'fsync' is `on`, acknowledged once the WAL is flushed.
 */
import pg from 'pg';
import type { Durability } from '../core/store-log.js';

export interface PoolOptions {
  durability?: Durability;
  /** Connections per replica (default 10). */
  size?: number;
  /** Longest a statement may run, in ms (default 5 s); past it the request gets the internal error. */
  statementTimeoutMs?: number;
  /** Longest a new connection may take, in ms (default 2 s); past it the request gets the internal error. */
  connectTimeoutMs?: number;
}

/** The pool's defaults, also the CLI's (--db-pool, --db-statement-timeout, --db-connect-timeout). */
export const POOL_DEFAULTS = Object.freeze({ size: 10, statementTimeoutMs: 5000, connectTimeoutMs: 2000 });

/**
 * A transaction left open by a replica that hangs (holding its tenant's lock) is ended by the server
 * after this long. Not a flag. A minute, not 10 s: a large transaction (a long webhook log built in one
 * go) on a busy 2-core machine kept its connection idle between two statements past 10 s, and the
 * server cut it (EPIPE in the webhooks-size suite with four test workers).
 */
const IDLE_IN_TRANSACTION_MS = 60_000;

export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/** The URL without its password, for logs and the health answer. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const {
    durability = 'write',
    size = POOL_DEFAULTS.size,
    statementTimeoutMs = POOL_DEFAULTS.statementTimeoutMs,
    connectTimeoutMs = POOL_DEFAULTS.connectTimeoutMs,
  } = options;
  const pool = new pg.Pool({
    connectionString: url,
    max: size,
    connectionTimeoutMillis: connectTimeoutMs,
    // A server that stops answering altogether (a hung host, a network partition) cannot time out a
    // statement itself: the client gives up a moment after the server would have.
    query_timeout: statementTimeoutMs + connectTimeoutMs,
    application_name: 'card-sandbox',
    options: `-c synchronous_commit=${durability === 'fsync' ? 'on' : 'off'} -c statement_timeout=${statementTimeoutMs} -c idle_in_transaction_session_timeout=${IDLE_IN_TRANSACTION_MS}`,
  });
  // An idle connection the server drops must not take the process down; the pool replaces it.
  pool.on('error', () => {});
  return pool;
}
