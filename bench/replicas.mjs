/**
 * Onerway deposits/s through 1, 2 and 3 sandbox replicas on one PostgreSQL database, beside the file
 * store in the same run (docs/design/shared-store.md §8, step 10). Part of `npm run bench` (bench/run.mjs,
 * rows `replicas`); alone: `npm run build && node bench/replicas.mjs`.
 *
 * Every row starts real processes the way a user does (`node dist/main.js --db …`, bench/process.mjs):
 *   file      one process on a file store in a fresh temp folder (the default durability, 'write')
 *   pg-N      N processes with `--db postgres://…`, all on one fresh database (dropped afterwards)
 * A card is created (createCard, cardholder 300001, product 1), each replica makes one deposit by hand,
 * then deposits of 10.00 on that card with a new clientRequestId each (the same requests as run.mjs's
 * (b)) run for the warm-up and the measured seconds, from BENCH_REPLICA_CONNECTIONS connections (default
 * 12, so that 1, 2 and 3 replicas get equal shares) spread round-robin over the replicas: connection i
 * talks to replica i mod N, one autocannon per replica, all started together. deposits/s is the sum of
 * their means. Afterwards the card's balance (getCardBalance) must be 100.00 + 10.00 × the deposits
 * stored, and those must number at least the 20000 answers and at most the requests sent; on PostgreSQL
 * the DEPOSIT operate records in the database must number the same. The default merchant balance covers
 * about 99,000 deposits per row (no route tops it up from outside): past that, deposits answer
 * insufficient balance and the row shows errors; more than ~8,000 deposits/s for 10 + 2 s would reach it.
 *
 * Environment (besides run.mjs's BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_QUIET_TIMEOUT):
 *   BENCH_REPLICAS               comma list of replica counts on PostgreSQL (default 1,2,3)
 *   BENCH_REPLICA_CONNECTIONS    load connections in all (default 12)
 *   SANDBOX_BENCH_PG / SANDBOX_TEST_PG   the PostgreSQL server (bench/pg-lib.mjs); unset: the pg rows are skipped
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { API_KEY, busyShare, createCards, depositLoad, fmt, machineCpu, num, numList, onerway, request, waitQuiet } from './lib.mjs';
import { PG_SKIP_REASON, freshDatabase, redact, withClient } from './pg-lib.mjs';
import { procCpuMs, procStatus, spawnSandbox } from './process.mjs';

export const REPLICA_TARGET = 0.5;

export function replicaConfig() {
  const seconds = num('BENCH_SECONDS', 10);
  return {
    seconds,
    warmup: num('BENCH_WARMUP_SECONDS', Math.min(2, seconds / 5)),
    quietTimeout: num('BENCH_QUIET_TIMEOUT', 120),
    replicas: numList('BENCH_REPLICAS', [1, 2, 3]),
    connections: Math.max(1, Math.trunc(num('BENCH_REPLICA_CONNECTIONS', 12))),
  };
}

/** The deposits the store holds for the card, from its balance (100.00 at creation, 10.00 a deposit). */
async function depositsByBalance(url, cardId) {
  const { status, json } = await request(url, '/api/v1/merchant/card/getCardBalance', { cardId }, { ApiKey: API_KEY });
  if (status !== 200 || json.respCode !== '20000') throw new Error(`getCardBalance answered ${status} ${JSON.stringify(json)}`);
  return { balance: json.data.balance, deposits: (json.data.balance - 100) / 10 };
}

/** Deposits from every replica at once, `connections` spread round-robin over them. */
async function spreadLoad(urls, { seconds, cardIds, tag, connections }) {
  const share = urls.map((_, i) => Math.floor(connections / urls.length) + (i < connections % urls.length ? 1 : 0));
  const runs = await Promise.all(urls.map((url, i) => depositLoad(url, { seconds, cardIds, tag: `${tag}${i}`, connections: share[i] })));
  const sum = (f) => runs.reduce((a, r) => a + f(r), 0);
  return {
    reqPerSec: sum((r) => r.result.requests.mean),
    requests: sum((r) => r.result.requests.total),
    ok: sum((r) => r.check.ok),
    bad: sum((r) => r.check.bad + r.check.non2xx + r.result.errors + r.result.timeouts),
    sent: sum((r) => r.sent),
    sample: runs.find((r) => r.check.sample)?.check.sample,
    p50: Math.max(...runs.map((r) => r.result.latency.p50)),
    p99: Math.max(...runs.map((r) => r.result.latency.p99)),
    perReplica: runs.map((r) => r.result.requests.mean),
  };
}

