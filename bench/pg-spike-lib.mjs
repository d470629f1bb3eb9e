/**
 * What bench/pg-spike.mjs measures against, kept apart from the measurements: the schema the design
 * proposes (docs/design/shared-store.md), a deposit's records in that schema, timing loops and their
 * summaries. Everything lives in a throw-away schema that the spike drops at the end.
 */
import pg from 'pg';

export const SECONDS = Number(process.env.BENCH_PG_SECONDS ?? 2);
/**
 * BENCH_PG_SYNC: the sessions' synchronous_commit. 'on' (PostgreSQL's default): COMMIT returns after the
 * WAL is flushed, like the file store's durability 'fsync'. 'off': COMMIT returns once the server has the
 * change (a replica's kill -9 loses nothing; a crash of the database server loses its last ~0.6 s), like
 * the file store's default 'write'.
 */
export const SYNC = process.env.BENCH_PG_SYNC ?? 'on';

/** The proposed layout: one table of records (text JSON, key order kept), counters, jobs; plus a column-per-field pair for comparison. */
export function schemaSql(schema) {
  return `
DROP SCHEMA IF EXISTS ${schema} CASCADE;
CREATE SCHEMA ${schema};
SET search_path TO ${schema};
CREATE SEQUENCE record_pos;
CREATE TABLE records (
  collection text NOT NULL,
  tenant_id text NOT NULL,
  id text NOT NULL,
  pos bigint NOT NULL DEFAULT nextval('record_pos'),
  data json NOT NULL,
  PRIMARY KEY (collection, tenant_id, id)
);
CREATE INDEX records_order ON records (collection, tenant_id, pos);
CREATE TABLE counters (name text PRIMARY KEY, value bigint NOT NULL);
CREATE TABLE jobs (seq bigint PRIMARY KEY, due_at bigint NOT NULL, type text NOT NULL, payload json NOT NULL);
CREATE INDEX jobs_due ON jobs (due_at, seq);
-- column-per-field comparison: a card, an account, operate records and ledger movements
CREATE TABLE c_cards (id bigint PRIMARY KEY, tenant_id text NOT NULL, balance bigint NOT NULL, status text NOT NULL);
CREATE TABLE c_accounts (id text PRIMARY KEY, balance bigint NOT NULL);
CREATE TABLE c_records (id bigserial PRIMARY KEY, card_id bigint NOT NULL, amount bigint NOT NULL, status text NOT NULL, at bigint NOT NULL);
CREATE TABLE c_movements (id bigserial PRIMARY KEY, ref bigint NOT NULL, account text NOT NULL, amount bigint NOT NULL);
CREATE FUNCTION c_deposit(p_card bigint, p_amount bigint, p_at bigint) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE r bigint; s text;
BEGIN
  SELECT status INTO s FROM c_cards WHERE id = p_card FOR UPDATE;
  IF s IS DISTINCT FROM 'ACTIVE' THEN RAISE EXCEPTION 'card % not active', p_card; END IF;
  PERFORM 1 FROM c_accounts WHERE id = 'merchant' FOR UPDATE;
  INSERT INTO c_records (card_id, amount, status, at) VALUES (p_card, p_amount, 'P', p_at) RETURNING id INTO r;
  INSERT INTO c_movements (ref, account, amount) VALUES (r, 'merchant', -p_amount), (r, 'card', p_amount);
  UPDATE c_accounts SET balance = balance - p_amount WHERE id = 'merchant';
  UPDATE c_cards SET balance = balance + p_amount WHERE id = p_card;
  RETURN r;
END $$;
`;
}

export async function connect(url, schema) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`SET synchronous_commit = ${SYNC === 'off' ? 'off' : 'on'}`);
  if (schema) await client.query(`SET search_path TO ${schema}`);
  return client;
}

/** Runs `fn` in a loop for `seconds`; returns per-call latencies (ms) and the rate. */
export async function timed(fn, seconds = SECONDS) {
  const lat = [];
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  while (performance.now() < end) {
    const t = performance.now();
    await fn(lat.length);
    lat.push(performance.now() - t);
  }
  return summary(lat, performance.now() - start);
}

/** `clients` loops in parallel (each with its own client from `clients`), for `seconds`. */
export async function timedParallel(clients, fn, seconds = SECONDS) {
  const lat = [];
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    clients.map(async (client, k) => {
      let i = 0;
      while (performance.now() < end) {
        const t = performance.now();
        await fn(client, k, i++);
        lat.push(performance.now() - t);
      }
    }),
  );
  return summary(lat, performance.now() - start);
}

