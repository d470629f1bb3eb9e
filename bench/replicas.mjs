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
 * their means. The file store's process stays up for the whole group: each PostgreSQL row runs in
 * BENCH_REPLICA_ROUNDS rounds that alternate with rounds of the file store (replicaRows), and its ratio is
 * to those rounds of the file store. Afterwards the card's balance (getCardBalance) must be 100.00 + 10.00 × the deposits
 * stored, and those must number at least the 20000 answers and at most the requests sent; on PostgreSQL
 * the DEPOSIT operate records in the database must number the same. The default merchant balance covers
 * about 99,000 deposits per row (no route tops it up from outside): past that, deposits answer
 * insufficient balance and the row shows errors; more than ~8,000 deposits/s for 10 + 2 s would reach it.
 *
 * Environment (besides run.mjs's BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_QUIET_TIMEOUT):
 *   BENCH_REPLICAS               comma list of replica counts on PostgreSQL (default 1,2,3)
 *   BENCH_REPLICA_ROUNDS         rounds per PostgreSQL row, each BENCH_SECONDS / rounds long, alternating with
 *                                as many of the file store (default 10)
 *   BENCH_REPLICA_WARMUP_SECONDS unmeasured deposits on each row's processes before its rounds (default
 *                                BENCH_WARMUP_SECONDS if set, else 6 s, at most 0.6 × BENCH_SECONDS)
 *   BENCH_REPLICA_CONNECTIONS    load connections in all (default 12)
 *   BENCH_REPLICA_MORE_CONNECTIONS  one more row, informational: 1 replica (and its file store) at this many
 *                                connections (default 48; 0: none)
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
    // A replica on PostgreSQL is still compiling its hot paths 5–6 s after its start (the file store's process
    // about 3 s), and its deposits/s climbs until then: both are measured after that.
    warmup: num('BENCH_REPLICA_WARMUP_SECONDS', num('BENCH_WARMUP_SECONDS', Math.min(6, seconds * 0.6))),
    rounds: Math.max(1, Math.trunc(num('BENCH_REPLICA_ROUNDS', 10))),
    quietTimeout: num('BENCH_QUIET_TIMEOUT', 120),
    replicas: numList('BENCH_REPLICAS', [1, 2, 3]),
    connections: Math.max(1, Math.trunc(num('BENCH_REPLICA_CONNECTIONS', 12))),
    // One more row, informational: one replica (and its file store) at this many connections; 0: none.
    moreConnections: Math.max(0, Math.trunc(num('BENCH_REPLICA_MORE_CONNECTIONS', 48))),
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

/** Starts a row's processes on a fresh store, creates the card and makes one deposit through each replica. */
async function startRow(spec) {
  const state = { spec, row: { key: spec.key, title: spec.title, store: spec.store, replicas: spec.replicas }, cleanup: [], rounds: [], ok: 0, sent: 0 };
  try {
    if (spec.store === 'file') {
      const dir = mkdtempSync(join(tmpdir(), 'card-sandbox-replicas-'));
      state.cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      state.db = join(dir, 'sandbox.json');
    } else {
      const database = await freshDatabase(`replicas_${spec.replicas}`);
      state.cleanup.push(() => database.drop());
      state.db = database.url;
      state.row.database = redact(state.db);
    }
    state.sandboxes = [];
    // One at a time: the first creates the schema, the others find it current.
    for (let i = 0; i < spec.replicas; i++) {
      const s = await spawnSandbox(state.db);
      state.sandboxes.push(s);
      state.cleanup.unshift(() => s.stop());
    }
    state.row.startMs = state.sandboxes.map((s) => s.ms);
    state.urls = state.sandboxes.map((s) => s.url);
    state.cardIds = await createCards(state.urls[0], `R${spec.key}`, 1);
    for (const [i, url] of state.urls.entries()) {
      await onerway(url, '/card/deposit', { clientRequestId: `BENCH_PROBE_${spec.key}_${i}`, cardId: state.cardIds[0], amount: 10.0 });
      state.ok++;
      state.sent++;
    }
    return state;
  } catch (error) {
    await stopRow(state);
    throw error;
  }
}

async function stopRow(state) {
  const steps = state.cleanup.splice(0);
  for (const f of steps) await Promise.resolve(f());
}

/** Unmeasured deposits until the processes run warm (their hot paths compiled). */
async function warmRow(state, config) {
  if (config.warmup <= 0) return;
  const warm = await spreadLoad(state.urls, {
    seconds: config.warmup,
    cardIds: state.cardIds,
    tag: `${state.spec.key}W`,
    connections: state.spec.connections ?? config.connections,
  });
  state.ok += warm.ok;
  state.sent += warm.sent;
  state.row.warmupBad = (state.row.warmupBad ?? 0) + warm.bad;
}

