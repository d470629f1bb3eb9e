/**
 * RSS and start-up time of the sandbox after 10k and after 1M stored Onerway deposits, on the file store
 * and on PostgreSQL (docs/design/shared-store.md §8, step 10; issue 15's target: RSS after 1M ≤ 2 × RSS
 * after 10k, on PostgreSQL). Part of `npm run bench` (bench/run.mjs, rows `scale`); alone:
 * `npm run build && node bench/scale.mjs`.
 *
 * A million deposits cannot go through HTTP in a bench's time, so each store of N deposits is built as:
 *   1. `node dist/main.js --db …` (a fresh temp folder, or a fresh database), a card (createCard), one
 *      deposit; stopped; the store's state read (counters, balances, record counts);
 *   2. started again, BENCH_SCALE_REAL (default 1,000) real deposits through HTTP; stopped; read again;
 *   3. the other N − 1 − REAL deposits copied from the last real one (bench/scale-records.mjs: its
 *      operate record, ledger movement and idempotency answer, with new ids, clientRequestIds, times and
 *      fingerprints; same shapes and sizes, checked to give back the real records byte for byte), the
 *      counters and balances moved by what one real deposit moved them, times the copies, and a top-up of
 *      the merchant: on PostgreSQL by SQL (`INSERT … SELECT … generate_series` in chunks, then ANALYZE),
 *      on the file store through the Store API in a child process (bench/scale-build-file.mjs, closed so
 *      that all of it is in the snapshot).
 * Then BENCH_SCALE_STARTS starts (default 3): spawn to the first health answer (the median is the
 * start-up time; the CPU the process used until then too). The last start is checked (the card's balance
 * is 100.00 + 10.00 × N; a deposit re-sent with a copied clientRequestId replays that copy's stored answer
 * and moves no money), makes BENCH_SCALE_AFTER (default 2,000) deposits through HTTP, and its RSS is read
 * from /proc (now and peak).
 *
 * Environment:
 *   BENCH_SCALE_DEPOSITS   comma list of stored deposits (default 10000,1000000); the ratios compare the largest with the smallest
 *   BENCH_SCALE_STORES     comma list: file, postgres (default both)
 *   BENCH_SCALE_REAL, BENCH_SCALE_AFTER, BENCH_SCALE_STARTS   as above
 *   BENCH_SCALE_NODE_ARGS  node options of the sandbox processes and the builder (default --max-old-space-size=16384:
 *                          the file store holds every record in the heap, past Node's default limit at 1M deposits)
 *   SANDBOX_BENCH_PG / SANDBOX_TEST_PG   the PostgreSQL server (bench/pg-lib.mjs); unset: the PostgreSQL rows are skipped
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { API_KEY, ROOT, busyShare, createCards, deposits, fmt, machineCpu, mb, num, numList, onerway, request, storeFiles, waitQuiet } from './lib.mjs';
import { PG_SKIP_REASON, databaseBytes, freshDatabase, withClient } from './pg-lib.mjs';
import { procCpuMs, procStatus, spawnSandbox } from './process.mjs';
import {
  ACCOUNTS,
  BULK_KEY_SQL,
  COUNTERS,
  ENTRIES,
  GLOBAL_TENANT,
  IDEMPOTENCY,
  OPERATE_RECORDS,
  TENANT,
  bulkKey,
  copyAnswer,
  copyValues,
  fill,
  plan,
} from './scale-records.mjs';

export const RSS_TARGET = 2;
const CHUNK = 100_000;

export function scaleConfig() {
  const stores = (process.env.BENCH_SCALE_STORES || 'file,postgres').split(',').map((s) => s.trim());
  for (const s of stores) if (s !== 'file' && s !== 'postgres') throw new Error(`BENCH_SCALE_STORES: file or postgres, got ${s}`);
  return {
    sizes: numList('BENCH_SCALE_DEPOSITS', [10_000, 1_000_000]).sort((a, b) => a - b),
    stores,
    real: Math.max(1, Math.trunc(num('BENCH_SCALE_REAL', 1000))),
    after: Math.max(1, Math.trunc(num('BENCH_SCALE_AFTER', 2000))),
    starts: Math.max(1, Math.trunc(num('BENCH_SCALE_STARTS', 3))),
    // As bench/startup.mjs: each start waits (at most 30 s) for a quiet machine.
    quietTimeout: Math.min(30, num('BENCH_QUIET_TIMEOUT', 30)),
    nodeArgs: (process.env.BENCH_SCALE_NODE_ARGS ?? '--max-old-space-size=16384').split(/\s+/).filter(Boolean),
  };
}

// ---- the store's state, read while no sandbox runs on it (file) or beside it (PostgreSQL) -----------

async function fileState(db) {
  const { Store } = await import('../dist/core/store.js');
  const store = await Store.open(db);
  try {
    const counts = {};
    for (const c of store.collectionNames()) counts[c] = store.count(c);
    const counterRecords = Object.fromEntries(store.list(COUNTERS, GLOBAL_TENANT).map((r) => [r.id, r]));
    const operate = store
      .list(OPERATE_RECORDS, TENANT)
      .filter((r) => r.type === 'DEPOSIT')
      .reduce((a, b) => (!a || b.operateRecordId > a.operateRecordId ? b : a), undefined);
    const last = operate && {
      operate,
      entry: store.list(ENTRIES, TENANT).find((r) => r.ref === `operateRecord:${operate.operateRecordId}`),
      answer: store.get(IDEMPOTENCY, TENANT, operate.clientRequestId),
    };
    return {
      counts,
      counters: Object.fromEntries(Object.values(counterRecords).map((r) => [r.id, r.value])),
      accounts: Object.fromEntries(store.list(ACCOUNTS, TENANT).map((r) => [r.id, r])),
      last,
      texts: last && { operate: JSON.stringify(last.operate), entry: JSON.stringify(last.entry), answer: JSON.stringify(last.answer) },
    };
  } finally {
    await store.close();
  }
}

/** Counters are `_counters` records; a `counters` table (migration 1 made one, migration 2 dropped it unused) is read if it holds them. */
async function pgCounters(c) {
  const exists = (await c.query("SELECT to_regclass('counters') IS NOT NULL AS yes")).rows[0].yes;
  const table = exists ? (await c.query('SELECT name, value FROM counters')).rows : [];
  if (table.length > 0) return { where: 'table', values: Object.fromEntries(table.map((r) => [r.name, Number(r.value)])) };
  const rows = (await c.query('SELECT id, data FROM records WHERE collection = $1 AND tenant_id = $2', [COUNTERS, GLOBAL_TENANT])).rows;
  return { where: 'records', values: Object.fromEntries(rows.map((r) => [r.id, r.data.value])), records: Object.fromEntries(rows.map((r) => [r.id, r.data])) };
}

