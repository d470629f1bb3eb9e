/**
 * Whether the PostgreSQL store's database answers (docs/design/shared-store.md §5.7), for
 * GET /__sandbox/health and for the store's `failure`. A `SELECT 1` on a connection of its own (so a
 * pool busy with requests, or waiting on a tenant's lock, does not read as a dead database), bounded by
 * a short timeout and cached for a moment, so that a load balancer polling health costs one round trip
 * a second at most.
 *
 * A driver error during a transaction that says the server cannot be reached (no connection, the
 * connection dropped, the server shutting down) marks the store failing at once; from then on a ping a
 * `cacheMs` retries in the background until the database answers, and a transaction that commits clears
 * it too. Errors the server itself answered with (a statement timeout, a deadlock) leave it healthy: the
 * database is there. Nothing in the replica needs rebuilding on recovery: the pool replaces its broken
 * connections by itself, and listeners (the scheduler) are told so that what fell due meanwhile runs.
 */
import pg from 'pg';

export interface HealthOptions {
  /** Longest the ping may take, connecting included, in ms (default 1 s). */
  timeoutMs?: number;
  /** How long a ping's answer stands, in ms (default 1 s); also the retry interval while failing. */
  cacheMs?: number;
}

/** The diagnostic for a driver error: `database unavailable: <code> <message>`. */
export function unavailableDiagnostic(error: unknown): string {
  const e = error as { code?: string; message?: string; errors?: Array<{ message?: string }> };
  // A connect to a name with several addresses fails with an AggregateError whose own message is empty.
  const message = e?.message || e?.errors?.map((x) => x.message).join('; ') || String(error);
  return `database unavailable: ${e?.code ? `${e.code} ` : ''}${message}`;
}

/**
 * Whether `error` says the database cannot be reached, rather than that it refused or cancelled a
 * statement: anything that is not the server's answer (a socket error, a connect timeout, a connection
 * terminated), or the server's connection exceptions (class 08), shutdown (57P01-57P03) and
 * too_many_connections (53300).
 */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof pg.DatabaseError)) return true;
  const code = error.code ?? '';
  return code.startsWith('08') || /^57P0[123]$/.test(code) || code === '53300';
}

export class DbHealth {
  readonly #pool: pg.Pool;
  readonly #cacheMs: number;
  #failure: string | undefined;
  #checkedAt = -Infinity;
  #checking: Promise<string | undefined> | undefined;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #recovered = new Set<() => void>();

  constructor(url: string, options: HealthOptions = {}) {
    const { timeoutMs = 1000, cacheMs = 1000 } = options;
    this.#cacheMs = cacheMs;
    this.#pool = new pg.Pool({
      connectionString: url,
      max: 1,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
      idleTimeoutMillis: 30_000,
      allowExitOnIdle: true,
      application_name: 'card-sandbox health',
    });
    this.#pool.on('error', () => {});
  }

  /** Why the database does not answer, as last seen; undefined while it does. */
  get failure(): string | undefined {
    return this.#failure;
  }

  /** Pings the database unless a ping answered within `cacheMs`; resolves with `failure` as it then stands. */
  check(): Promise<string | undefined> {
    if (this.#closed || Date.now() - this.#checkedAt < this.#cacheMs) return Promise.resolve(this.#failure);
    return this.#pingOnce();
  }

  /** A driver error met by a transaction or a read. */
  noteError(error: unknown): void {
    if (this.#closed || !isUnreachable(error)) return;
    this.#failure = unavailableDiagnostic(error);
    this.#checkedAt = Date.now();
    this.#scheduleRetry();
  }

  /** A transaction committed: the database answers. */
  noteSuccess(): void {
    if (this.#failure !== undefined) this.#recover();
  }

  /** Calls `listener` each time the database answers again after failing. */
  onRecovered(listener: () => void): void {
    this.#recovered.add(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    await this.#pool.end();
  }

  /** One ping at a time: callers meanwhile share its answer. */
  #pingOnce(): Promise<string | undefined> {
    return (this.#checking ??= this.#ping().finally(() => (this.#checking = undefined)));
  }

  async #ping(): Promise<string | undefined> {
    try {
      await this.#pool.query('SELECT 1');
      this.#checkedAt = Date.now();
      if (this.#failure !== undefined) this.#recover();
    } catch (error) {
      this.#checkedAt = Date.now();
      this.#failure = unavailableDiagnostic(error);
      this.#scheduleRetry();
    }
    return this.#failure;
  }

  #scheduleRetry(): void {
    if (this.#retry || this.#closed) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      if (this.#failure !== undefined && !this.#closed) this.#pingOnce().catch(() => undefined); // #ping never rejects
    }, this.#cacheMs);
    // A process that is otherwise done does not stay up for the retry.
    this.#retry.unref();
  }

  #recover(): void {
    this.#failure = undefined;
    for (const listener of this.#recovered) {
      try {
        listener();
      } catch {
        // A listener's trouble is its own; the others are still told.
      }
    }
  }
}
