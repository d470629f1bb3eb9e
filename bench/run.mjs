/**
 * `npm run bench`: throughput and latency of the Onerway deposit path, against a bare Express baseline.
 *
 *   (a) bare Express 5 + express.json() returning a fixed envelope (bench/servers/bare.mjs)
 *   (b) POST /api/v1/merchant/card/deposit through the whole sandbox pipeline, file store with the default
 *       durability ('write'), a new clientRequestId per request (bench/servers/sandbox.mjs)
 *   (c) the same as (b) once the store holds BENCH_PRELOAD (50,000) operate records, compacted into the
 *       snapshot
 *   informational rows (BENCH_EXTRAS=0 skips them): (b) with durability 'fsync', (b) with ':memory:', and
 *   (b) with the deposits spread over 100 cards instead of one.
 *   replicas: deposits/s through 1, 2 and 3 sandbox processes on one PostgreSQL database beside one on the
 *       file store, as ratios to it (bench/replicas.mjs)
 *   scale: RSS and start-up after 10k and after 1M stored deposits, on both stores (bench/scale.mjs)
 *   The PostgreSQL rows use SANDBOX_BENCH_PG, else SANDBOX_TEST_PG (a fresh database per row, dropped
 *   afterwards); without either they are reported as skipped. Their own settings (BENCH_REPLICAS,
 *   BENCH_REPLICA_CONNECTIONS, BENCH_SCALE_*) are described in those files.
 *
 * Every server runs in its own child process (fork + IPC); the load generator (autocannon, 10
 * connections) runs here. Results go to stdout and to BENCHMARKS.md (BENCH_OUT overrides the path).
 *
 * Environment:
 *   BENCH_SECONDS          measured seconds per scenario (default 10)
 *   BENCH_WARMUP_SECONDS   unmeasured warm-up per scenario (default min(2, BENCH_SECONDS / 5))
 *   BENCH_PRELOAD          operate records preloaded for (c) (default 50000)
 *   BENCH_EXTRAS           0: skip the informational rows
 *   BENCH_ONLY             comma list of scenario keys to run (a,b,c,b-fsync,b-memory,b-cards,replicas,scale)
 *   BENCH_PROFILE          a directory: write a V8 CPU profile of each sandbox server's measured window
 *                          there (<key>.cpuprofile); summarise with `node bench/profile-summary.mjs <file>`
 *   BENCH_OUT              report path (default BENCHMARKS.md at the package root)
 *   BENCH_QUIET_TIMEOUT    seconds to wait, before each scenario, for the machine to be ≤ 15 % busy
 *                          (default 120; 0 starts at once)
 *   BENCH_CHILD_ARGS       node options for the server children, e.g. "--trace-gc" (their output goes to stderr/stdout)
 *   BENCH_PAIR_ROUNDS      rounds of the paired ratios (pairedRatios: (b)/(a) and (c)/(b) from servers side by side
 *                          taking turns; default 10; 0 measures the ratios from the rows above, one after the other)
 *   BENCH_PAIR_SECONDS     seconds per server per round (default 1)
 *   BENCH_PAIR_WARMUP_SECONDS  unmeasured deposits on each paired server first (default 3)
 *   BENCH_REPORT_ONLY=1    no runs: re-render the report from the last run's figures (saved in the OS
 *                          temp dir as card-sandbox-bench-last.json), e.g. after changing how it is rendered
 *
 * No assertion here fails the process on a missed target: targets are reported PASS/MISS only.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { footprintMarkdown } from './footprint-report.mjs';
import { replicaChecks, replicaConfig, replicaMethod, replicaRows, replicaTable } from './replicas.mjs';
import { scaleChecks, scaleConfig, scaleMethod, scaleRows, scaleTable } from './scale.mjs';
import {
  API_KEY,
  DEFAULT_MERCHANT_BALANCE_MINOR,
  DEPOSIT_AMOUNT,
  DEPOSIT_COST_MINOR,
  DEPOSIT_PATH,
  ROOT,
  createCards,
  depositLoad,
  fmt,
  git,
  machine as machineInfo,
  machineCpu,
  mb,
  num,
  onerway,
  srcChanges,
  startServer,
  stopServer,
  waitQuiet,
} from './lib.mjs';

const SECONDS = num('BENCH_SECONDS', 10);
const WARMUP = num('BENCH_WARMUP_SECONDS', Math.min(2, SECONDS / 5));
const CONNECTIONS = 10;
const PRELOAD = Math.trunc(num('BENCH_PRELOAD', 50_000));
const EXTRAS = process.env.BENCH_EXTRAS !== '0';
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : undefined;
const PROFILE_DIR = process.env.BENCH_PROFILE ? resolve(process.env.BENCH_PROFILE) : undefined;
const OUT = resolve(ROOT, process.env.BENCH_OUT ?? 'BENCHMARKS.md');
const QUIET_TIMEOUT = num('BENCH_QUIET_TIMEOUT', 120);
const PAIR_ROUNDS = Math.max(0, Math.trunc(num('BENCH_PAIR_ROUNDS', 10)));
const PAIR_SECONDS = num('BENCH_PAIR_SECONDS', 1);
const PAIR_WARMUP = num('BENCH_PAIR_WARMUP_SECONDS', 3);

/** Balance planned for: this many deposits per second for the warm-up + measured time, never less than 100k. */
const PLAN_RPS = 20_000;

const TARGETS = { ba: 0.6, cb: 0.9, p99: 20 };

