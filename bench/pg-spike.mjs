/**
 * `node bench/pg-spike.mjs`: what the PostgreSQL store's building blocks cost on this machine, for the
 * design in docs/design/shared-store.md. Not part of `npm run bench`; each measurement runs for
 * BENCH_PG_SECONDS (default 2) against the database at SANDBOX_TEST_PG (start one with `.ci/postgres`),
 * in a schema of its own that is dropped at the end. Prints one table (markdown) and the figures as JSON.
 * BENCH_PG_SYNC=off runs every session with synchronous_commit off (the file store's durability 'write';
 * see pg-spike-lib.mjs); the default is PostgreSQL's own, on.
 *
 *   round trip           SELECT 1, and a parameterised SELECT of one record by key
 *   deposit, columns     a deposit's statements one at a time (8 round trips), as one multi-statement
 *                        round trip, and as a stored function
 *   deposit, records     the sandbox's own shape (9 records read, 7 written, 4 global counters) in one
 *                        transaction: 4 parameterised round trips, or 2 (read / write, simple protocol)
 *   contention           3 clients at once: one card under a per-tenant advisory lock, one card under
 *                        SERIALIZABLE with retries, 3 cards of one tenant, 3 tenants sharing the counters
 *   jobs                 3 clients claiming 3,000 due jobs with FOR UPDATE SKIP LOCKED (each must be
 *                        claimed exactly once), and a lease claim (UPDATE … RETURNING) for webhook attempts
 *   notify               LISTEN/NOTIFY latency, one notification at a time
 *   key order            whether json and jsonb keep a record's key order (snapshots must round-trip)
 */
import {
  COUNTER_NAMES,
  SYNC,
  READ_SQL,
  WRITE_SQL,
  columns,
  connect,
  depositKeys,
  depositWrites,
  lit,
  round,
  schemaSql,
  timed,
  timedParallel,
} from './pg-spike-lib.mjs';

const URL = process.env.SANDBOX_TEST_PG;
if (!URL) {
  console.error('SANDBOX_TEST_PG is not set: start a throw-away cluster with `eval "$(.ci/postgres)"` first');
  process.exit(2);
}
const SCHEMA = `spike_${process.pid}`;
const rows = [];
const add = (name, result, note = '') => {
  rows.push({ name, ...result, note });
  console.error(`${name}: ${JSON.stringify(result)} ${note}`);
};

const main = await connect(URL);
const version = (await main.query('SHOW server_version')).rows[0].server_version;
await main.query(schemaSql(SCHEMA));
await main.query(`SET search_path TO ${SCHEMA}`);

// ---- round trips ------------------------------------------------------------------------------
add('round trip: SELECT 1', await timed(() => main.query('SELECT 1')));
await main.query(`INSERT INTO records (collection, tenant_id, id, data) VALUES ('onerway.cards', 't', '1', '{"id":"1"}')`);
add(
  'round trip: SELECT a record by key ($1..$3)',
  await timed(() => main.query('SELECT data::text FROM records WHERE collection = $1 AND tenant_id = $2 AND id = $3', ['onerway.cards', 't', '1'])),
);