function summary(lat, wallMs) {
  const sorted = [...lat].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return {
    n: lat.length,
    perSec: Math.round((lat.length / wallMs) * 1000),
    meanMs: round(lat.reduce((s, x) => s + x, 0) / lat.length),
    p50Ms: round(at(0.5)),
    p99Ms: round(at(0.99)),
  };
}

export const round = (x, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/** SQL literal of a string (for the one-round-trip simple-protocol form, which takes no parameters). */
export const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;

/**
 * One Onerway deposit as the sandbox writes it today (measured on the in-memory store: 11 records,
 * about 1.6 KB of JSON): 4 global counters, the operate record, a ledger entry, 4 accounts, the
 * idempotency answer. Reads: the tenant, the idempotency key (twice), card, product, 4 accounts, 4 counters.
 */
export function depositKeys(tenant, card) {
  return [
    ['_tenants', tenant, tenant],
    ['_idempotency', tenant, 'k'],
    ['_idempotency_keys', tenant, 'k'],
    ['onerway.cards', tenant, String(card)],
    ['onerway.products', tenant, '1'],
    ['_accounts', tenant, 'merchant:USD'],
    ['_accounts', tenant, 'transit:USD'],
    ['_accounts', tenant, `card:${card}`],
    ['_accounts', tenant, 'fees:USD'],
  ];
}

export const COUNTER_NAMES = ['onerway.operateRecordId', '_entries', 'onerway.eventId', '_webhook_deliveries'];

export function depositWrites(tenant, card, n, balances) {
  const pad = 'x'.repeat(60);
  return [
    [
      'onerway.operateRecords',
      tenant,
      `r${card}_${n}`,
      {
        id: `r${card}_${n}`,
        tenantId: tenant,
        cardId: card,
        type: 'DEPOSIT',
        amount: '10.00',
        currency: 'USD',
        status: 'P',
        clientRequestId: `d${card}_${n}`,
        createdAt: n,
        note: pad,
      },
    ],
    [
      '_entries',
      tenant,
      `ent_${card}_${n}`,
      {
        id: `ent_${card}_${n}`,
        tenantId: tenant,
        kind: 'deposit',
        ref: `r${card}_${n}`,
        at: n,
        legs: [
          { account: 'merchant:USD', amount: -1010 },
          { account: `card:${card}`, amount: 1000 },
          { account: 'fees:USD', amount: 10 },
        ],
      },
    ],
    ['_accounts', tenant, 'merchant:USD', { id: 'merchant:USD', tenantId: tenant, currency: 'USD', balance: balances.merchant, held: 0 }],
    ['_accounts', tenant, 'transit:USD', { id: 'transit:USD', tenantId: tenant, currency: 'USD', balance: 0, held: 0 }],
    ['_accounts', tenant, `card:${card}`, { id: `card:${card}`, tenantId: tenant, currency: 'USD', balance: balances.card, held: 0 }],
    ['_accounts', tenant, 'fees:USD', { id: 'fees:USD', tenantId: tenant, currency: 'USD', balance: balances.fees, held: 0 }],
    [
      '_idempotency',
      tenant,
      `d${card}_${n}`,
      {
        id: `d${card}_${n}`,
        tenantId: tenant,
        fingerprint: 'AAAAAAAAAAAAAAAAAAAAAA',
        body: `{"respCode":"20000","respMsg":"success","data":{"operateRecordId":${n}},"pad":"${pad}${pad}${pad}${pad}${pad}"}`,
        at: n,
      },
    ],
  ];
}

/**
 * The read of a request's working set: one statement for every key it needs, one primary-key probe per
 * key once the table is large (EXPLAIN ANALYZE at 200k records: a nested loop over records_pkey, 0.06 ms
 * for 9 keys; a small table gets a hash join over a scan, which is cheaper there).
 */
export const READ_SQL = `SELECT r.collection, r.tenant_id, r.id, r.data::text AS data
  FROM unnest($1::text[], $2::text[], $3::text[]) AS k(c, t, i)
  CROSS JOIN LATERAL (SELECT * FROM records WHERE collection = k.c AND tenant_id = k.t AND id = k.i) AS r`;

/** The commit of a working set's writes: one upsert of every record (insertion order kept on update), counters set. */
export const WRITE_SQL = `INSERT INTO records (collection, tenant_id, id, data)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::json[])
  ON CONFLICT (collection, tenant_id, id) DO UPDATE SET data = excluded.data`;

export function columns(rows) {
  return [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), ...(rows[0]?.length > 3 ? [rows.map((r) => JSON.stringify(r[3]))] : [])];
}