function pgState(url) {
  return withClient(url, async (c) => {
    const counts = Object.fromEntries(
      (await c.query('SELECT collection, count(*) AS n FROM records GROUP BY collection')).rows.map((r) => [r.collection, Number(r.n)]),
    );
    const counters = await pgCounters(c);
    const one = async (text, values) => (await c.query(text, values)).rows[0]?.data;
    const operateText = await one(
      "SELECT data::text AS data FROM records WHERE collection = $1 AND tenant_id = $2 AND data->>'type' = 'DEPOSIT' ORDER BY (data->>'operateRecordId')::bigint DESC LIMIT 1",
      [OPERATE_RECORDS, TENANT],
    );
    let last;
    let texts;
    if (operateText) {
      const operate = JSON.parse(operateText);
      const entryText = await one("SELECT data::text AS data FROM records WHERE collection = $1 AND tenant_id = $2 AND data->>'ref' = $3", [
        ENTRIES,
        TENANT,
        `operateRecord:${operate.operateRecordId}`,
      ]);
      const answerText = await one('SELECT data::text AS data FROM records WHERE collection = $1 AND tenant_id = $2 AND id = $3', [
        IDEMPOTENCY,
        TENANT,
        operate.clientRequestId,
      ]);
      texts = { operate: operateText, entry: entryText, answer: answerText };
      last = { operate, entry: JSON.parse(entryText), answer: JSON.parse(answerText) };
    }
    const accounts = Object.fromEntries(
      (await c.query('SELECT id, data FROM records WHERE collection = $1 AND tenant_id = $2', [ACCOUNTS, TENANT])).rows.map((r) => [r.id, r.data]),
    );
    return { counts, counters: counters.values, counterPlace: counters, accounts, last, texts };
  });
}