// ---- a deposit, one column per field ----------------------------------------------------------
await main.query(`INSERT INTO c_cards VALUES (1, 't', 0, 'ACTIVE'); INSERT INTO c_accounts VALUES ('merchant', 1000000000000)`);
add(
  'deposit, columns: 8 statements, one round trip each',
  await timed(async (n) => {
    await main.query('BEGIN');
    const card = await main.query('SELECT status FROM c_cards WHERE id = $1 FOR UPDATE', [1]);
    if (card.rows[0].status !== 'ACTIVE') throw new Error('card');
    await main.query('SELECT balance FROM c_accounts WHERE id = $1 FOR UPDATE', ['merchant']);
    const r = await main.query(`INSERT INTO c_records (card_id, amount, status, at) VALUES ($1, $2, 'P', $3) RETURNING id`, [1, 1000, n]);
    await main.query(`INSERT INTO c_movements (ref, account, amount) VALUES ($1, 'merchant', $2), ($1, 'card', $3)`, [r.rows[0].id, -1000, 1000]);
    await main.query('UPDATE c_accounts SET balance = balance - $1 WHERE id = $2', [1000, 'merchant']);
    await main.query('UPDATE c_cards SET balance = balance + $1 WHERE id = $2', [1000, 1]);
    await main.query('COMMIT');
  }),
);
add(
  'deposit, columns: one multi-statement round trip',
  await timed((n) =>
    main.query(`BEGIN;
SELECT status FROM c_cards WHERE id = 1 FOR UPDATE;
SELECT balance FROM c_accounts WHERE id = 'merchant' FOR UPDATE;
WITH r AS (INSERT INTO c_records (card_id, amount, status, at) VALUES (1, 1000, 'P', ${n}) RETURNING id)
INSERT INTO c_movements (ref, account, amount) SELECT id, a, v FROM r, (VALUES ('merchant', -1000), ('card', 1000)) AS m(a, v);
UPDATE c_accounts SET balance = balance - 1000 WHERE id = 'merchant';
UPDATE c_cards SET balance = balance + 1000 WHERE id = 1;
COMMIT`),
  ),
  'no decision between the reads and the writes',
);
add('deposit, columns: stored function (one round trip)', await timed((n) => main.query('SELECT c_deposit($1, $2, $3)', [1, 1000, n])));

// ---- a deposit in the sandbox's shape ----------------------------------------------------------
const TENANT = 'onerway-default';
await seedTenant(main, TENANT, [1, 2, 3]);
await main.query(`INSERT INTO counters SELECT unnest($1::text[]), 0`, [COUNTER_NAMES]);

/** A deposit as design C runs it: lock, read the working set (counters locked), decide, write, commit. */
async function depositParams(client, tenant, card, n, { lock = true, iso = '' } = {}) {
  await client.query(`BEGIN${iso}`);
  if (lock) await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [tenant]);
  const keys = depositKeys(tenant, card);
  const read = await client.query(READ_SQL, columns(keys));
  const counters = await client.query('SELECT name, value FROM counters WHERE name = ANY($1) ORDER BY name FOR UPDATE', [COUNTER_NAMES]);
  const card_ = JSON.parse(read.rows.find((r) => r.collection === '_accounts' && r.id === `card:${card}`).data);
  const merchant = JSON.parse(read.rows.find((r) => r.collection === '_accounts' && r.id === 'merchant:USD').data);
  const writes = depositWrites(tenant, card, `${counters.rows[0].value}_${n}`, { merchant: merchant.balance - 1010, card: card_.balance + 1000, fees: 10 });
  await client.query(WRITE_SQL, columns(writes));
  await client.query('UPDATE counters SET value = value + 1 WHERE name = ANY($1)', [COUNTER_NAMES]);
  await client.query('COMMIT');
}

/** Trip 1 of the simple-protocol form: BEGIN, the tenant's lock, the working set by key, the counters locked. */
async function lockAndRead(client, tenant, card) {
  const inList = depositKeys(tenant, card)
    .map(([c, t, i]) => `(${lit(c)},${lit(t)},${lit(i)})`)
    .join(',');
  const results = await client.query(`BEGIN;
SELECT pg_advisory_xact_lock(hashtextextended(${lit(tenant)}, 0));
SELECT r.collection, r.tenant_id, r.id, r.data::text AS data FROM (VALUES ${inList}) AS k(c, t, i)
  CROSS JOIN LATERAL (SELECT * FROM records WHERE collection = k.c AND tenant_id = k.t AND id = k.i) AS r;
SELECT name, value FROM counters WHERE name IN (${COUNTER_NAMES.map(lit).join(',')}) ORDER BY name FOR UPDATE`);
  const read = results[2].rows;
  const balance = (id) => JSON.parse(read.find((r) => r.collection === '_accounts' && r.id === id).data).balance;
  return { counter: results[3].rows[0].value, card: balance(`card:${card}`), merchant: balance('merchant:USD') };
}

