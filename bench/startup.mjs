/**
 * `npm run bench:startup`: how long the whole sandbox takes to start on a large store, from the spawn of
 * `node dist/main.js` to its first successful answer of GET /__sandbox/health.
 *
 * Stores are built once per size by a helper child (bench/startup-build.mjs, through the Store API):
 * "snapshot" (closed: everything in the snapshot) for each of BENCH_STARTUP_RECORDS, "log" (no
 * compaction, left open as after a crash: everything in log segments) for each of
 * BENCH_STARTUP_LOG_RECORDS, and an empty folder (the default scenario is loaded at start). Each of
 * BENCH_STARTUP_RUNS runs starts the sandbox on a fresh copy of the store (a start may compact it),
 * polls health every 10 ms, reads the CPU time the process used until then (a figure the machine's
 * other load disturbs far less than the wall time), checks through card/getOperateRecordList that every record loaded, reads
 * RSS from /proc, and stops it with SIGTERM.
 *
 * Environment:
 *   BENCH_STARTUP_RECORDS      comma list (default 100000,1000000)
 *   BENCH_STARTUP_LOG_RECORDS  comma list, or 0 for none (default 100000)
 *   BENCH_STARTUP_RUNS         starts per store (default 3)
 *   BENCH_QUIET_TIMEOUT        seconds to wait, before each start, for the machine to be ≤ 15 % busy
 *                              (default 30; 0 starts at once); the busy share during each start is kept
 *   BENCH_LABEL, BENCH_OUT     as for bench:memory; figures kept in bench/results/startup.json
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { updateReport } from './footprint-report.mjs';
import { procCpuMs, procStatus, spawnSandbox } from './process.mjs';
import { API_KEY, LABEL, ROOT, busyShare, fmt, machine, machineCpu, mb, num, request, saveResults, storeFiles, waitQuiet } from './lib.mjs';

const list = (name, fallback) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  return raw
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => {
      if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a comma list of non-negative integers, got ${JSON.stringify(raw)}`);
      return n > 0;
    });
};
const SNAPSHOT_SIZES = list('BENCH_STARTUP_RECORDS', [100_000, 1_000_000]);
const LOG_SIZES = list('BENCH_STARTUP_LOG_RECORDS', [100_000]);
const RUNS = Math.max(1, Math.trunc(num('BENCH_STARTUP_RUNS', 3)));
const QUIET_TIMEOUT = num('BENCH_QUIET_TIMEOUT', 30);
const HEALTH_TIMEOUT_MS = 30 * 60 * 1000;

/** One start on `db`: ms to the first health answer, then the check and RSS, then SIGTERM. */
async function startOnce(db, expected) {
  const quietBefore = QUIET_TIMEOUT > 0 ? await waitQuiet(QUIET_TIMEOUT) : undefined;
  const cpu0 = machineCpu();
  const sandbox = await spawnSandbox(db, { timeoutMs: HEALTH_TIMEOUT_MS });
  const { child, url, ms } = sandbox;
  const busy = busyShare(cpu0, machineCpu());
  const cpuMs = procCpuMs(child.pid);
  const mem = procStatus(child.pid);
  const list = await request(url, '/api/v1/merchant/card/getOperateRecordList', { pageNum: 1, pageSize: 1 }, { ApiKey: API_KEY });
  const operateRecords = list.json?.data?.totalRecords;
  const t1 = performance.now();
  const exit = await sandbox.stop();
  return { ms, cpuMs, busy, quietBefore, ...mem, operateRecords, verified: operateRecords === expected, stopMs: performance.now() - t1, exit };
}

const env = machine();
const states = [{ key: 'empty', title: 'empty store (default scenario loaded at start)', records: 0 }];
for (const n of SNAPSHOT_SIZES) states.push({ key: `snapshot-${n}`, title: `${fmt(n)} records, snapshot`, records: n, mode: 'snapshot' });
for (const n of LOG_SIZES) states.push({ key: `log-${n}`, title: `${fmt(n)} records, log only (as after a crash)`, records: n, mode: 'log' });
console.log(`bench:startup (${LABEL}) at ${env.commit}: ${states.map((s) => s.key).join(', ')}; ${RUNS} starts each`);

const work = mkdtempSync(join(tmpdir(), 'card-sandbox-startup-'));
const figures = { env, config: { runs: RUNS }, states: [] };
try {
  for (const state of states) {
    const built = join(work, state.key);
    mkdirSync(built);
    const db = join(built, 'sandbox.json');
    let buildMs = 0;
    if (state.mode) {
      const out = execFileSync(process.execPath, [join(ROOT, 'bench', 'startup-build.mjs'), db, String(state.records), state.mode], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 1 << 20,
      });
      buildMs = JSON.parse(out.toString().trim().split('\n').at(-1)).buildMs;
    }
    const files = storeFiles(built);
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const copy = join(work, `run-${state.key}-${i}`);
      cpSync(built, copy, { recursive: true });
      runs.push(await startOnce(join(copy, 'sandbox.json'), state.records));
      rmSync(copy, { recursive: true, force: true });
    }
    const runsMs = runs.map((r) => r.ms);
    const medianMs = [...runsMs].sort((a, b) => a - b)[Math.floor((runsMs.length - 1) / 2)];
    const { records, key, title } = state;
    figures.states.push({
      key,
      title,
      records,
      buildMs,
      files: { snapshotBytes: files.snapshotBytes, logBytes: files.logBytes, logSegments: files.logSegments },
      runsMs,
      medianMs,
      cpuMs: runs.map((r) => r.cpuMs),
      busy: runs.map((r) => r.busy),
      rss: Math.max(...runs.map((r) => r.rss)),
      peakRss: Math.max(...runs.map((r) => r.peakRss)),
      operateRecords: runs[0].operateRecords,
      verified: runs.every((r) => r.verified),
      stopMs: runs.map((r) => r.stopMs),
    });
    console.log(
      `  ${title}: ${runsMs.map((ms) => fmt(ms / 1000, 2)).join(', ')} s (store ${mb(files.totalBytes)} MB, built in ${fmt(buildMs / 1000, 1)} s; RSS ${mb(Math.max(...runs.map((r) => r.rss)))} MB)${runs.every((r) => r.verified) ? '' : ` — NOT VERIFIED (${runs.map((r) => r.operateRecords).join(', ')} operate records)`}`,
    );
    rmSync(built, { recursive: true, force: true });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
saveResults('startup', figures);
console.log(`wrote ${updateReport()}`);