// ---- the copies ------------------------------------------------------------------------------------

function buildFile(db, p, nodeArgs) {
  const planFile = `${db}.plan.json`;
  writeFileSync(planFile, JSON.stringify(p));
  try {
    const out = execFileSync(process.execPath, [...nodeArgs, join(ROOT, 'bench', 'scale-build-file.mjs'), db, planFile], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 20,
    });
    return JSON.parse(out.toString().trim().split('\n').at(-1)).buildMs;
  } finally {
    rmSync(planFile, { force: true });
  }
}

const FILL_SQL = `
INSERT INTO records (collection, tenant_id, id, data)
SELECT x.collection, $1, x.id,
       replace(replace(replace(replace(replace(x.tpl, '@@R@@', v.r), '@@E@@', v.e), '@@K@@', v.k), '@@T@@', v.t), '@@F@@', v.f)::json
FROM generate_series($2::bigint, $3::bigint) AS g
CROSS JOIN LATERAL (SELECT ($4::bigint + 1 + g)::text AS r, ($5::bigint + 1 + g)::text AS e, ${BULK_KEY_SQL('g')} AS k, ($6::bigint + g)::text AS t) AS v0
CROSS JOIN LATERAL (SELECT v0.*, translate(encode(substring(sha256(convert_to($7 || v0.k || $8, 'UTF8')) FROM 1 FOR 16), 'base64'), '+/=', '-_') AS f) AS v
CROSS JOIN LATERAL (VALUES ('${OPERATE_RECORDS}', v.r, $9::text), ('${ENTRIES}', 'ent_' || v.e, $10::text), ('${IDEMPOTENCY}', v.k, $11::text)) AS x(collection, id, tpl)`;

async function buildPg(url, p, s1) {
  const t0 = performance.now();
  await withClient(url, async (c) => {
    await c.query('SET synchronous_commit = off');
    for (let from = 0; from < p.copies; from += CHUNK) {
      const to = Math.min(p.copies, from + CHUNK) - 1;
      await c.query(FILL_SQL, [TENANT, from, to, p.r0, p.e0, p.t0, p.fpPrefix, p.fpSuffix, p.opTpl, p.entryTpl, p.answerTpl]);
    }
    // SQL and JavaScript fill the templates alike: the first and last copies as the file store's builder would write them.
    for (const k of [0, p.copies - 1]) {
      const v = copyValues(p, k);
      for (const [collection, id, tpl] of [
        [OPERATE_RECORDS, String(v.r), p.opTpl],
        [ENTRIES, `ent_${v.e}`, p.entryTpl],
        [IDEMPOTENCY, v.k, p.answerTpl],
      ]) {
        const { rows } = await c.query('SELECT data::text AS data FROM records WHERE collection = $1 AND tenant_id = $2 AND id = $3', [collection, TENANT, id]);
        if (rows[0]?.data !== fill(tpl, v)) throw new Error(`copy ${k} of ${collection} differs:\n${rows[0]?.data}\n${fill(tpl, v)}`);
      }
    }
    await c.query('INSERT INTO records (collection, tenant_id, id, data) VALUES ($1, $2, $3, $4)', [
      ENTRIES,
      TENANT,
      p.topUpEntry.id,
      JSON.stringify(p.topUpEntry),
    ]);
    for (const [name, value] of Object.entries(p.counters)) {
      if (s1.counterPlace.where === 'table') await c.query('UPDATE counters SET value = $2 WHERE name = $1', [name, value]);
      else
        await c.query('UPDATE records SET data = $4 WHERE collection = $1 AND tenant_id = $2 AND id = $3', [
          COUNTERS,
          GLOBAL_TENANT,
          name,
          JSON.stringify({ ...s1.counterPlace.records[name], value }),
        ]);
    }
    for (const record of Object.values(p.accounts))
      await c.query('UPDATE records SET data = $4 WHERE collection = $1 AND tenant_id = $2 AND id = $3', [ACCOUNTS, TENANT, record.id, JSON.stringify(record)]);
    // What autovacuum would do soon after such a load: the planner's statistics.
    await c.query('ANALYZE records');
  });
  return performance.now() - t0;
}

