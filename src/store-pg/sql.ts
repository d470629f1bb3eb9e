/**
 * The PostgreSQL store's statements. Advisory lock keys are 64-bit hashes of a name: a collision between
 * two tenants only serialises them, and the order global → tenant → sequences is fixed, so no deadlock.
 */
import { bounds, conditions, fieldConditions, type Match, type RecordQuery } from '../core/record-query.js';

export const GLOBAL_LOCK = 'card-sandbox:global';
/** Taken by a transaction at its first read of a record of the global tenant (the counters, the jobs). */
export const SEQUENCES_LOCK = 'card-sandbox:sequences';

export const tenantLock = (tenantId: string): string => `card-sandbox:tenant:${tenantId}`;

export const LOCK = 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))';

/**
 * Statements the transactions' trips run by SQL `EXECUTE`, values as arrays: each connection `PREPARE`s
 * them in the first trip that needs them (the PREPAREs ride in that trip), so PostgreSQL parses and plans
 * each once per connection instead of once per trip. The simple protocol, which carries several
 * statements in one trip, has no protocol-level prepared statements; SQL-level ones work in it. A prepared
 * statement outlives a rolled-back transaction; a connection whose trip failed is dropped, and its
 * statements with it.
 */
export interface Prepared {
  readonly name: string;
  readonly prepare: string;
}

/**
 * The locks of a scope, in the order given: the global lock exclusively (GLOBAL), or shared and then the
 * tenant's, then the `sequences` lock where asked. Taken in that order: the locks are volatile calls in
 * the output list, which PostgreSQL evaluates after ORDER BY. Each row also carries the transaction's id
 * (`xid`): should the answer to its COMMIT be lost with the connection, `XACT_STATUS` tells whether it took.
 */
export const LOCKS: Prepared = {
  name: 'card_sandbox_locks',
  prepare: `PREPARE card_sandbox_locks (text[], boolean[]) AS SELECT CASE WHEN l.s THEN pg_advisory_xact_lock_shared(hashtextextended(l.k, 0))
  ELSE pg_advisory_xact_lock(hashtextextended(l.k, 0)) END AS locked, pg_current_xact_id()::text AS xid
  FROM unnest($1, $2) WITH ORDINALITY AS l (k, s, n) ORDER BY l.n`,
};

/** Whether the transaction $1 (an `xid` of LOCKS) committed: 'committed', 'aborted' or 'in progress'. */
export const XACT_STATUS = 'SELECT pg_xact_status($1::xid8) AS status';

/**
 * Records by key, one lookup per key (a lateral subquery the planner cannot turn into a scan): planned
 * and run in about 60 % of the time of `(collection, tenant_id, id) IN (…)`, whose OR of keys is planned
 * arm by arm (13 keys: 0.34 against 0.58 ms a round trip). The keys come as three arrays (collections,
 * tenants, ids).
 */
export const GET_MANY: Prepared = {
  name: 'card_sandbox_get_many',
  prepare: `PREPARE card_sandbox_get_many (text[], text[], text[]) AS SELECT r.collection, r.tenant_id, r.id, r.data FROM unnest($1, $2, $3) AS k (c, t, i)
  CROSS JOIN LATERAL (SELECT collection, tenant_id, id, data FROM records WHERE collection = k.c AND tenant_id = k.t AND id = k.i LIMIT 1) r`,
};

/** Upserts records given as four arrays (collections, tenants, ids, JSON texts); new ones take their positions in the arrays' order. */
export const PUT_MANY: Prepared = {
  name: 'card_sandbox_put_many',
  prepare: `PREPARE card_sandbox_put_many (text[], text[], text[], text[]) AS INSERT INTO records (collection, tenant_id, id, data)
  SELECT u.c, u.t, u.i, u.d::json FROM unnest($1, $2, $3, $4) WITH ORDINALITY AS u (c, t, i, d, n) ORDER BY u.n
  ON CONFLICT (collection, tenant_id, id) DO UPDATE SET data = excluded.data`,
};

/** What a transaction's trips EXECUTE. */
export const TRANSACTION_STATEMENTS: readonly Prepared[] = [LOCKS, GET_MANY, PUT_MANY];

const preparedOn = new WeakMap<object, Set<string>>();

/**
 * The PREPAREs `connection` still needs for `statements`, and `done`, to call once the trip that
 * carried them succeeded.
 */