const SCENARIOS = [
  { key: 'a', title: '(a) bare Express 5 + express.json(), fixed envelope', script: 'bare.mjs' },
  { key: 'b', title: "(b) sandbox deposit, file store (default durability 'write')", script: 'sandbox.mjs', options: {} },
  {
    key: 'c',
    title: `(c) as (b), store preloaded with ${PRELOAD.toLocaleString('en-US')} operate records`,
    script: 'sandbox.mjs',
    options: {},
    preload: PRELOAD,
  },
  {
    key: 'b-fsync',
    title: "(info) as (b), durability 'fsync' (fdatasync before each answer)",
    script: 'sandbox.mjs',
    options: { durability: 'fsync' },
    extra: true,
  },
  { key: 'b-memory', title: "(info) as (b), ':memory:' store (no disk)", script: 'sandbox.mjs', options: { db: ':memory:' }, extra: true },
  { key: 'b-cards', title: '(info) as (b), deposits spread over 100 cards', script: 'sandbox.mjs', options: {}, cards: 100, extra: true },
].filter((s) => (ONLY ? ONLY.has(s.key) : !s.extra || EXTRAS));
/** The PostgreSQL groups of rows (bench/replicas.mjs, bench/scale.mjs), run after the scenarios. */
const GROUPS = ['replicas', 'scale'].filter((k) => !ONLY || ONLY.has(k));

// ---------------------------------------------------------------------------------------------------
// a quiet machine

/**
 * Waits (up to BENCH_QUIET_TIMEOUT seconds) until the machine has been at most 15 % busy for a whole
 * second, so a scenario does not start while something else (a test run) holds the CPUs. Returns the
 * last busy share seen and how long it waited.
 */
async function quiet() {
  const started = performance.now();
  const share = await waitQuiet(QUIET_TIMEOUT);
  return { share, waitedMs: share === undefined ? 0 : performance.now() - started - 1000 };
}

// ---------------------------------------------------------------------------------------------------
// scenarios

/**
 * Starts a scenario's server and readies it for `seconds` of deposits: on a sandbox, its cards, a merchant
 * balance for them, the preload, and one deposit by hand (the card has settled ACTIVE and the path
 * answers 20000 before the load starts). Answers { server, cardIds, prepare, topUpMinor }.
 */
async function readyServer(scenario, seconds) {
  const server = await startServer(scenario.script, scenario.options, { gc: false });
  if (scenario.script !== 'sandbox.mjs') return { server, cardIds: [100001] };
  try {
    const cardIds = await createCards(server.url, scenario.key, scenario.cards ?? 1);
    const planned = Math.ceil(PLAN_RPS * seconds * DEPOSIT_COST_MINOR);
    const topUpMinor = Math.max(0, planned - DEFAULT_MERCHANT_BALANCE_MINOR);
    const prepare = await server.call('prepare', { topUpMinor, preload: scenario.preload ?? 0, cardId: cardIds[0] });
    for (const id of cardIds) await onerway(server.url, '/card/deposit', { clientRequestId: `BENCH_PROBE_${scenario.key}_${id}`, cardId: id, amount: 10.0 });
    return { server, cardIds, prepare, topUpMinor };
  } catch (error) {
    await stopServer(server);
    throw error;
  }
}

async function runScenario(scenario) {
  const t0 = performance.now();
  const { server, cardIds, prepare, topUpMinor } = await readyServer(scenario, SECONDS + WARMUP);
  const row = { key: scenario.key, title: scenario.title, sandbox: scenario.script === 'sandbox.mjs', cards: scenario.cards ?? 1, prepare, topUpMinor };
  try {
    if (WARMUP > 0) {
      const warm = await depositLoad(server.url, { seconds: WARMUP, cardIds, tag: `${scenario.key}W`, connections: CONNECTIONS });
      row.warmup = { requests: warm.result.requests.total, bad: warm.check.bad + warm.result.non2xx + warm.result.errors };
    }
    row.before = row.sandbox ? await server.call('stats') : undefined;
    row.quiet = QUIET_TIMEOUT > 0 ? await quiet() : undefined;
    const profileFile = row.sandbox && PROFILE_DIR ? join(PROFILE_DIR, `${scenario.key}.cpuprofile`) : undefined;
    if (profileFile) mkdirSync(PROFILE_DIR, { recursive: true });
    await server.call('mark', { profile: profileFile });
    if (row.sandbox) await server.call('ioReset');
    const machineBefore = machineCpu();
    const selfBefore = process.cpuUsage();
    const { result, check, sent } = await depositLoad(server.url, { seconds: SECONDS, cardIds, tag: scenario.key, connections: CONNECTIONS });
    const machineAfter = machineCpu();
    const self = process.cpuUsage(selfBefore);
    row.loadGenCpuMs = (self.user + self.system) / 1000;
    row.machineBusyMs = machineBefore && machineAfter ? machineAfter.busyMs - machineBefore.busyMs : undefined;
    row.io = row.sandbox ? await server.call('io') : undefined;
    row.server = await server.call('measure');
    // CPU the rest of the machine used meanwhile (other processes): busy time from /proc/stat minus
    // the load generator's and the server's own.
    row.otherCpuShare =
      row.machineBusyMs === undefined
        ? undefined
        : Math.max(0, row.machineBusyMs - row.loadGenCpuMs - row.server.cpuMs) / (row.server.wallMs * availableParallelism());
    row.memory = await server.call('rss');
    row.after = row.sandbox ? await server.call('stats') : undefined;
    if (row.sandbox) {
      row.drain = await server.call('drain');
      row.drained = await server.call('stats', { prefix: `BENCH_${scenario.key}_`, cardId: cardIds[0] });
    }
    row.result = result;
    row.check = check;
    row.sent = sent;
    row.reqPerSec = result.requests.mean;
    row.p50 = result.latency.p50;
    row.p99 = result.latency.p99;
    row.meanLatency = result.latency.mean;
    row.maxLatency = result.latency.max;
    row.errors = result.errors + result.timeouts + result.non2xx + check.bad;
    row.rssMB = row.memory.rss / 2 ** 20;
    row.maxRssMB = row.memory.maxRss / 2 ** 20;
    if (row.sandbox) {
      // Every counted 20000 answer is a record of this run in the store (found by its clientRequestId
      // prefix); requests still in flight when autocannon stopped may add a few more, never more than
      // were built. After the drain, every one of them has settled S.
      const created = row.drained.tagged;
      row.recordsCreated = created;
      row.recordsSettled = row.drained.taggedSettled;
      row.verified = check.bad === 0 && created >= check.ok && created <= sent && row.recordsSettled === created;
    } else {
      row.verified = check.bad === 0 && check.ok === result['2xx'];
    }
  } finally {
    await stopServer(server);
  }
  row.elapsedMs = performance.now() - t0;
  return row;
}