// ---- one store of `size` deposits -------------------------------------------------------------------

async function balanceOf(url, cardId) {
  const { status, json } = await request(url, '/api/v1/merchant/card/getCardBalance', { cardId }, { ApiKey: API_KEY });
  if (status !== 200 || json.respCode !== '20000') throw new Error(`getCardBalance answered ${status} ${JSON.stringify(json)}`);
  return json.data.balance;
}

/**
 * The first page of the card's deposits (getOperateRecordList, 10 a page): the handler asks the store for
 * the page and the count (Transaction#page), which PostgreSQL answers in SQL, the count reading every one
 * of the merchant's operate records. Its time, its answer and the process's RSS after it.
 */
async function listingProbe(url, cardId, pid) {
  const t0 = performance.now();
  const { status, json, diagnostic } = await request(
    url,
    '/api/v1/merchant/card/getOperateRecordList',
    { cardId, type: 'DEPOSIT', pageNum: 1, pageSize: 10 },
    { ApiKey: API_KEY },
  );
  const ms = performance.now() - t0;
  const answer = json.respCode === '20000' ? `20000, ${fmt(json.data.totalRecords)} records` : `${status} ${json.respCode} ${diagnostic ?? ''}`.trim();
  return { ms, answer, rss: procStatus(pid).rss };
}

/**
 * The timeline of a card made after the deposits were stored (GET /__sandbox/cards/onerway/<id>/timeline):
 * its ledger is one movement among the merchant's, which PostgreSQL scans for in pages (ReadView#filter)
 * instead of loading the merchant's ledger. Its time, its ledger events and the process's RSS after it.
 */
async function timelineProbe(url, pid) {
  const [cardId] = await createCards(url, 'SCALE_TIMELINE', 1);
  const t0 = performance.now();
  const res = await fetch(`${url}/__sandbox/cards/onerway/${cardId}/timeline`);
  const body = await res.json();
  const ms = performance.now() - t0;
  const ledger = res.status === 200 ? body.events.filter((e) => e.kind === 'ledger').length : undefined;
  const answer = res.status === 200 ? `${fmt(ledger)} ledger event${ledger === 1 ? '' : 's'}` : `${res.status} ${JSON.stringify(body).slice(0, 200)}`;
  return { ms, answer, rss: procStatus(pid).rss };
}

/**
 * The page of the card that holds the deposits (GET /__sandbox/cards/onerway/<id>): its pending records
 * are looked for among the merchant's operate records by the kind's pendingWhile (`status: 'P'`; on
 * PostgreSQL a scan that skips the rest) instead of reading them all. Its time, its answer and the RSS after it.
 */
async function cardPageProbe(url, cardId, pid) {
  const t0 = performance.now();
  const res = await fetch(`${url}/__sandbox/cards/onerway/${cardId}`);
  const body = await res.json();
  const ms = performance.now() - t0;
  const answer =
    res.status === 200
      ? `${body.state}, balance ${body.balances.balance}, ${fmt(body.pending.length)} pending`
      : `${res.status} ${JSON.stringify(body).slice(0, 200)}`;
  return { ms, answer, rss: procStatus(pid).rss };
}

