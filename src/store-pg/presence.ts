/**
 * Whether a replica is alone on its database (docs/design/shared-store.md §5.5). Replicas read the shared
 * state (`sandbox_state`) before every request so that a change another replica answered is seen; a
 * replica that is alone has no one else's change to see, and skips that read (a round trip on every
 * request's path: a fifth of a lone replica's deposits per second).
 *
 * Each replica holds a connection of its own that LISTENs on JOINED and holds the shared session lock
 * PRESENCE (released by the server when the connection ends, however the replica ends). To join, a
 * replica listens, takes the lock, counts the other holders, and notifies JOINED; every replica that
 * receives the notification stops being alone and answers on ACKED; the joining replica waits for the
 * answers of those it counted (at most ACK_WAIT_MS) before it serves anything. So by the time a
 * newcomer can answer a change, every other replica reads the shared state before each request again.
 *
 * A replica is alone only while its connection is up and it counted no other holder at its last join.
 * When the connection drops (the database restarts), the replica is not alone until it has joined again
 * (another replica may have started meanwhile, counting none); `ready()` joins again first, and every
 * change this replica publishes waits for it.
 */
import pg from 'pg';
import type { Logger } from 'pino';

export const PRESENCE_LOCK = 'card-sandbox:presence';
export const JOINED = 'card_sandbox_joined';
export const ACKED = 'card_sandbox_acked';
/** How long a joining replica waits for the others' answers (one that does not answer is away or dying, and not alone either). */
const ACK_WAIT_MS = 5000;
/** How long connecting, and each statement of the join, may take. */
const JOIN_TIMEOUT_MS = 2000;
/** How long closing waits for the server to end the presence connection. */
const CLOSE_WAIT_MS = 1000;
/** After the connection drops, how often joining again is tried. */
const RETRY_MS = 1000;

/** The other holders of the presence lock on this database (pg_locks lists every database's; a bigint key is two 32-bit halves). */
const OTHER_HOLDERS = `SELECT count(*)::int AS n FROM pg_locks l, (SELECT hashtextextended('${PRESENCE_LOCK}', 0) AS k) p
  WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.pid <> pg_backend_pid()
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND l.classid::bigint = (p.k >> 32) & 4294967295 AND l.objid::bigint = p.k & 4294967295`;

export class Presence {
  readonly #url: string;
  readonly #id: string;
  readonly #log: Logger;
  #client?: pg.Client;
  /** The connection of a join in progress (not yet `#client`): ended by `close`. */
  #pending?: pg.Client;
  #alone = false;
  #joining?: Promise<void>;
  #retry?: NodeJS.Timeout;
  #closed = false;
  /** The joiner whose answers this replica waits for: id → the answers still missing and what to call when none is. */
  #waiting?: { joiner: string; missing: number; done: () => void };

  constructor(url: string, id: string, log: Logger) {
    this.#url = url;
    this.#id = id;
    this.#log = log;
  }

  /** Whether no other replica is on the database: the per-request read of the shared state may be skipped. */
  get alone(): boolean {
    return this.#alone;
  }

  /** Joins (again) if this replica is not joined now; resolves once it is, or once joining failed (then not alone). */
  ready(): Promise<void> {
    if (this.#client || this.#closed) return Promise.resolve();
    this.#joining ??= this.#join().finally(() => (this.#joining = undefined));
    return this.#joining;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#alone = false;
    clearTimeout(this.#retry);
    // A join in progress would otherwise hold the presence lock after the close, for as long as it waits
    // for answers: the next replica would count it. Its connection ends now, and its wait with it.
    this.#pending?.end().catch(() => undefined);
    this.#waiting?.done();
    await this.#joining?.catch(() => undefined);
    const client = this.#client;
    this.#client = undefined;
    if (!client) return;
    // A server that does not answer (a paused host) must not hold the replica's close: a second, then the socket goes.
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      client.end().then(
        () => true,
        () => true,
      ),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_WAIT_MS))),
    ]);
    clearTimeout(timer);
    if (!ended) (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  }

  async #join(): Promise<void> {
    // A host that does not answer fails the join in seconds (and the replica reads the shared state meanwhile), not never.
    const client = new pg.Client({
      connectionString: this.#url,
      application_name: 'card-sandbox presence',
      connectionTimeoutMillis: JOIN_TIMEOUT_MS,
      query_timeout: JOIN_TIMEOUT_MS,
    });
    client.on('error', () => this.#lost(client));
    client.on('end', () => this.#lost(client));
    this.#pending = client;
    // Another replica's arrival is heard (and answered) on this connection from the moment it listens, joined or not.
    let heard = false;
    client.on('notification', (n) => {
      if (n.channel === JOINED && n.payload !== this.#id) {
        heard = true;
        this.#alone = false;
        client.query('SELECT pg_notify($1, $2)', [ACKED, n.payload ?? '']).catch(() => undefined);
      } else if (n.channel === ACKED && this.#waiting && n.payload === this.#waiting.joiner) {
        if (--this.#waiting.missing <= 0) this.#waiting.done();
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${JOINED}; LISTEN ${ACKED}`);
      await client.query('SELECT pg_advisory_lock_shared(hashtextextended($1, 0))', [PRESENCE_LOCK]);
      const others = (await client.query<{ n: number }>(OTHER_HOLDERS)).rows[0]!.n;
      const answered = new Promise<void>((resolve) => {
        if (others === 0) resolve();
        else this.#waiting = { joiner: this.#id, missing: others, done: resolve };
      });
      await client.query('SELECT pg_notify($1, $2)', [JOINED, this.#id]);
      let timer: NodeJS.Timeout | undefined;
      const inTime = await Promise.race([
        answered.then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ACK_WAIT_MS))),
      ]);
      clearTimeout(timer);
      this.#waiting = undefined;
      if (!inTime)
        this.#log.warn(
          { replicas: others },
          'presence: not every other replica answered this one’s arrival in time; it goes on (those are away, and read the shared state before every request when back)',
        );
      if (this.#closed) {
        await client.end().catch(() => undefined);
        return;
      }
      this.#client = client;
      // Alone only if no one else held the lock when this one counted, and no one arrived since.
      this.#alone = others === 0 && !heard;
    } catch (error) {
      this.#waiting = undefined;
      this.#alone = false;
      await client.end().catch(() => undefined);
      if (!this.#closed) this.#log.debug({ err: error }, 'presence: cannot join; this replica reads the shared state before every request meanwhile');
      this.#scheduleRetry();
    } finally {
      if (this.#pending === client) this.#pending = undefined;
    }
  }

  #lost(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#alone = false;
    if (!this.#closed) this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#closed || this.#retry) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.ready().catch(() => undefined);
    }, RETRY_MS);
    this.#retry.unref();
  }
}
