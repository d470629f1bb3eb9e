/**
 * What one Onerway deposit costs the PostgreSQL store in statements: an in-process sandbox on a fresh
 * database (SANDBOX_BENCH_PG or SANDBOX_TEST_PG; bench/pg-lib.mjs), a card, a warm-up, then
 * BENCH_DEPOSITS (default 1,000) deposits from 10 connections while every statement the driver sends
 * is counted (pg.Client#query wrapped here; src/ is not changed). Prints, per statement (its text cut
 * short, with the collections its key arrays name), how many it sent per deposit and the rows each
 * returned or wrote on average; then the database's own counters per deposit (pg_stat_database,
 * pg_stat_user_tables). Informational, not part of `npm run bench`:
 *
 *   npm run build && SANDBOX_TEST_PG=postgres://… node bench/pg-statements.mjs
 */
import pg from 'pg';
import { createSandbox } from '../dist/index.js';
import { createCards, depositLoad, num } from './lib.mjs';
import { PG_SKIP_REASON, freshDatabase, withClient } from './pg-lib.mjs';

if (PG_SKIP_REASON) {
  console.log(`bench/pg-statements.mjs: skipped (${PG_SKIP_REASON})`);
  process.exit(0);
}
const DEPOSITS = Math.max(1, Math.trunc(num('BENCH_DEPOSITS', 1000)));

const counts = new Map();
let counting = false;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (text, values, callback) {
  const sql = String(typeof text === 'string' ? text : text?.text)
    .replace(/\s+/g, ' ')
    .slice(0, 100);
  const keys = Array.isArray(values) && Array.isArray(values[0]) ? ` [arrays of ${values[0].length}: ${[...new Set(values[0])].join(', ')}]` : '';
  const first = Array.isArray(values) && !keys ? ` (${values.slice(0, 2).join(', ')})` : '';
  const result = query.call(this, text, values, callback);
  if (counting && result && typeof result.then === 'function') {
    const key = sql + keys + first;
    result.then(
      (r) => {
        const c = counts.get(key) ?? { n: 0, rows: 0 };
        c.n++;
        c.rows += r?.rowCount ?? 0;
        counts.set(key, c);
      },
      () => {},
    );
  }
  return result;
};

const STATS = `SELECT d.xact_commit, s.seq_scan, s.seq_tup_read, s.idx_scan, s.idx_tup_fetch
  FROM pg_stat_database d, pg_stat_user_tables s WHERE d.datname = current_database() AND s.relname = 'records'`;

const database = await freshDatabase('statements');
try {
  const sandbox = await createSandbox({ db: database.url, logLevel: 'silent' });
  const url = await sandbox.listen(0, '127.0.0.1');
  const cardIds = await createCards(url, 'S', 1);
  await depositLoad(url, { amount: Math.min(500, DEPOSITS), cardIds, tag: 'W', connections: 10 });
  // pg_stat_* are updated by the server at its own pace: read them after a pause on both sides.
  await new Promise((r) => setTimeout(r, 1000));
  const before = await withClient(database.url, async (c) => (await c.query(STATS)).rows[0]);
  counting = true;
  const { check } = await depositLoad(url, { amount: DEPOSITS, cardIds, tag: 'M', connections: 10 });
  counting = false;
  await new Promise((r) => setTimeout(r, 1000));
  const after = await withClient(database.url, async (c) => (await c.query(STATS)).rows[0]);
  await sandbox.close();
  const n = check.ok;
  console.log(`${n} deposits answered 20000 (${check.bad + check.non2xx} did not)\n\nper deposit  rows each  statement`);
  for (const [sql, c] of [...counts].sort((a, b) => b[1].n - a[1].n))
    console.log(`${(c.n / n).toFixed(2).padStart(11)}  ${(c.rows / c.n).toFixed(1).padStart(9)}  ${sql}`);
  console.log('\nper deposit, from the server (other sessions on this database count too: the stats query itself, negligibly)');
  for (const k of Object.keys(before)) console.log(`${((Number(after[k]) - Number(before[k])) / n).toFixed(2).padStart(11)}  ${k}`);
} finally {
  await database.drop();
}