async function scaleRow(store, size, config) {
  const row = { key: `${store}-${size}`, store, size };
  const cleanup = [];
  const start = (db) => spawnSandbox(db, { nodeArgs: config.nodeArgs });
  try {
    let db;
    let dir;
    if (store === 'file') {
      dir = mkdtempSync(join(tmpdir(), 'card-sandbox-scale-'));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      db = join(dir, 'sandbox.json');
    } else {
      const database = await freshDatabase(`scale_${size}`);
      cleanup.push(() => database.drop());
      db = database.url;
    }
    const state = () => (store === 'file' ? fileState(db) : pgState(db));
    const real = Math.min(config.real, size - 1);
    const copies = size - 1 - real;
    if (copies >= 1e7) throw new Error('at most 10,000,000 copies (their clientRequestIds have 7 digits)');

    let s = await start(db);
    const [cardId] = await createCards(s.url, 'S', 1);
    await onerway(s.url, '/card/deposit', { clientRequestId: 'BENCH_SCALE_FIRST', cardId, amount: 10.0 });
    await s.stop();
    const s0 = await state();
    s = await start(db);
    const t0 = performance.now();
    const load = await deposits(s.url, { cardIds: [cardId], tag: 'SCALE_REAL', amount: real });
    row.realMs = performance.now() - t0;
    await s.stop();
    if (load.bad > 0 || load.ok !== real) throw new Error(`${real} real deposits: ${load.ok} answered 20000, ${load.bad} not (${load.sample})`);
    const s1 = await state();
    if (copies > 0) {
      const p = plan({ s0, s1, real, copies, cardId, texts: s1.texts });
      row.buildMs = store === 'file' ? buildFile(db, p, config.nodeArgs) : await buildPg(db, p, s1);
      row.plan = p;
    } else row.buildMs = 0;
    row.diskBytes = store === 'file' ? storeFiles(dir).totalBytes : await databaseBytes(db);

    row.starts = [];
    for (let i = 0; i < config.starts; i++) {
      const quiet = config.quietTimeout > 0 ? await waitQuiet(config.quietTimeout) : undefined;
      const cpu0 = machineCpu();
      s = await start(db);
      const at = { ms: s.ms, cpuMs: procCpuMs(s.pid), ...procStatus(s.pid), quiet, busy: busyShare(cpu0, machineCpu()) };
      row.starts.push(at);
      if (i < config.starts - 1) {
        await s.stop();
        continue;
      }
      const expected = 100 + 10 * size;
      const balance = await balanceOf(s.url, cardId);
      const checks = { balance: balance === expected };
      if (copies > 0) {
        const k = Math.floor(copies / 2);
        const res = await fetch(`${s.url}/api/v1/merchant/card/deposit`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ApiKey: API_KEY },
          body: JSON.stringify({ clientRequestId: bulkKey(k), cardId, amount: 10.0 }),
        });
        const text = await res.text();
        checks.replay = res.status === 200 && text === copyAnswer(row.plan, k);
        checks.replayMovedNothing = (await balanceOf(s.url, cardId)) === expected;
        if (!checks.replay) row.replaySample = `${res.status} ${text.slice(0, 300)}`;
      }
      const t1 = performance.now();
      const after = await deposits(s.url, { cardIds: [cardId], tag: 'SCALE_AFTER', amount: config.after });
      row.after = { ok: after.ok, bad: after.bad, reqPerSec: (after.ok * 1000) / (performance.now() - t1), p99: after.p99, sample: after.sample };
      checks.after = after.bad === 0 && (await balanceOf(s.url, cardId)) === expected + 10 * after.ok;
      await new Promise((r) => setTimeout(r, 500));
      row.memory = procStatus(s.pid);
      // Informational, after the RSS above: a listing reads the merchant's whole collection (the handler filters and pages it).
      row.listing = await listingProbe(s.url, cardId, s.pid);
      row.timeline = await timelineProbe(s.url, s.pid);
      row.cardPage = await cardPageProbe(s.url, cardId, s.pid);
      row.checks = checks;
      row.verified = Object.values(checks).every(Boolean);
      row.stderr = s.stderr().slice(0, 500);
      await s.stop();
    }
    const ms = row.starts.map((x) => x.ms).sort((a, b) => a - b);
    row.startMs = ms[Math.floor((ms.length - 1) / 2)];
    row.startCpuMs = row.starts.map((x) => x.cpuMs).sort((a, b) => a - b)[Math.floor((ms.length - 1) / 2)];
    delete row.plan;
  } finally {
    for (const f of cleanup) await Promise.resolve(f());
  }
  return row;
}