/** One measured round of `seconds` on a row. */
async function measureRound(state, config, seconds) {
  const cpu0 = state.sandboxes.map((s) => procCpuMs(s.pid));
  const machine0 = machineCpu();
  const load = await spreadLoad(state.urls, {
    seconds,
    cardIds: state.cardIds,
    tag: `${state.spec.key}${state.rounds.length}_`,
    connections: state.spec.connections ?? config.connections,
  });
  const round = {
    ...load,
    seconds,
    busy: busyShare(machine0, machineCpu()),
    cpuMs: state.sandboxes.map((s, i) => procCpuMs(s.pid) - cpu0[i]),
  };
  state.rounds.push(round);
  state.ok += load.ok;
  state.sent += load.sent;
  return round;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** deposits/s over `rounds` together: the deposits answered over the seconds measured. */
function pooledRate(rounds) {
  return (
    rounds.reduce((a, r) => a + r.reqPerSec * r.seconds, 0) /
    Math.max(
      1e-9,
      rounds.reduce((a, r) => a + r.seconds, 0),
    )
  );
}

/** Checks what the row's store holds against what was answered, sums its rounds into the row, and stops it. */
async function finishRow(state) {
  const { row, rounds } = state;
  try {
    // Requests still in flight when autocannon stopped finish meanwhile.
    await new Promise((r) => setTimeout(r, 500));
    const stored = await depositsByBalance(state.urls.at(-1), state.cardIds[0]);
    row.depositsStored = stored.deposits;
    row.acknowledged = state.ok;
    row.sentAll = state.sent;
    row.rss = state.sandboxes.map((s) => procStatus(s.pid).rss);
    Object.assign(row, pooled(rounds, state.sandboxes.length));
    if (state.spec.store === 'postgres') {
      row.operateRecords = await withClient(state.db, async (c) =>
        Number(
          (
            await c.query(
              "SELECT count(*) AS n FROM records WHERE collection = 'onerway.operateRecords' AND tenant_id = 'onerway-default' AND data->>'type' = 'DEPOSIT' AND (data->>'cardId')::bigint = $1",
              [state.cardIds[0]],
            )
          ).rows[0].n,
        ),
      );
    }
    row.verified =
      rounds.length > 0 &&
      row.bad === 0 &&
      !row.warmupBad &&
      Number.isInteger(stored.deposits) &&
      stored.deposits >= state.ok &&
      stored.deposits <= state.sent &&
      (row.operateRecords === undefined || row.operateRecords === stored.deposits);
  } finally {
    await stopRow(state);
  }
  return row;
}

const failedRow = (spec, error) => ({
  key: spec.key,
  title: spec.title,
  store: spec.store,
  replicas: spec.replicas,
  skipped: `FAILED: ${String(error?.message ?? error).slice(0, 300)}`,
  failed: true,
});

/** Rounds of `rows` taken in turns (`rows` in order in odd rounds, reversed in even ones); answers each round's results by row. */
async function alternate(states, config) {
  const perRound = config.seconds / config.rounds;
  const paired = [];
  for (let i = 0; i < config.rounds; i++) {
    const order = i % 2 === 0 ? states : [...states].reverse();
    const got = new Map();
    for (const s of order) got.set(s, await measureRound(s, config, perRound));
    paired.push(states.map((s) => got.get(s)));
  }
  return paired;
}

/** What a row's `rounds` add up to, for `replicas` processes: deposits/s over the seconds measured, the worst latencies. */
function pooled(rounds, replicas) {
  const sum = (f) => rounds.reduce((a, r) => a + f(r), 0);
  const per = (f) =>
    sum((r) => f(r) * r.seconds) /
    Math.max(
      1e-9,
      sum((r) => r.seconds),
    );
  return {
    rounds: rounds.length,
    reqPerSec: pooledRate(rounds),
    requests: sum((r) => r.requests),
    ok: sum((r) => r.ok),
    bad: sum((r) => r.bad),
    sent: sum((r) => r.sent),
    sample: rounds.find((r) => r.sample)?.sample,
    p50: Math.max(...rounds.map((r) => r.p50)),
    p99: Math.max(...rounds.map((r) => r.p99)),
    perReplica: Array.from({ length: replicas }, (_, i) => per((r) => r.perReplica[i])),
    busy: rounds.every((r) => r.busy !== undefined) ? per((r) => r.busy) : undefined,
    cpuMs: Array.from({ length: replicas }, (_, i) => sum((r) => r.cpuMs[i])),
  };
}

/** The file store's row over all its processes (one beside each PostgreSQL row): their rounds pooled. */
function fileRowOf(spec, parts) {
  return {
    key: spec.key,
    title: spec.title,
    store: spec.store,
    replicas: 1,
    processes: parts.length,
    ...pooled(
      parts.flatMap((p) => p.roundList),
      1,
    ),
    rss: [Math.max(...parts.map((p) => p.rss[0]))],
    depositsStored: parts.reduce((a, p) => a + p.depositsStored, 0),
    verified: parts.length > 0 && parts.every((p) => p.verified),
    ratio: 1,
  };
}

/**
 * The rows: the file store, then each replica count on PostgreSQL (skipped, with the reason, without a
 * server). Each PostgreSQL row runs beside a file store process of its own, started and warmed the same
 * way, in `rounds` rounds that alternate with rounds of that file store (file first in odd rounds,
 * PostgreSQL first in even ones): on a shared machine the speed drifts by tens of per cent from one
 * minute to the next, more than the difference being measured, so both must see the same minutes. A
 * row's deposits/s pools its rounds; a PostgreSQL row's ratio is to the file store's rounds paired with
 * it, and the file store's row pools all of its processes' rounds.
 */
export async function replicaRows(config = replicaConfig(), log = console.log) {
  const fileSpec = { key: 'file', title: 'file store, 1 process', store: 'file', replicas: 1 };
  const specs = config.replicas.map((n) => ({
    key: `pg-${n}`,
    title: `PostgreSQL, ${n} replica${n === 1 ? '' : 's'}, one database`,
    store: 'postgres',
    replicas: n,
  }));
  // The replica waits on its round trips, the file store on its core: how the ratio moves with the load's concurrency.
  if (config.moreConnections > 0)
    specs.push({
      key: 'pg-1-more',
      title: `PostgreSQL, 1 replica, ${config.moreConnections} connections (informational)`,
      store: 'postgres',
      replicas: 1,
      connections: config.moreConnections,
    });
  const rows = [];
  const fileParts = [];
  const finishFile = async (state) => {
    const row = await finishRow(state);
    fileParts.push({ ...row, roundList: state.rounds });
  };
  for (const spec of specs) {
    if (PG_SKIP_REASON) {
      rows.push({ key: spec.key, title: spec.title, store: spec.store, replicas: spec.replicas, skipped: PG_SKIP_REASON });
      log(`  ${spec.title}: skipped (${PG_SKIP_REASON})`);
      continue;
    }
    const file = await startRow(spec.connections === undefined ? fileSpec : { ...fileSpec, connections: spec.connections });
    let row;
    let paired;
    try {
      const state = await startRow(spec);
      try {
        await warmRow(file, config);
        await warmRow(state, config);
        state.row.quiet = config.quietTimeout > 0 ? await waitQuiet(config.quietTimeout) : undefined;
        paired = await alternate([file, state], config);
      } finally {
        row = await finishRow(state);
      }
    } catch (error) {
      await stopRow(file);
      // A PostgreSQL that is configured but fails leaves the other rows to run; the row says why.
      rows.push(failedRow(spec, error));
      log(`  ${spec.title}: FAILED (${error?.stack ?? error})`);
      continue;
    }
    // The file store's row pools the rounds at the rows' own concurrency only.
    if (spec.connections === undefined) await finishFile(file);
    else row.verified = row.verified && (await finishRow(file)).verified;
    row.connections = spec.connections;
    row.fileReqPerSec = pooledRate(paired.map(([f]) => f));
    row.pooledRatio = row.reqPerSec / row.fileReqPerSec;
    row.roundRatios = paired.map(([f, pg]) => pg.reqPerSec / f.reqPerSec);
    // The median pair: a hiccup of the machine in one round moves that round's ratio, not the row's.
    row.ratio = median(row.roundRatios);
    rows.push(row);
    log(
      `  ${spec.title}: ${fmt(row.reqPerSec)} deposits/s (${row.perReplica.map((x) => fmt(x)).join(' + ')}) against the file store's ${fmt(row.fileReqPerSec)} in the rounds beside it: ${fmt(row.ratio, 2)} × in the median round (pooled ${fmt(row.pooledRatio, 2)}; round by round ${row.roundRatios.map((x) => fmt(x, 2)).join(', ')}), p99 ${fmt(row.p99)} ms, errors ${fmt(row.bad)}${row.verified ? '' : ` — NOT VERIFIED (stored ${row.depositsStored}, acknowledged ${row.acknowledged}, sent ${row.sentAll}, operate records ${row.operateRecords})`}${row.sample ? ` sample: ${row.sample}` : ''}`,
    );
  }
  if (fileParts.length === 0) {
    // No PostgreSQL row ran: the file store is measured on its own, as the baseline of the report.
    const file = await startRow(fileSpec);
    try {
      await warmRow(file, config);
      file.row.quiet = config.quietTimeout > 0 ? await waitQuiet(config.quietTimeout) : undefined;
      await alternate([file], config);
    } finally {
      await finishFile(file);
    }
  }
  const fileRow = fileRowOf(fileSpec, fileParts);
  log(
    `  ${fileRow.title}: ${fmt(fileRow.reqPerSec)} deposits/s over ${fileRow.rounds} rounds (${fileRow.processes} process${fileRow.processes === 1 ? '' : 'es'}), p99 ${fmt(fileRow.p99)} ms, errors ${fmt(fileRow.bad)}${fileRow.verified ? '' : ' — NOT VERIFIED'}`,
  );
  return [fileRow, ...rows];
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
    'ratio to file store (median round)',
    'pooled ratio (file store beside it)',
    'ratio round by round',
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
      ? [r.title, r.failed ? 'FAILED' : 'skipped', '—', '—', '—', '—', '—', '—', '—', '—', '—', '—', r.skipped]
      : [
          r.title,
          fmt(r.reqPerSec),
          fmt(r.ratio, 2),
          r.fileReqPerSec === undefined ? '—' : `${fmt(r.pooledRatio, 2)} (${fmt(r.fileReqPerSec)})`,
          r.roundRatios ? r.roundRatios.map((x) => fmt(x, 2)).join(', ') : `${fmt(r.rounds)} rounds${r.processes > 1 ? `, ${r.processes} processes` : ''}`,
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
    `- Replicas (bench/replicas.mjs): real processes (\`node dist/main.js --db …\`), a file store in a temp folder for the file row, and for the PostgreSQL rows 1, 2 or 3 replicas on one fresh database (${PG_SKIP_REASON ? 'not run here' : 'created on SANDBOX_BENCH_PG or SANDBOX_TEST_PG, dropped afterwards'}). ${config.connections} connections in all, connection i on replica i mod N (one autocannon per replica, started together). The same deposits as (b), on one card. Each PostgreSQL row runs beside a file store process of its own: both are warmed for ${config.warmup} s (a replica on PostgreSQL is still compiling its hot paths 5–6 s after its start, and its deposits/s climbs until then), then measured in ${config.rounds} rounds of ${fmt(config.seconds / config.rounds, 1)} s each, taking turns (file first in odd rounds, PostgreSQL first in even ones), because this machine's speed drifts by tens of per cent within a minute. A row's deposits/s is its deposits over its measured seconds (each round the sum of the replicas' autocannon means). Its ratio is the median of its rounds' ratios, each to the file store's round beside it, so that a hiccup of the machine during one round moves that round, not the row; the pooled ratio (to the file store's rounds beside it, in brackets) and the round-by-round ratios show the spread. The file store row pools all of its processes' rounds. p50/p99 are the worst replica's in the worst round. Server CPU is the replicas' own (from /proc), not PostgreSQL's; machine busy is every CPU of the machine over the rounds (PostgreSQL runs on the same machine). Verified: the card's balance equals 100.00 + 10.00 × the deposits stored, which lie between the 20000 answers and the requests sent, and on PostgreSQL the DEPOSIT operate records in the database number the same.${config.moreConnections > 0 ? ` The last row, informational, is one replica at ${config.moreConnections} connections beside a file store at as many (not pooled into the file store's row): the replica waits on its round trips more than it computes, the file store is bound by its core, so the ratio moves with the load's concurrency.` : ''}`,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const config = replicaConfig();
  console.log(
    `bench/replicas.mjs: PostgreSQL with ${config.replicas.join(', ')} replicas, each beside a file store; ${config.connections} connections, ${config.rounds} rounds of ${fmt(config.seconds / config.rounds, 1)} s each (after ${config.warmup} s of warm-up)`,
  );
  const rows = await replicaRows(config);
  const { head, lines } = replicaTable(rows);
  console.log([head.join(' | '), ...lines.map((l) => l.join(' | '))].join('\n'));
  for (const c of replicaChecks(rows))
    console.log(`${c.name}: ${c.skipped ? `skipped (${c.skipped})` : `${fmt(c.value, 2)} (target ${c.target}) ${c.pass ? 'PASS' : 'MISS'}`}`);
}