async function runRow(spec, config) {
  const row = { key: spec.key, title: spec.title, store: spec.store, replicas: spec.replicas };
  const cleanup = [];
  const sandboxes = [];
  try {
    let db;
    if (spec.store === 'file') {
      const dir = mkdtempSync(join(tmpdir(), 'card-sandbox-replicas-'));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      db = join(dir, 'sandbox.json');
    } else {
      const database = await freshDatabase(`replicas_${spec.replicas}`);
      cleanup.push(() => database.drop());
      db = database.url;
      row.database = redact(db);
    }
    // One at a time: the first creates the schema, the others find it current.
    for (let i = 0; i < spec.replicas; i++) {
      const s = await spawnSandbox(db);
      sandboxes.push(s);
      cleanup.unshift(() => s.stop());
    }
    row.startMs = sandboxes.map((s) => s.ms);
    const urls = sandboxes.map((s) => s.url);
    const cardIds = await createCards(urls[0], `R${spec.key}`, 1);
    let ok = 0;
    let sent = 0;
    for (const [i, url] of urls.entries()) {
      await onerway(url, '/card/deposit', { clientRequestId: `BENCH_PROBE_${spec.key}_${i}`, cardId: cardIds[0], amount: 10.0 });
      ok++;
      sent++;
    }
    if (config.warmup > 0) {
      const warm = await spreadLoad(urls, { seconds: config.warmup, cardIds, tag: `${spec.key}W`, connections: config.connections });
      ok += warm.ok;
      sent += warm.sent;
      row.warmupBad = warm.bad;
    }
    row.quiet = config.quietTimeout > 0 ? await waitQuiet(config.quietTimeout) : undefined;
    const cpu0 = sandboxes.map((s) => procCpuMs(s.pid));
    const machine0 = machineCpu();
    const t0 = performance.now();
    const load = await spreadLoad(urls, { seconds: config.seconds, cardIds, tag: spec.key, connections: config.connections });
    row.wallMs = performance.now() - t0;
    row.busy = busyShare(machine0, machineCpu());
    row.cpuMs = sandboxes.map((s, i) => procCpuMs(s.pid) - cpu0[i]);
    row.rss = sandboxes.map((s) => procStatus(s.pid).rss);
    Object.assign(row, load);
    ok += load.ok;
    sent += load.sent;
    // Requests still in flight when autocannon stopped finish meanwhile.
    await new Promise((r) => setTimeout(r, 500));
    const stored = await depositsByBalance(urls.at(-1), cardIds[0]);
    row.depositsStored = stored.deposits;
    row.acknowledged = ok;
    row.sentAll = sent;
    if (spec.store === 'postgres') {
      row.operateRecords = await withClient(db, async (c) =>
        Number(
          (
            await c.query(
              "SELECT count(*) AS n FROM records WHERE collection = 'onerway.operateRecords' AND tenant_id = 'onerway-default' AND data->>'type' = 'DEPOSIT' AND (data->>'cardId')::bigint = $1",
              [cardIds[0]],
            )
          ).rows[0].n,
        ),
      );
    }
    row.verified =
      load.bad === 0 &&
      !row.warmupBad &&
      Number.isInteger(stored.deposits) &&
      stored.deposits >= ok &&
      stored.deposits <= sent &&
      (row.operateRecords === undefined || row.operateRecords === stored.deposits);
  } finally {
    for (const f of cleanup) await Promise.resolve(f());
  }
  return row;
}

/** The rows: the file store, then each replica count on PostgreSQL (skipped, with the reason, without a server). */
export async function replicaRows(config = replicaConfig(), log = console.log) {
  const specs = [{ key: 'file', title: 'file store, 1 process', store: 'file', replicas: 1 }];
  for (const n of config.replicas)
    specs.push({ key: `pg-${n}`, title: `PostgreSQL, ${n} replica${n === 1 ? '' : 's'}, one database`, store: 'postgres', replicas: n });
  const rows = [];
  for (const spec of specs) {
    if (spec.store === 'postgres' && PG_SKIP_REASON) {
      rows.push({ key: spec.key, title: spec.title, store: spec.store, replicas: spec.replicas, skipped: PG_SKIP_REASON });
      log(`  ${spec.title}: skipped (${PG_SKIP_REASON})`);
      continue;
    }
    let row;
    try {
      row = await runRow(spec, config);
    } catch (error) {
      if (spec.store !== 'postgres') throw error;
      // A PostgreSQL that is configured but fails leaves the other rows to run; the row says why.
      rows.push({
        key: spec.key,
        title: spec.title,
        store: spec.store,
        replicas: spec.replicas,
        skipped: `FAILED: ${String(error?.message ?? error).slice(0, 300)}`,
        failed: true,
      });
      log(`  ${spec.title}: FAILED (${error?.stack ?? error})`);
      continue;
    }
    rows.push(row);
    log(
      `  ${spec.title}: ${fmt(row.reqPerSec)} deposits/s (${row.perReplica.map((x) => fmt(x)).join(' + ')}), p99 ${fmt(row.p99)} ms, errors ${fmt(row.bad)}${row.verified ? '' : ` — NOT VERIFIED (stored ${row.depositsStored}, acknowledged ${row.acknowledged}, sent ${row.sentAll}, operate records ${row.operateRecords})`}${row.sample ? ` sample: ${row.sample}` : ''}`,
    );
  }
  const file = rows.find((r) => r.key === 'file');
  for (const r of rows) if (!r.skipped && file) r.ratio = r.reqPerSec / file.reqPerSec;
  return rows;
}