export function preparing(connection: object, statements: readonly Prepared[]): { prepares: string[]; done: () => void } {
  const known = preparedOn.get(connection);
  const missing = statements.filter((s) => !known?.has(s.name));
  return {
    prepares: missing.map((s) => s.prepare),
    done: () => {
      if (missing.length === 0) return;
      let set = preparedOn.get(connection);
      if (!set) preparedOn.set(connection, (set = new Set()));
      for (const s of missing) set.add(s.name);
    },
  };
}

/** `values` (escaped literals) as one SQL array of `type`. */
function array(values: readonly string[], type: string): string {
  return `ARRAY[${values.join(', ')}]::${type}[]`;
}

/** EXECUTEs `statement` with `arrays` (each from `array`). */
function execute(statement: Prepared, arrays: readonly string[]): string {
  return `EXECUTE ${statement.name}(${arrays.join(', ')})`;
}

/**
 * BEGIN, a generic plan for the statements of this transaction (an array's length is unknown to it, and
 * with its own plan each time a statement would be planned on every run), and the locks of a scope: the
 * global lock exclusively (GLOBAL), or shared and then the tenant's (`tenantLiteral`, escaped), then the
 * `sequences` lock where asked.
 */
export function begin(tenantLiteral: string | undefined, sequences = false): string[] {
  const locks: Array<[shared: boolean, key: string]> =
    tenantLiteral === undefined
      ? [[false, `'${GLOBAL_LOCK}'`]]
      : [
          [true, `'${GLOBAL_LOCK}'`],
          [false, tenantLiteral],
        ];
  if (sequences) locks.push([false, `'${SEQUENCES_LOCK}'`]);
  return [
    'BEGIN',
    'SET LOCAL plan_cache_mode = force_generic_plan',
    execute(LOCKS, [
      array(
        locks.map(([, key]) => key),
        'text',
      ),
      array(
        locks.map(([shared]) => String(shared)),
        'boolean',
      ),
    ]),
  ];
}

/** Records by key (GET_MANY); each key is three escaped literals (collection, tenant, id). */
export function getMany(keys: ReadonlyArray<readonly [string, string, string]>): string {
  return execute(
    GET_MANY,
    [0, 1, 2].map((n) =>
      array(
        keys.map((k) => k[n]!),
        'text',
      ),
    ),
  );
}

export const GET = 'SELECT data FROM records WHERE collection = $1 AND tenant_id = $2 AND id = $3';
export const LIST = 'SELECT data FROM records WHERE collection = $1 AND tenant_id = $2 ORDER BY pos';
/**
 * A page of a tenant's collection after position $3, in insertion order (PgStore#scan); with $5 (pieces
 * of JSON text), only records whose text holds one of them. The stored text is what JSON.stringify wrote,
 * so a record that holds a value holds its JSON text.
 */
export const SCAN = `SELECT pos, data FROM records WHERE collection = $1 AND tenant_id = $2 AND pos > $3
  AND ($5::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($5::text[]) AS m (t) WHERE strpos(data::text, m.t) > 0)) ORDER BY pos LIMIT $4`;
/** Every tenant's records, tenant by tenant (in the order each tenant's first record was written), then in insertion order. */
export const LIST_ALL = 'SELECT data FROM records WHERE collection = $1 ORDER BY min(pos) OVER (PARTITION BY tenant_id), pos';

/**
 * A page of a tenant's collection and its count (Transaction#page), as two simple-protocol statements
 * with literal values: the page (`data`), then the count (`total`). The fields the query looks at are
 * read in one pass over each record's text (`json_to_record`, each as `json`) and compared as JSON text
 * with the value's `JSON.stringify`, which is how the store writes records: `===` of a string, number or
 * boolean, with no cast that a record of another shape could fail. A page in insertion order walks
 * `records_order`; one ordered by fields sorts the matches (the top of them).
 */
export function pageStatements(collection: string, tenantId: string, query: RecordQuery, icu = true): string {
  const where = conditions(query);
  const order = query.order ?? [];
  const fields = [...new Set([...where.map(([field]) => field), ...order.map((k) => k.field)])];
  const from = fields.length === 0 ? 'records r' : `records r, json_to_record(r.data) AS x(${fields.map((field) => `${identifier(field)} json`).join(', ')})`;
  const filter = [
    `r.collection = ${literal(collection)}`,
    `r.tenant_id = ${literal(tenantId)}`,
    ...where.map(([field, match]) => condition(`x.${identifier(field)}`, match, icu)),
  ].join(' AND ');
  const sort = [...order.flatMap((key) => sortKey(`x.${identifier(key.field)}`, key.descending === true)), `r.pos ${query.newestFirst ? 'DESC' : 'ASC'}`];
  const { offset, limit: most } = bounds(query);
  const limit = most === Infinity ? 'ALL' : most;
  return `SELECT r.data FROM ${from} WHERE ${filter} ORDER BY ${sort.join(', ')} LIMIT ${limit} OFFSET ${offset}; SELECT count(*) AS total FROM ${from} WHERE ${filter}`;
}