export async function scaleRows(config = scaleConfig(), log = console.log) {
  const rows = [];
  for (const store of config.stores) {
    for (const size of config.sizes) {
      if (store === 'postgres' && PG_SKIP_REASON) {
        rows.push({ key: `${store}-${size}`, store, size, skipped: PG_SKIP_REASON });
        log(`  ${store}, ${fmt(size)} deposits: skipped (${PG_SKIP_REASON})`);
        continue;
      }
      let row;
      try {
        row = await scaleRow(store, size, config);
      } catch (error) {
        if (store !== 'postgres') throw error;
        // A PostgreSQL that is configured but fails leaves the other rows to run; the row says why.
        rows.push({ key: `${store}-${size}`, store, size, skipped: `FAILED: ${String(error?.message ?? error).slice(0, 300)}`, failed: true });
        log(`  ${store}, ${fmt(size)} deposits: FAILED (${error?.stack ?? error})`);
        continue;
      }
      rows.push(row);
      log(
        `  ${store}, ${fmt(size)} deposits: built in ${fmt((row.realMs + row.buildMs) / 1000, 1)} s (store ${mb(row.diskBytes)} MB); start ${row.starts.map((x) => fmt(x.ms / 1000, 2)).join(', ')} s; ` +
          `RSS after ${fmt(config.after)} more deposits ${mb(row.memory.rss)} MB (peak ${mb(row.memory.peakRss)}), ${fmt(row.after.reqPerSec)} deposits/s` +
          (row.verified ? '' : ` — NOT VERIFIED ${JSON.stringify(row.checks)} ${row.replaySample ?? ''} ${row.after.sample ?? ''}`),
      );
    }
  }
  return rows;
}

/** Per store, the largest size against the smallest: RSS (the target, on PostgreSQL) and start-up. */
export function scaleChecks(rows) {
  const out = [];
  for (const store of [...new Set(rows.map((r) => r.store))]) {
    const mine = rows.filter((r) => r.store === store).sort((a, b) => a.size - b.size);
    if (mine.length < 2) continue;
    const [small, large] = [mine[0], mine.at(-1)];
    const name = `${store === 'postgres' ? 'PostgreSQL' : 'file store'}: RSS after ${fmt(large.size)} / after ${fmt(small.size)} deposits`;
    const note = store === 'file' ? ' (informational: the file store keeps every record in memory)' : '';
    if (small.skipped || large.skipped) {
      out.push({ name, skipped: small.skipped ?? large.skipped, failed: small.failed || large.failed, target: `≤ ${RSS_TARGET}` });
      continue;
    }
    const rss = large.memory.rss / small.memory.rss;
    out.push({ name: name + note, value: rss, target: `≤ ${RSS_TARGET}`, pass: rss <= RSS_TARGET, ratio: true, informational: store === 'file' });
    out.push({
      name: `${store === 'postgres' ? 'PostgreSQL' : 'file store'}: start-up after ${fmt(large.size)} / after ${fmt(small.size)} deposits`,
      value: large.startMs / small.startMs,
      target: 'n/a (issue 15: independent of the store size)',
      ratio: true,
      informational: true,
    });
  }
  return out;
}