/** The target: 1 replica on PostgreSQL ≥ REPLICA_TARGET × the file store. */
export function replicaChecks(rows) {
  const one = rows.find((r) => r.key === 'pg-1');
  if (!one) return [];
  if (one.skipped) return [{ name: 'PostgreSQL 1 replica / file store', skipped: one.skipped, failed: one.failed, target: `≥ ${REPLICA_TARGET}` }];
  return [{ name: 'PostgreSQL 1 replica / file store', value: one.ratio, target: `≥ ${REPLICA_TARGET}`, pass: one.ratio >= REPLICA_TARGET, ratio: true }];
}

export function replicaTable(rows) {
  const head = [
    'row',
    'deposits/s',
    'ratio to file store',
    'per replica',
    'p50 ms',
    'p99 ms',
    'errors',
    'server CPU µs / deposit',
    'RSS MB (each)',
    'machine busy',
    'verified',
  ];
  const lines = rows.map((r) =>
    r.skipped
      ? [r.title, r.failed ? 'FAILED' : 'skipped', '—', '—', '—', '—', '—', '—', '—', '—', r.skipped]
      : [
          r.title,
          fmt(r.reqPerSec),
          fmt(r.ratio, 2),
          r.perReplica.map((x) => fmt(x)).join(' + '),
          fmt(r.p50),
          fmt(r.p99),
          fmt(r.bad),
          fmt((r.cpuMs.reduce((a, b) => a + b, 0) * 1000) / Math.max(1, r.requests), 0),
          r.rss.map((x) => fmt(x / 2 ** 20, 0)).join(', '),
          r.busy === undefined ? 'n/a' : `${fmt(r.busy * 100)} %`,
          r.verified ? `yes (${fmt(r.depositsStored)} stored)` : 'NO',
        ],
  );
  return { head, lines };
}

export function replicaMethod(config) {
  return [
    `- Replicas (bench/replicas.mjs): real processes (\`node dist/main.js --db …\`), a file store in a temp folder for the file row, and for the PostgreSQL rows 1, 2 or 3 replicas on one fresh database (${PG_SKIP_REASON ? 'not run here' : 'created on SANDBOX_BENCH_PG or SANDBOX_TEST_PG, dropped afterwards'}). ${config.connections} connections in all, connection i on replica i mod N (one autocannon per replica, started together), ${config.seconds} s measured after ${config.warmup} s of warm-up; deposits/s is the sum of the replicas' means, p50/p99 the worst replica's. The same deposits as (b), on one card. Server CPU is the replicas' own (from /proc), not PostgreSQL's; machine busy is every CPU of the machine over the window (PostgreSQL runs on the same machine). Verified: the card's balance equals 100.00 + 10.00 × the deposits stored, which lie between the 20000 answers and the requests sent, and on PostgreSQL the DEPOSIT operate records in the database number the same.`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const config = replicaConfig();
  console.log(
    `bench/replicas.mjs: file store, then PostgreSQL with ${config.replicas.join(', ')} replicas; ${config.connections} connections, ${config.seconds} s (+${config.warmup} s)`,
  );
  const rows = await replicaRows(config);
  const { head, lines } = replicaTable(rows);
  console.log([head.join(' | '), ...lines.map((l) => l.join(' | '))].join('\n'));
  for (const c of replicaChecks(rows))
    console.log(`${c.name}: ${c.skipped ? `skipped (${c.skipped})` : `${fmt(c.value, 2)} (target ${c.target}) ${c.pass ? 'PASS' : 'MISS'}`}`);
}