/** The upsert of `writes` (each key once) as one statement with literals. */
function upsertSql(writes) {
  const values = writes.map(([c, t, i, v]) => `(${lit(c)},${lit(t)},${lit(i)},${lit(JSON.stringify(v))}::json)`).join(',');
  return `INSERT INTO records (collection, tenant_id, id, data) VALUES ${values}
  ON CONFLICT (collection, tenant_id, id) DO UPDATE SET data = excluded.data`;
}

const counterUpdateSql = (by) => `UPDATE counters SET value = value + ${by} WHERE name IN (${COUNTER_NAMES.map(lit).join(',')})`;

/** The same in two round trips: BEGIN + lock + reads in one simple-protocol query, writes + COMMIT in another. */
async function depositTwoTrips(client, tenant, card, n) {
  const got = await lockAndRead(client, tenant, card);
  const writes = depositWrites(tenant, card, `${got.counter}_${n}`, { merchant: got.merchant - 1010, card: got.card + 1000, fees: 10 });
  await client.query(`${upsertSql(writes)};\n${counterUpdateSql(1)};\nCOMMIT`);
}

/**
 * `size` deposits of one tenant in one transaction, as a replica that holds the tenant's lock runs the
 * requests queued for it (group commit): one trip to lock and read, the handlers in memory, one trip
 * to write each record once (its last state) and commit.
 */
async function depositBatch(client, tenant, card, n, size) {
  const got = await lockAndRead(client, tenant, card);
  const last = new Map();
  for (let k = 0; k < size; k++) {
    got.card += 1000;
    got.merchant -= 1010;
    for (const w of depositWrites(tenant, card, `${got.counter}_${n}_${k}`, { merchant: got.merchant, card: got.card, fees: 10 }))
      last.set(`${w[0]}\0${w[2]}`, w);
  }
  await client.query(`${upsertSql([...last.values()])};\n${counterUpdateSql(size)};\nCOMMIT`);
}

add(
  'deposit, records: 7 parameterised round trips (BEGIN, lock, read, counters, write, counters, COMMIT)',
  await timed((n) => depositParams(main, TENANT, 1, n)),
);
add('deposit, records: 2 round trips (simple protocol: lock+reads, writes+commit)', await timed((n) => depositTwoTrips(main, TENANT, 1, n)));

// Where the time of that transaction goes: the lock-and-read trip, the upsert, the counters and COMMIT.
const parts = { lockAndRead: 0, upsert: 0, countersAndCommit: 0 };
const split = await timed(async (n) => {
  let t = performance.now();
  await lockAndRead(main, TENANT, 1);
  parts.lockAndRead += performance.now() - t;
  t = performance.now();
  await main.query(upsertSql(depositWrites(TENANT, 1, `p_${n}`, { merchant: 1e12, card: 0, fees: 0 })));
  parts.upsert += performance.now() - t;
  t = performance.now();
  await main.query(`${counterUpdateSql(1)}; COMMIT`);
  parts.countersAndCommit += performance.now() - t;
});
add('deposit, records: the same, its parts timed apart (ms each)', Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, round(v / split.n)])));

const BATCH = 10;
let r = await timed((n) => depositBatch(main, TENANT, 1, n, BATCH));
add(
  `deposit, records: batches of ${BATCH} deposits in one transaction (2 round trips); per s = deposits`,
  { ...r, perSec: r.perSec * BATCH, meanMs: round(r.meanMs / BATCH) },
  'mean ms per deposit; p50/p99 per batch',
);

// ---- three clients at once -----------------------------------------------------------------------
const three = await Promise.all([0, 1, 2].map(() => connect(URL, SCHEMA)));
const cardBalance = async (card) =>
  JSON.parse((await main.query(`SELECT data::text FROM records WHERE collection = '_accounts' AND id = $1`, [`card:${card}`])).rows[0].data).balance;

let before = await cardBalance(1);
let done = 0;
r = await timedParallel(three, async (c, k, i) => {
  await depositTwoTrips(c, TENANT, 1, `a${k}_${i}`);
  done++;
});
add('3 clients, one card, per-tenant advisory lock (2 round trips each)', r, `exact: ${(await cardBalance(1)) - before === done * 1000}`);