/**
 * A SortKey (record-query.ts) in SQL: the numbers by value, then the strings, then the rest (NULLS
 * LAST both ways). Strings compare byte by byte (`COLLATE "C"`: code points), which is JavaScript's
 * UTF-16 order except between characters beyond U+FFFF and those from U+E000.
 */
function sortKey(field: string, descending: boolean): string[] {
  const direction = descending ? 'DESC' : 'ASC';
  return [
    `(CASE WHEN json_typeof(${field}) = 'number' THEN ${field}::text::numeric END) ${direction} NULLS LAST`,
    `(CASE WHEN json_typeof(${field}) = 'string' THEN ${field} #>> '{}' END) COLLATE "C" ${direction} NULLS LAST`,
  ];
}

/**
 * `meets` (record-query.ts) in SQL, over a field read as `json`. `icu`: the server has ICU's root
 * collation (`und-x-icu`, HAS_ICU), whose lowercasing is JavaScript's; without it `caseless` folds as
 * the database's own locale does (the C locale: ASCII letters only).
 */
function condition(field: string, match: Match, icu: boolean): string {
  const text = `${field}::text`;
  if (typeof match !== 'object') return `${text} = ${literal(JSON.stringify(match))}`;
  if ('in' in match) return match.in.length === 0 ? 'false' : `${text} IN (${match.in.map((v) => literal(JSON.stringify(v))).join(', ')})`;
  // A nested field is read with `->`, NULL where the value is not an object or has no such field: no match.
  if ('fields' in match) {
    const inner = fieldConditions(match.fields).map(([name, m]) => condition(`(${field} -> ${literal(name)})`, m, icu));
    return `(json_typeof(${field}) = 'object'${inner.map((c) => ` AND ${c}`).join('')})`;
  }
  // ICU's root-locale lowercasing is JavaScript's toLowerCase (final sigma, dotted I); libc's C locale folds ASCII only.
  if ('caseless' in match) {
    const collate = icu ? ' COLLATE "und-x-icu"' : '';
    return `(json_typeof(${field}) = 'string' AND lower(${field} #>> '{}'${collate}) = lower(${literal(match.caseless)}${collate}))`;
  }
  const number = `(CASE WHEN json_typeof(${field}) = 'number' THEN ${text}::numeric END)`;
  const bounds = [`${number} IS NOT NULL`];
  if (match.from !== undefined) bounds.push(bound(number, '>=', match.from));
  if (match.to !== undefined) bounds.push(bound(number, '<=', match.to));
  return `(${bounds.join(' AND ')})`;
}

/** `value op n` as JavaScript compares a finite number with `n` (an infinite bound is open or shut; NaN shuts). */
function bound(value: string, op: '>=' | '<=', n: number): string {
  if (Number.isNaN(n)) return 'false';
  if (!Number.isFinite(n)) return (op === '>=') === n < 0 ? 'true' : 'false';
  return `${value} ${op} ${String(n)}`;
}

/** `name` as an SQL identifier (pg's escapeIdentifier). */
function identifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Whether the server has ICU's root collation (pageStatements' `icu`): a build without ICU has not. */
export const HAS_ICU = "SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu') AS icu";

export const DELETE_ALL = 'DELETE FROM records';

export const STATE = 'SELECT key, value, generation FROM sandbox_state';
/** STATE as a prepared statement (named: parsed and planned once per connection), for the read before every request. */
export const STATE_PREPARED = { name: 'card-sandbox:state', text: STATE } as const;
export const STATE_GENERATION = 'SELECT generation FROM sandbox_state WHERE key = $1';
/** Writes a shared value (the clock, the fault rules) and answers its new generation. */
export const PUBLISH = `INSERT INTO sandbox_state (key, value, generation) VALUES ($1, $2::json, 1)
  ON CONFLICT (key) DO UPDATE SET value = excluded.value, generation = sandbox_state.generation + 1 RETURNING generation`;