export function scaleTable(rows) {
  const head = [
    'store',
    'deposits stored',
    'built (s)',
    'store on disk MB',
    'start-up s (median)',
    'start-up CPU s',
    'RSS MB at start',
    'RSS MB after deposits',
    'peak RSS MB',
    'deposits/s after',
    "first page of the card's deposits (informational): s, answer, RSS MB after",
    "a new card's timeline (informational): s, answer, RSS MB after",
    "the card's page (informational): s, answer, RSS MB after",
    'verified',
  ];
  const lines = rows.map((r) =>
    r.skipped
      ? [r.store, fmt(r.size), r.failed ? 'FAILED' : 'skipped', '—', '—', '—', '—', '—', '—', '—', '—', '—', '—', r.skipped]
      : [
          r.store,
          fmt(r.size),
          fmt((r.realMs + r.buildMs) / 1000, 1),
          mb(r.diskBytes),
          fmt(r.startMs / 1000, 2),
          fmt(r.startCpuMs / 1000, 2),
          mb(r.starts.at(-1).rss),
          mb(r.memory.rss),
          mb(r.memory.peakRss),
          fmt(r.after.reqPerSec),
          r.listing ? `${fmt(r.listing.ms / 1000, 2)} s, ${r.listing.answer}, ${mb(r.listing.rss)} MB` : '—',
          r.timeline ? `${fmt(r.timeline.ms / 1000, 2)} s, ${r.timeline.answer}, ${mb(r.timeline.rss)} MB` : '—',
          r.cardPage ? `${fmt(r.cardPage.ms / 1000, 2)} s, ${r.cardPage.answer}, ${mb(r.cardPage.rss)} MB` : '—',
          r.verified ? 'yes' : `NO ${JSON.stringify(r.checks)}`,
        ],
  );
  return { head, lines };
}

export function scaleMethod(config) {
  return [
    `- Stored deposits (bench/scale.mjs): for each store and each of ${config.sizes.map((n) => fmt(n)).join(' and ')} deposits, a card, one deposit and ${fmt(config.real)} more through HTTP, then the rest copied from the last real deposit (its operate record, ledger movement and idempotency answer with new ids, clientRequestIds, times and fingerprints; counters and balances moved to match; a merchant top-up): PostgreSQL by \`INSERT … SELECT … generate_series\`, the file store through the Store API in a child, closed into its snapshot. The copies are checked to give back the real deposit's records byte for byte from the same templates. Then ${config.starts} starts of \`node ${config.nodeArgs.join(' ')} dist/main.js --db …\` (spawn to the first health answer; median), and on the last: the card's balance (100.00 + 10.00 × the deposits stored), a copied clientRequestId re-sent (the copy's answer replayed, no money moved), ${fmt(config.after)} deposits through HTTP, then RSS from /proc. After that, informational: the first page (10) of the card's deposits by getOperateRecordList, whose handler asks the store for that page and the count of the card's deposits (on PostgreSQL both in SQL, the count reading each of the merchant's operate records; the file store filters the collection in memory): its time, its answer and the RSS after it; then a new card's timeline (GET /__sandbox/cards/onerway/<id>/timeline), whose one ledger movement is looked for among the merchant's (on PostgreSQL a scan in pages of one snapshot, keeping only the card's): its time, its ledger events and the RSS after it; then the page of the card that holds the deposits (GET /__sandbox/cards/onerway/<id>), whose pending operate records are looked for by their status (\`pendingWhile\`) instead of among all of them: its time, its answer and the RSS after it.`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const config = scaleConfig();
  console.log(
    `bench/scale.mjs: ${config.stores.join(', ')} at ${config.sizes.map((n) => fmt(n)).join(', ')} deposits (${fmt(config.real)} real, ${config.starts} starts, ${fmt(config.after)} after)`,
  );
  const rows = await scaleRows(config);
  const { head, lines } = scaleTable(rows);
  console.log([head.join(' | '), ...lines.map((l) => l.join(' | '))].join('\n'));
  for (const c of scaleChecks(rows))
    console.log(
      `${c.name}: ${c.skipped ? `skipped (${c.skipped})` : `${fmt(c.value, 2)} (target ${c.target})${c.pass === undefined ? '' : c.pass ? ' PASS' : ' MISS'}`}`,
    );
}