before = await cardBalance(1);
done = 0;
let retries = 0;
r = await timedParallel(three, async (c, k, i) => {
  for (;;) {
    try {
      await depositParams(c, TENANT, 1, `s${k}_${i}`, { lock: false, iso: ' ISOLATION LEVEL SERIALIZABLE' });
      done++;
      return;
    } catch (error) {
      await c.query('ROLLBACK');
      if (error.code !== '40001' && error.code !== '40P01') throw error;
      retries++;
    }
  }
});
add(
  '3 clients, one card, SERIALIZABLE, no lock, retry on 40001',
  r,
  `retries per commit ${round(retries / Math.max(1, done), 2)}; exact: ${(await cardBalance(1)) - before === done * 1000}`,
);

before = await cardBalance(1);
r = await timedParallel(three, (c, k, i) => depositBatch(c, TENANT, 1, `b${k}_${i}`, BATCH));
add(
  `3 clients, one card, per-tenant lock, batches of ${BATCH}; per s = deposits`,
  { ...r, perSec: r.perSec * BATCH, meanMs: round(r.meanMs / BATCH) },
  `exact: ${(await cardBalance(1)) - before === r.n * BATCH * 1000}`,
);

r = await timedParallel(three, (c, k, i) => depositTwoTrips(c, TENANT, k + 1, `c${k}_${i}`));
add('3 clients, 3 cards of one tenant, per-tenant advisory lock', r);

for (const t of ['t1', 't2', 't3']) await seedTenant(main, t, [1]);
r = await timedParallel(three, (c, k, i) => depositTwoTrips(c, `t${k + 1}`, 1, `m${k}_${i}`));
add('3 clients, 3 tenants, per-tenant lock, shared global counters', r, 'the counters serialise the tenants');

// ---- jobs ----------------------------------------------------------------------------------------
const JOBS = 3000;
await main.query(`INSERT INTO jobs SELECT g, g % 100, 'onerway.settle', '{"x":1}' FROM generate_series(1, ${JOBS}) g`);
const claimed = [];
r = await untilEmpty(three, async (c) => {
  await c.query('BEGIN');
  const job = await c.query('SELECT seq FROM jobs WHERE due_at <= $1 ORDER BY due_at, seq LIMIT 1 FOR UPDATE SKIP LOCKED', [1000]);
  if (job.rows.length === 0) {
    await c.query('COMMIT');
    return false;
  }
  await c.query('DELETE FROM jobs WHERE seq = $1', [job.rows[0].seq]);
  await c.query('COMMIT');
  claimed.push(Number(job.rows[0].seq));
  return true;
});
add(
  '3 clients claiming due jobs, FOR UPDATE SKIP LOCKED, one per transaction (claim + delete + commit)',
  r,
  `${claimed.length} claims, ${new Set(claimed).size} distinct of ${JOBS}`,
);

await main.query(`ALTER TABLE jobs ADD COLUMN lease_until bigint, ADD COLUMN owner text`);
await main.query(`INSERT INTO jobs SELECT g, g % 100, 'webhook.deliver', '{"x":1}' FROM generate_series(1, ${JOBS}) g`);
const leased = [];
r = await untilEmpty(three, async (c, k) => {
  const got = await c.query(
    `UPDATE jobs SET lease_until = $2, owner = $3 WHERE seq IN (
       SELECT seq FROM jobs WHERE due_at <= $1 AND (lease_until IS NULL OR lease_until < $4) ORDER BY due_at, seq LIMIT 10 FOR UPDATE SKIP LOCKED)
     RETURNING seq`,
    [1000, Date.now() + 30_000, `replica${k}`, Date.now()],
  );
  for (const row of got.rows) leased.push(Number(row.seq));
  return got.rows.length > 0;
});
add(
  '3 clients leasing due webhook attempts, 10 at a time (UPDATE … SKIP LOCKED RETURNING)',
  { ...r, perSec: Math.round((leased.length / r.wallMs) * 1000) },
  `${leased.length} leased, ${new Set(leased).size} distinct of ${JOBS}`,
);