/**
 * Takes one use of the fault rule $1 (one with `times`) from the shared rules, in one statement: the
 * row is locked, the rule's `remaining` goes down by one, and the rule goes with its last use. No row
 * comes back when the rule has none left (another replica used it, or it was removed).
 */
export const USE_RULE = `WITH cur AS (SELECT value::jsonb AS v FROM sandbox_state WHERE key = 'faults' FOR UPDATE),
  pos AS (SELECT a.o - 1 AS i, (a.e->>'remaining')::int AS remaining
    FROM cur, jsonb_array_elements(cur.v->'rules') WITH ORDINALITY AS a (e, o) WHERE a.e->'rule'->>'id' = $1),
  next AS (SELECT CASE WHEN pos.remaining <= 1 THEN cur.v #- ARRAY['rules', pos.i::text]
      ELSE jsonb_set(cur.v, ARRAY['rules', pos.i::text, 'remaining'], to_jsonb(pos.remaining - 1)) END AS v
    FROM cur, pos WHERE pos.remaining >= 1)
  UPDATE sandbox_state s SET value = next.v::json, generation = s.generation + 1 FROM next WHERE s.key = 'faults'
  RETURNING s.value, s.generation`;
/** A job's lease for this replica: taken when nobody holds it or the holder's has run out. */
export const LEASE = `INSERT INTO job_leases (job_id, replica, until) VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond')
  ON CONFLICT (job_id) DO UPDATE SET replica = excluded.replica, until = excluded.until
  WHERE job_leases.until < clock_timestamp() OR job_leases.replica = excluded.replica RETURNING job_id`;
export const RELEASE = 'DELETE FROM job_leases WHERE job_id = $1 AND replica = $2';
/** Whether someone holds the job's lease now. */
export const LEASE_HELD = 'SELECT until > clock_timestamp() AS held FROM job_leases WHERE job_id = $1';

/**
 * `value` as an SQL string literal: the text pg's `escapeLiteral` gives (quotes doubled; with a
 * backslash, an E'' literal with backslashes doubled), built with two native replacements instead of a
 * character-by-character concatenation (a batch's records are tens of kilobytes of JSON text).
 */
export function literal(value: string): string {
  const quoted = value.replaceAll("'", "''");
  return value.includes('\\') ? ` E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted}'`;
}

/**
 * A batch's writes and COMMIT, as simple-protocol trips (values as escaped literals): a clear-all, the
 * deletes, the puts in order (PUT_MANY: new records get their positions in it; an update keeps its
 * record's place), then the generations of
 * the shared collections it touched (RETURNING, the second result from the end of the last trip) and
 * COMMIT. One trip when the batch writes at most `slice` rows; else a statement of at most `slice` rows
 * per trip, and the generations with COMMIT last.
 */
export function writeTrips(
  writes: {
    clearsAll: boolean;
    deletes: ReadonlyArray<{ c: string; t: string; id: string }>;
    puts: ReadonlyArray<{ c: string; v: { tenantId: string; id: string } }>;
  },
  generations: readonly string[],
  lit: (value: string) => string,
  slice: number,
): string[] {
  const rows: string[] = [];
  if (writes.clearsAll) rows.push(DELETE_ALL);
  for (let i = 0; i < writes.deletes.length; i += slice) {
    const deletes = writes.deletes.slice(i, i + slice);
    rows.push(`DELETE FROM records WHERE (collection, tenant_id, id) IN (${deletes.map((d) => `(${lit(d.c)}, ${lit(d.t)}, ${lit(d.id)})`).join(', ')})`);
  }
  for (let i = 0; i < writes.puts.length; i += slice) {
    const puts = writes.puts.slice(i, i + slice);
    const columns = [puts.map((p) => lit(p.c)), puts.map((p) => lit(p.v.tenantId)), puts.map((p) => lit(p.v.id)), puts.map((p) => lit(JSON.stringify(p.v)))];
    rows.push(
      execute(
        PUT_MANY,
        columns.map((c) => array(c, 'text')),
      ),
    );
  }
  const end: string[] = [];
  if (generations.length > 0) {
    end.push(
      `INSERT INTO sandbox_state (key, value, generation) VALUES ${generations.map((g) => `(${lit(g)}, 'null', 1)`).join(', ')} ON CONFLICT (key) DO UPDATE SET generation = sandbox_state.generation + 1 RETURNING key, generation`,
    );
  }
  end.push('COMMIT');
  if (writes.deletes.length + writes.puts.length <= slice) return [[...rows, ...end].join('; ')];
  return [...rows, end.join('; ')];
}