/**
 * The targets' ratios (b)/(a) and (c)/(b), from rounds taken in turns: fresh servers of (a), (b) and (c)
 * run side by side, each warmed for BENCH_PAIR_WARMUP_SECONDS, then BENCH_PAIR_ROUNDS rounds of
 * BENCH_PAIR_SECONDS each on every server in turn (a b c, then c b a), and each ratio is the median of
 * its rounds' ratios. The machine's speed moves by tens of per cent within seconds (bench/FINDINGS.md),
 * so rows measured one after the other for 10 s each compare different machines; a round's two servers
 * ran a second apart. Answers undefined when fewer than two of (a), (b), (c) run.
 */
async function pairedRatios() {
  const scenarios = ['a', 'b', 'c'].map((k) => SCENARIOS.find((s) => s.key === k)).filter(Boolean);
  if (scenarios.length < 2) return undefined;
  process.stdout.write(`  (a), (b), (c) side by side, ${PAIR_ROUNDS} rounds of ${PAIR_SECONDS} s in turns … `);
  const servers = [];
  const rounds = [];
  try {
    for (const scenario of scenarios) servers.push({ key: scenario.key, ...(await readyServer(scenario, PAIR_WARMUP + PAIR_ROUNDS * PAIR_SECONDS)) });
    let bad = 0;
    const load = async (s, seconds, tag) => {
      const { result, check } = await depositLoad(s.server.url, { seconds, cardIds: s.cardIds, tag, connections: CONNECTIONS });
      bad += check.bad + result.non2xx + result.errors + result.timeouts;
      return result.requests.mean;
    };
    if (PAIR_WARMUP > 0) for (const s of servers) await load(s, PAIR_WARMUP, `${s.key}PW`);
    for (let i = 0; i < PAIR_ROUNDS; i++) {
      const round = {};
      for (const s of i % 2 === 0 ? servers : [...servers].reverse()) round[s.key] = await load(s, PAIR_SECONDS, `${s.key}P${i}_`);
      rounds.push(round);
    }
    const ratios = (num, den) => (rounds[0][num] === undefined || rounds[0][den] === undefined ? undefined : rounds.map((r) => r[num] / r[den]));
    const out = { rounds, seconds: PAIR_SECONDS, warmup: PAIR_WARMUP, verified: bad === 0, ba: ratios('b', 'a'), cb: ratios('c', 'b') };
    console.log(
      `b/a ${out.ba ? fmt(median(out.ba), 2) : 'n/a'}, c/b ${out.cb ? fmt(median(out.cb), 2) : 'n/a'} (medians)${out.verified ? '' : ' — NOT VERIFIED (answers other than 20000)'}`,
    );
    return out;
  } finally {
    for (const s of servers) await stopServer(s.server);
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// ---------------------------------------------------------------------------------------------------
// report

const pct = (n) => `${fmt(n * 100, 0)} %`;
const mark = (ok) => (ok ? 'PASS' : 'MISS');

/** lib.mjs's machine(), with the commit and the changed src/ files apart, the run's settings and autocannon's version. */
function machine() {
  return {
    ...machineInfo(),
    config: { seconds: SECONDS, warmup: WARMUP, preload: PRELOAD, quietTimeout: QUIET_TIMEOUT, connections: CONNECTIONS },
    platform: `${process.platform} ${process.arch}`,
    commit: git('git rev-parse --short HEAD'),
    dirty: srcChanges(),
    autocannon: JSON.parse(readFileSync(join(ROOT, 'node_modules', 'autocannon', 'package.json'), 'utf8')).version,
  };
}

function table(rows) {
  const head = [
    'scenario',
    'req/s (mean)',
    'req/s (sd)',
    'p50 ms',
    'p99 ms',
    'max ms',
    'errors / non-2xx',
    'RSS MB (end)',
    'RSS MB (peak)',
    'server CPU',
    'server CPU µs / req',
    'load-gen CPU',
    'other processes CPU',
    'machine busy before start',
    'loop delay max ms',
  ];
  const lines = rows.map((r) => [
    r.title,
    fmt(r.reqPerSec, 0),
    fmt(r.result.requests.stddev, 0),
    fmt(r.p50, 0),
    fmt(r.p99, 0),
    fmt(r.maxLatency, 0),
    `${fmt(r.errors)}${r.check.bad ? ` (${fmt(r.check.bad)} bodies ≠ 20000)` : ''}`,
    fmt(r.rssMB, 1),
    fmt(r.maxRssMB, 1),
    pct(r.server.cpuMs / r.server.wallMs),
    fmt(cpuPerRequest(r), 0),
    pct(r.loadGenCpuMs / r.server.wallMs),
    r.otherCpuShare === undefined ? 'n/a' : pct(r.otherCpuShare),
    r.quiet?.share === undefined ? 'n/a' : `${pct(r.quiet.share)}${r.quiet.waitedMs > 500 ? ` (waited ${fmt(r.quiet.waitedMs / 1000)} s)` : ''}`,
    fmt(r.server.loopDelay.max, 1),
  ]);
  return { head, lines };
}

function markdownTable({ head, lines }) {
  const esc = (s) => String(s).replaceAll('|', '\\|');
  return [
    `| ${head.map(esc).join(' | ')} |`,
    `| ${head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...lines.map((l) => `| ${l.map(esc).join(' | ')} |`),
  ].join('\n');
}

function consoleTable({ head, lines }) {
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const row = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [row(head), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(row)].join('\n');
}

/**
 * The targets: (b)/(a) and (c)/(b) as the median of the paired rounds' ratios where they ran (the
 * ratio of the rows above, one after the other, beside it), else of the rows above; the p99s.
 */
function evaluate(byKey, pairs) {
  const { a, b, c } = byKey;
  const out = [];
  const ratio = (name, num, den, rounds, target) => {
    const sequential = num && den ? num.reqPerSec / den.reqPerSec : undefined;
    const value = rounds ? median(rounds) : sequential;
    if (value === undefined) return;
    const how = rounds ? ` (median of ${rounds.length} paired rounds${sequential === undefined ? '' : `; ${fmt(sequential, 2)} from the rows above`})` : '';
    out.push({ name: `${name}${how}`, value, target: `≥ ${target}`, pass: value >= target, ratio: true });
  };
  ratio('b/a throughput', b, a, pairs?.ba, TARGETS.ba);
  ratio('c/b throughput', c, b, pairs?.cb, TARGETS.cb);
  if (b) out.push({ name: 'p99 of (b)', value: b.p99, target: `≤ ${TARGETS.p99} ms`, pass: b.p99 <= TARGETS.p99 });
  if (c) out.push({ name: 'p99 of (c)', value: c.p99, target: `≤ ${TARGETS.p99} ms`, pass: c.p99 <= TARGETS.p99 });
  return out;
}

function sandboxDetails(rows) {
  const head = [
    'scenario',
    'requests counted',
    '20000 bodies',
    'records created',
    'settled S',
    'verified',
    'job backlog at end',
    'P records at end',
    'drain ms',
    'WAL MB (end)',
    'snapshot MB (end)',
    'first card record KB (history entries)',
    'setup',
  ];
  const lines = rows
    .filter((r) => r.sandbox)
    .map((r) => [
      r.title,
      fmt(r.result.requests.total),
      fmt(r.check.ok),
      fmt(r.recordsCreated),
      fmt(r.recordsSettled),
      r.verified ? 'yes' : 'NO',
      fmt(r.after.jobs),
      fmt(r.after.pendingOperateRecords),
      fmt(r.drain.drainMs, 0),
      mb(r.after.walBytes),
      mb(r.after.snapshotBytes),
      `${fmt(r.drained.cardBytes / 1024, 1)} (${fmt(r.drained.cardHistory)})`,
      r.prepare.preloadMs !== undefined
        ? `preload ${fmt(r.prepare.preloadMs / 1000, 1)} s + compact ${fmt(r.prepare.compactMs / 1000, 1)} s (event loop held ${fmt(r.prepare.compactLoopStallMs, 0)} ms) → snapshot ${mb(r.prepare.stats.snapshotBytes)} MB`
        : '—',
    ]);
  return { head, lines };
}

function ioDetails(rows) {
  const head = [
    'scenario',
    'commits / deposit',
    'WAL KB / deposit',
    'WAL writes/s',
    'zeros laid ahead KB / deposit',
    'compactions started (mean s each)',
    'fsyncs/s',
    'fsync ms (mean)',
    'commit→durable ms (mean / max)',
    'runDue ms (mean / max)',
  ];
  const lines = rows
    .filter((r) => r.sandbox)
    .map((r) => {
      const n = Math.max(1, r.check.ok);
      const s = r.server.wallMs / 1000;
      return [
        r.title,
        fmt(r.io.commits / n, 2),
        fmt(r.io.writeBytes / 1024 / n, 1),
        fmt(r.io.writes / s),
        fmt((r.io.fillBytes ?? 0) / 1024 / n, 1),
        r.io.compactions ? `${fmt(r.io.compactions)} (${fmt(r.io.compactMs / r.io.compactions / 1000, 1)})` : '0',
        fmt(r.io.syncs / s),
        r.io.syncs ? fmt(r.io.syncMs / r.io.syncs, 2) : '—',
        `${fmt(r.io.commitMs / Math.max(1, r.io.commits), 2)} / ${fmt(r.io.commitMaxMs, 0)}`,
        `${fmt(r.io.runDueMs / Math.max(1, r.io.runDue), 2)} / ${fmt(r.io.runDueMaxMs, 0)}`,
      ];
    });
  return { head, lines };
}

function interpretation(rows, byKey, checks, env, pairs) {
  const { a, b, c } = byKey;
  const out = [];
  // Skipped rows and informational ratios are not targets.
  const missed = checks.filter((x) => (x.pass === false && !x.informational) || x.failed).map((x) => x.name);
  out.push(missed.length === 0 ? 'All targets were met in this run.' : `Missed in this run: ${missed.join(', ')}.`);
  if (a && b) {
    const busy = b.server.cpuMs / b.server.wallMs >= 0.9;
    out.push(
      `The full pipeline serves ${fmt(b.reqPerSec)} deposits/s against ${fmt(a.reqPerSec)} req/s for bare Express (${pct(b.reqPerSec / a.reqPerSec)}${pairs?.ba ? `; ${pct(median(pairs.ba))} in the paired rounds` : ''}). ` +
        `The sandbox child ran at ${pct(b.server.cpuMs / b.server.wallMs)} of a core, ${fmt(cpuPerRequest(b), 0)} µs of CPU per deposit against ${fmt(cpuPerRequest(a), 0)} µs per bare request: ` +
        (busy
          ? 'it is CPU-bound, so the gap is the work done per deposit rather than waiting for the disk.'
          : 'it is not CPU-bound, so part of the gap is waiting (disk or scheduling), not work.'),
    );
  }
  const f = byKey['b-fsync'];
  const m = byKey['b-memory'];
  if (b && f) {
    out.push(
      `With durability 'fsync' (an fdatasync before each answer, which also survives a power cut) the pipeline serves ${fmt(f.reqPerSec)} deposits/s, p99 ${fmt(f.p99)} ms: ${pct(f.reqPerSec / b.reqPerSec)} of (b)` +
        (a ? ` and ${pct(f.reqPerSec / a.reqPerSec)} of bare Express` : '') +
        `, waiting ${f.io.commits ? fmt(f.io.commitMs / f.io.commits, 2) : '—'} ms on average for its commit to be durable (${fmt(f.io.syncs / (f.server.wallMs / 1000))} fsyncs/s).`,
    );
  }
  if (b && m) {
    out.push(
      `Without the disk (':memory:'): ${fmt(m.reqPerSec)} req/s, p99 ${fmt(m.p99)} ms, ${fmt(cpuPerRequest(m), 0)} µs CPU per deposit. The log (serialising ${fmt(b.io.writeBytes / 1024 / Math.max(1, b.check.ok), 1)} KB per deposit in ${fmt(b.io.commits / Math.max(1, b.check.ok), 1)} commits, writing it, and the snapshots) costs about ${pct(Math.max(0, 1 - b.reqPerSec / m.reqPerSec))} of throughput; with no disk at all the pipeline reaches ${a ? pct(m.reqPerSec / a.reqPerSec) : 'n/a'} of bare Express.`,
    );
  }
  const many = byKey['b-cards'];
  if (b && many) {
    const perOne = b.io.writeBytes / Math.max(1, b.check.ok);
    const perMany = many.io.writeBytes / Math.max(1, many.check.ok);
    out.push(
      `Spread over ${many.cards} cards: ${fmt(many.reqPerSec)} req/s, p99 ${fmt(many.p99)} ms, ${fmt(perMany / 1024, 1)} KB of log per deposit; on one card ${fmt(perOne / 1024, 1)} KB, the card record ${fmt(b.drained.cardBytes / 1024, 1)} KB (history: ${fmt(b.drained.cardHistory)} ${b.drained.cardHistory === 1 ? 'entry' : 'entries'}) after ${fmt(b.drained.tagged)} deposits. ` +
        (perOne > 2 * perMany
          ? 'A deposit on a busy card costs more than one on a fresh card: the card record grows with its deposits.'
          : 'The cost of a deposit does not depend on how many deposits its card has had.'),
    );
  }
  if (b && c) {
    const when = compactionTiming(c);
    out.push(
      `With ${env.config.preload.toLocaleString('en-US')} operate records preloaded (snapshot ${mb(c.prepare.stats.snapshotBytes)} MB, RSS ${fmt(c.rssMB, 0)} MB vs ${fmt(b.rssMB, 0)} MB), throughput is ${pct(c.reqPerSec / b.reqPerSec)} of (b)${pairs?.cb ? ` in the rows above, ${pct(median(pairs.cb))} in the paired rounds` : ''}: the request path does not scan operate records. ` +
        `Compacting that store (from memory, a chunk at a time) held the event loop for at most ${fmt(c.prepare.compactLoopStallMs, 0)} ms (measured during the preload); ` +
        (when === 'none'
          ? `none ran during the measured run (the log reached ${mb(c.after.walBytes)} MB of the ${mb(compactionThreshold(c))} MB threshold).`
          : `${fmt(c.io.compactions)} started during the measured run, taking ${fmt(c.io.compactMs / Math.max(1, c.io.compactions) / 1000, 1)} s each while requests went on between its chunks (event loop held up to ${fmt(c.server.loopDelay.max, 0)} ms, max latency ${fmt(c.maxLatency, 0)} ms).`),
    );
  }
  const stalls = rows.filter((r) => r.server.loopDelay.max > 50);
  if (stalls.length) {
    const label = {
      during: ' (a compaction ran inside the measured run)',
      end: ' (a compaction started as the run ended, after the last counted response)',
      none: '',
    };
    const perDeposit = b ? b.io.writeBytes / Math.max(1, b.check.ok) : undefined;
    out.push(
      `Event-loop stalls over 50 ms: ${stalls.map((r) => `${r.key} ${fmt(r.server.loopDelay.max, 0)} ms${label[compactionTiming(r)]}`).join('; ')}. ` +
        "A compaction writes the store from memory a 1 MiB chunk at a time, so the event loop is held by one chunk's serialisation at most, besides the view of the records taken when the segment is sealed (one array of references per tenant); what remains of the stalls is garbage collection of a heap that grows with every deposit (records, ledger entries, idempotency answers, webhook log) and the compaction's chunks taking turns with requests on the same two CPUs. p99 hides them because each one delays about one request per connection." +
        (perDeposit
          ? ` The log first reaches the 64 MB threshold after about ${fmt((64 * 2 ** 20) / perDeposit)} deposits at ${fmt(perDeposit / 1024, 1)} KB each, close to what one warm-up plus measured run sends at this rate, so whether a compaction falls inside a window is a matter of timing.`
          : ''),
    );
  }
  const backlog = rows.filter((r) => r.sandbox && r.after.jobs > 0);
  if (backlog.length) out.push(`Settlement jobs were still queued when the load stopped (${backlog.map((r) => `${r.key}: ${fmt(r.after.jobs)}`).join(', ')}).`);
  const noisy = rows.filter((r) => r.otherCpuShare !== undefined && r.otherCpuShare > 0.1);
  if (noisy.length)
    out.push(
      `Other processes used more than 10 % of the machine during ${noisy.map((r) => `${r.key} (${pct(r.otherCpuShare)})`).join(', ')}: those rows are understated; compare them with care.`,
    );
  out.push(
    `Load generator and server share ${env.nproc} CPUs, so absolute figures are lower than with a dedicated load host, and run-to-run variation on this machine is large (see req/s sd); the ratios are the meaningful part.`,
  );
  return out;
}

/** The log size at which Store#commit starts a compaction: max(64 MB, 4 × snapshot). */
function compactionThreshold(r) {
  return Math.max(64 * 2 ** 20, 4 * r.before.snapshotBytes);
}

/**
 * Whether a compaction ran in the measured window: 'during' (its stall shows in the latencies), 'end'
 * (the log passed the threshold as the run ended: the stall came after the last counted response), or
 * 'none'. A compaction has started when the snapshot changed or the log is past the threshold.
 */
function compactionTiming(r) {
  if (!r.sandbox || !r.before) return 'none';
  const started = r.io.compactions > 0 || r.after.snapshotBytes !== r.before.snapshotBytes || r.drained.snapshotBytes !== r.before.snapshotBytes;
  if (!started) return 'none';
  return r.maxLatency >= r.server.loopDelay.max / 2 ? 'during' : 'end';
}

/** Server CPU time per answered request, in µs. */
function cpuPerRequest(r) {
  return (r.server.cpuMs * 1000) / Math.max(1, r.result.requests.total);
}

function report(rows, env, pg = {}, pairs = undefined) {
  const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
  const checks = [...evaluate(byKey, pairs), ...replicaChecks(pg.replicas ?? []), ...scaleChecks(pg.scale ?? [])];
  const main = table(rows);
  const details = sandboxDetails(rows);
  const findings = join(ROOT, 'bench', 'FINDINGS.md');
  const md = [
    '# Benchmarks',
    '',
    `Generated by \`npm run bench\` (bench/run.mjs) on ${env.date}. Overwritten on every run.`,
    '',
    '## Machine',
    '',
    `- CPUs (nproc): ${env.nproc} × ${env.cpu}; memory ${fmt(env.memGB, 1)} GB; load average at start ${env.loadavg.map((x) => x.toFixed(2)).join(' / ')}`,
    `- Node ${env.node} (${env.platform}); autocannon ${env.autocannon}`,
    `- Source: commit ${env.commit || 'n/a'}${env.dirty.length ? `, with uncommitted changes in ${env.dirty.join(', ')} (built into dist/ as they were)` : ''}`,
    '',
    '## Method',
    '',
    `- One process tree: bench/run.mjs runs autocannon (${env.config.connections} connections, pipelining 1, ${env.config.seconds} s measured after ${env.config.warmup} s of unmeasured warm-up) in the parent; each server runs in its own child (child_process.fork), one at a time, and reports its URL, CPU time, event-loop delay and RSS over IPC.`,
    '- (a) bench/servers/bare.mjs: Express 5, `express.json()`, one POST route answering the fixed envelope `{"respCode":"20000","respMsg":"success","data":{"operateRecordId":200001}}` (x-powered-by and ETag off, as in the sandbox app). It receives exactly the same requests as the sandbox.',
    `- (b) bench/servers/sandbox.mjs: \`createSandbox\` from dist/ (\`logLevel: 'silent'\`, port 0, 127.0.0.1) with a file store in a fresh temp directory and the default durability ('write': a commit is acknowledged once the OS has its log line, which survives a kill of the process; the log is fdatasync'd in the background within a second). A card is created first (createCard, cardholder 300001, product 1, \`ApiKey: ${API_KEY}\`); every request is \`POST ${DEPOSIT_PATH}\` \`{"clientRequestId":"BENCH_<scenario>_<n>","cardId":<card>,"amount":${DEPOSIT_AMOUNT}}\` with a new clientRequestId (autocannon \`setupRequest\`). The merchant balance is first raised through the ledger (\`post()\` in one store transaction) to cover ${PLAN_RPS.toLocaleString('en-US')} deposits/s for the whole run.`,
    `- (c) as (b), after ${env.config.preload.toLocaleString('en-US')} settled DEPOSIT operate records (shape of src/vendors/onerway/model.ts OperateRecord, ids from the store's own sequence) were committed through the store API into 'onerway.operateRecords' for the default tenant in batches of 5,000, followed by \`store.compact()\` so that they sit in the snapshot.`,
    "- Informational rows (not targets): (b) with durability 'fsync' (an fdatasync before each answer), the stricter setting; (b) with a ':memory:' store, to separate the cost of the disk from the cost of the pipeline; and (b) with the deposits spread round-robin over 100 cards (20 cardholders × 5), to separate the cost of one card's growing history.",
    '- req/s is autocannon\'s mean of per-second samples; p50/p99/max are autocannon\'s latency histogram (whole milliseconds). errors / non-2xx = socket errors + timeouts + non-2xx + 2xx bodies that do not start with `{"respCode":"20000"` (every response body is checked in `onResponse`). For the sandbox, the store is also checked after the run: the operate records whose clientRequestId carries the run\'s prefix must number at least the 20000 answers (a few more when requests were in flight as the run stopped), and after the settlement jobs drain every one of them must be S.',
    "- RSS is `process.memoryUsage().rss` of the server child right after its run (peak: `resourceUsage().maxRSS`). Server CPU is the child's user + system CPU time over the measured window, as a share of one core; load-gen CPU the same for this process (autocannon); other processes CPU is the rest of the machine's busy time (/proc/stat) as a share of all cores — a noisy-neighbour indicator. Before each measured run the script waits (up to " +
      env.config.quietTimeout +
      ' s) for a second in which the whole machine is at most 15 % busy.',
    ...(pairs
      ? [
          `- The targets (b)/(a) and (c)/(b) are taken from paired rounds, not from the rows above: fresh servers of (a), (b) and (c), readied as above, run side by side; each takes ${fmt(pairs.warmup)} s of unmeasured deposits, then ${pairs.rounds.length} rounds of ${fmt(pairs.seconds)} s on each server in turn (a b c, then c b a, …), and each ratio is the median of its rounds' ratios. The machine's speed moves by tens of per cent within seconds (bench/FINDINGS.md), so the rows above, ${fmt(env.config.seconds)} s each one after the other, compare different machines; their ratios are shown beside.`,
        ]
      : []),
    ...(pg.replicas ? replicaMethod(pg.replicaConfig ?? replicaConfig()) : []),
    ...(pg.scale ? scaleMethod(pg.scaleConfig ?? scaleConfig()) : []),
    '',
    '## Results',
    '',
    markdownTable(main),
    '',
    '### Sandbox runs: correctness and store',
    '',
    markdownTable(details),
    '',
    '### Sandbox runs: where a deposit waits',
    '',
    "Counted in the server child by wrapping `fs.writeSync` (the log's writes), `fs.write` (its zeros laid ahead), `fs.fdatasync`, `Store#compact` (timed from start to end; requests are served between its chunks), `Store#commit` and `Scheduler#runDue` (bench/servers/sandbox.mjs; src/ is not changed). A commit resolves when its log line is durable (with 'write': written); every vendor request first calls `runDue` (applies due settlements), and the runDue column is how long that holds the request up (counted over every call, including the scheduler's own kicks).",
    '',
    markdownTable(ioDetails(rows)),
    '',
    ...pairSection(pairs),
    ...pgSections(pg),
    '## Ratios and targets',
    '',
    '| check | value | target | result |',
    '| --- | ---: | ---: | --- |',
    ...checks.map((x) => `| ${x.name} | ${checkValue(x)} | ${x.target} | ${checkResult(x)} |`),
    `| every answer respCode 20000, store count matches | ${allVerified(rows, pg, pairs) ? 'yes' : 'no'} | yes | ${mark(allVerified(rows, pg, pairs) && rows.every((r) => r.errors === 0))} |`,
    '',
    '## Interpretation',
    '',
    ...[...interpretation(rows, byKey, checks, env, pairs), ...pgInterpretation(pg)].map((l) => `- ${l}`),
    '',
  ];
  // Memory, disk and start-up figures (bench/memory.mjs, startup.mjs, soak.mjs), kept from their own runs.
  const footprint = footprintMarkdown();
  if (footprint) md.push(footprint, '');
  // Findings live in one place, bench/FINDINGS.md (hand-written); the report only points to them.
  if (existsSync(findings)) {
    md.push(
      '## Investigation notes',
      '',
      'What the runs taught (profiles, causes, what was fixed and what remains) is written by hand in [bench/FINDINGS.md](bench/FINDINGS.md), at the commit each note names; it is not copied here.',
      '',
    );
  }
  return { md: md.join('\n'), main, details, checks, byKey };
}

// ---------------------------------------------------------------------------------------------------

const LAST = join(tmpdir(), 'card-sandbox-bench-last.json');
let env;
let rows;
let pg = {};
let pairs;
if (process.env.BENCH_REPORT_ONLY === '1') {
  // Re-render the report from the last run's saved figures (after changing how it is rendered).
  ({ env, rows, pg = {}, pairs } = JSON.parse(readFileSync(LAST, 'utf8')));
  console.log(`re-rendering the report of ${env.date} from ${LAST}`);
} else {
  env = machine();
  rows = await runAll(env);
  pairs = PAIR_ROUNDS > 0 ? await pairedRatios() : undefined;
  pg = await runGroups();
  writeFileSync(LAST, JSON.stringify({ env, rows, pg, pairs }));
}
const { md, main, details, checks } = report(rows, env, pg, pairs);
if (rows.length) {
  console.log('');
  console.log(consoleTable(main));
  console.log('');
  console.log(consoleTable(details));
  console.log('');
  console.log(consoleTable(ioDetails(rows)));
  console.log('');
}
if (pg.replicas) console.log(`\n${consoleTable(replicaTable(pg.replicas))}`);
if (pg.scale) console.log(`\n${consoleTable(scaleTable(pg.scale))}\n`);
for (const x of checks) console.log(`${x.name.padEnd(16)} ${checkValue(x).padStart(10)}  target ${x.target.padEnd(8)} ${checkResult(x)}`);
console.log(`verified (every answer 20000, store count matches): ${allVerified(rows, pg, pairs) ? 'yes' : 'NO'}`);
if (PROFILE_DIR) console.log(`CPU profiles in ${PROFILE_DIR} (node bench/profile-summary.mjs <file>)`);
writeFileSync(OUT, md);
console.log(`\nwrote ${OUT}`);

async function runAll(env) {
  console.log(
    `card-sandbox bench: ${SCENARIOS.map((s) => s.key).join(', ')}; ${CONNECTIONS} connections, ${SECONDS} s (+${WARMUP} s warm-up) each; ${env.nproc} CPUs, Node ${env.node}`,
  );
  const rows = [];
  for (const scenario of SCENARIOS) {
    process.stdout.write(`  ${scenario.title} … `);
    const row = await runScenario(scenario);
    rows.push(row);
    console.log(
      `${fmt(row.reqPerSec)} req/s, p99 ${fmt(row.p99)} ms, errors ${fmt(row.errors)}${row.prepare?.preloadMs !== undefined ? ` (preload ${fmt(row.prepare.preloadMs / 1000, 1)} s, compact ${fmt(row.prepare.compactMs / 1000, 1)} s)` : ''}${row.verified ? '' : ' — NOT VERIFIED'}${row.check.sample ? ` sample: ${row.check.sample}` : ''}`,
    );
  }
  return rows;
}

async function runGroups() {
  const pg = {};
  if (GROUPS.includes('replicas')) {
    pg.replicaConfig = replicaConfig();
    console.log('  replicas (bench/replicas.mjs):');
    pg.replicas = await replicaRows(pg.replicaConfig, (l) => console.log(`  ${l}`));
  }
  if (GROUPS.includes('scale')) {
    pg.scaleConfig = scaleConfig();
    console.log('  stored deposits (bench/scale.mjs):');
    pg.scale = await scaleRows(pg.scaleConfig, (l) => console.log(`  ${l}`));
  }
  return pg;
}

function checkValue(x) {
  if (x.skipped) return x.failed ? 'failed' : 'skipped';
  return x.ratio ? fmt(x.value, 2) : `${fmt(x.value)} ms`;
}

function checkResult(x) {
  if (x.skipped) return x.failed ? x.skipped : `SKIPPED (${x.skipped})`;
  if (x.pass === undefined) return 'info';
  return x.informational ? `${mark(x.pass)} (informational)` : mark(x.pass);
}

/** Every row checked out, the paired rounds' and the PostgreSQL groups' too (a skipped row has nothing to check). */
function allVerified(rows, pg, pairs) {
  const extra = [...(pg.replicas ?? []), ...(pg.scale ?? [])].filter((r) => !r.skipped || r.failed);
  return rows.every((r) => r.verified) && extra.every((r) => r.verified) && (pairs?.verified ?? true);
}

/** The paired rounds (pairedRatios), round by round. */
function pairSection(pairs) {
  if (!pairs) return [];
  const keys = Object.keys(pairs.rounds[0] ?? {});
  const head = ['round', ...keys.map((k) => `(${k}) req/s`), ...(pairs.ba ? ['b/a'] : []), ...(pairs.cb ? ['c/b'] : [])];
  const lines = pairs.rounds.map((r, i) => [
    String(i + 1),
    ...keys.map((k) => fmt(r[k], 0)),
    ...(pairs.ba ? [fmt(pairs.ba[i], 2)] : []),
    ...(pairs.cb ? [fmt(pairs.cb[i], 2)] : []),
  ]);
  return ['### (b)/(a) and (c)/(b) in paired rounds', '', markdownTable({ head, lines }), ''];
}

function pgSections(pg) {
  const out = [];
  if (pg.replicas) {
    out.push(
      '### PostgreSQL: deposits through 1, 2 and 3 replicas (bench/replicas.mjs)',
      '',
      'Real processes (`node dist/main.js --db …`), the file store beside them in the same run; ratios are to the file store row.',
      '',
      markdownTable(replicaTable(pg.replicas)),
      '',
    );
  }
  if (pg.scale) {
    out.push(
      '### Stored deposits: RSS and start-up on both stores (bench/scale.mjs)',
      '',
      'RSS is read after the start and a few thousand deposits through HTTP; start-up is spawn to the first health answer.',
      '',
      markdownTable(scaleTable(pg.scale)),
      '',
    );
  }
  return out;
}

function pgInterpretation(pg) {
  const out = [];
  const live = (pg.replicas ?? []).filter((r) => !r.skipped && r.store === 'postgres');
  const file = (pg.replicas ?? []).find((r) => r.key === 'file');
  if (file && live.length)
    out.push(
      `On PostgreSQL: ${live.map((r) => `${r.replicas} replica${r.replicas === 1 ? '' : 's'}${r.connections ? ` at ${r.connections} connections (informational)` : ''} ${fmt(r.reqPerSec)} deposits/s (${fmt(r.ratio, 2)} × the file store in the median round, ${fmt(r.pooledRatio ?? r.ratio, 2)} × its ${fmt(r.fileReqPerSec ?? file.reqPerSec)} pooled over the rounds beside it)`).join('; ')}. ` +
        'Every deposit of one tenant takes its advisory lock and every deposit takes the global sequences lock (docs/design/shared-store.md §7), so replicas on one card add availability, not throughput; their transactions queue on the same locks from separate connections, where one replica would group them in one transaction.',
    );
  const skipped = [...(pg.replicas ?? []), ...(pg.scale ?? [])].find((r) => r.skipped);
  if (skipped) out.push(`PostgreSQL rows skipped: ${skipped.skipped}.`);
  return out;
}