// ---- LISTEN/NOTIFY --------------------------------------------------------------------------------
const listener = await connect(URL);
await listener.query('LISTEN sandbox_changes');
let wake;
listener.on('notification', () => wake?.());
add(
  'NOTIFY → listener, one at a time',
  await timed(async (n) => {
    const heard = new Promise((resolve) => (wake = resolve));
    await main.query(`SELECT pg_notify('sandbox_changes', $1)`, [`clock:${n}`]);
    await heard;
  }, 1),
);

// ---- key order -------------------------------------------------------------------------------------
const text = '{"zeta":1,"id":"a","amount":"10.00","n":1.50}';
const kept = (await main.query('SELECT $1::json::text AS json, $1::jsonb::text AS jsonb', [text])).rows[0];
add('key order', { json: kept.json === text ? 'kept' : kept.json, jsonb: kept.jsonb === text ? 'kept' : kept.jsonb });

// ---- size ------------------------------------------------------------------------------------------
const size = (
  await main.query(`SELECT pg_total_relation_size('records') AS bytes, count(*) FILTER (WHERE collection = 'onerway.operateRecords') AS deposits FROM records`)
).rows[0];
add('records table bytes per deposit (heap + indexes)', { bytes: Math.round(Number(size.bytes) / Number(size.deposits)), deposits: Number(size.deposits) });

await main.query(`DROP SCHEMA ${SCHEMA} CASCADE`);
await Promise.all([main, listener, ...three].map((c) => c.end()));

console.log(`PostgreSQL ${version}, node ${process.version}, synchronous_commit ${SYNC}, ${process.env.BENCH_PG_SECONDS ?? 2} s per row\n`);
console.log('| measurement | per s | mean ms | p50 ms | p99 ms | note |\n| --- | ---: | ---: | ---: | ---: | --- |');
for (const row of rows) {
  if (row.meanMs === undefined)
    console.log(
      `| ${row.name} | | | | | ${Object.entries(row)
        .filter(([k]) => !['name', 'note'].includes(k))
        .map(([k, v]) => `${k}: ${v}`)
        .join('; ')} |`,
    );
  else console.log(`| ${row.name} | ${row.perSec ?? ''} | ${row.meanMs} | ${row.p50Ms} | ${row.p99Ms} | ${row.note} |`);
}
console.log(`\n${JSON.stringify(rows)}`);

async function seedTenant(client, tenant, cards) {
  const recs = [
    ['_tenants', tenant, tenant, { id: tenant, tenantId: tenant, vendor: 'onerway' }],
    ['onerway.products', tenant, '1', { id: '1', tenantId: tenant }],
    ['_accounts', tenant, 'merchant:USD', { id: 'merchant:USD', tenantId: tenant, balance: 1e12 }],
    ['_accounts', tenant, 'transit:USD', { id: 'transit:USD', tenantId: tenant, balance: 0 }],
    ['_accounts', tenant, 'fees:USD', { id: 'fees:USD', tenantId: tenant, balance: 0 }],
    ...cards.flatMap((c) => [
      ['onerway.cards', tenant, String(c), { id: String(c), tenantId: tenant, status: 'ACTIVE' }],
      ['_accounts', tenant, `card:${c}`, { id: `card:${c}`, tenantId: tenant, balance: 0 }],
    ]),
  ];
  await client.query(WRITE_SQL, columns(recs));
}

/** Each client calls `fn` until it finds nothing left; per call latencies, and claims per second over the wall time. */
async function untilEmpty(clients, fn) {
  const lat = [];
  const start = performance.now();
  await Promise.all(
    clients.map(async (c, k) => {
      for (;;) {
        const t = performance.now();
        const more = await fn(c, k);
        lat.push(performance.now() - t);
        if (!more) return;
      }
    }),
  );
  const wallMs = performance.now() - start;
  const sorted = lat.sort((a, b) => a - b);
  return {
    n: lat.length,
    perSec: Math.round((lat.length / wallMs) * 1000),
    meanMs: round(lat.reduce((s, x) => s + x, 0) / lat.length),
    p50Ms: round(sorted[Math.floor(sorted.length / 2)]),
    p99Ms: round(sorted[Math.floor(sorted.length * 0.99)]),
    wallMs: round(wallMs, 0),
  };
}
