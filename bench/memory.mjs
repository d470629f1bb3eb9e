/**
 * `npm run bench:memory`: bytes of RAM and disk per Onerway deposit, and what POST /__sandbox/reset
 * gives back.
 *
 * One sandbox child (bench/servers/footprint.mjs: file store in a fresh temp folder, default durability,
 * started with --expose-gc). After start-up and BENCH_CARDS cards: the jobs settled, two forced full GCs,
 * RSS and heap used; the store's files as they are, then after an explicit compaction (the fresh-start
 * figures). Then deposits over HTTP (autocannon, 10 connections, flat out) up to each checkpoint of
 * BENCH_DEPOSITS, and at each: the same measurements. The log written is the sum of every log segment's
 * largest size, sampled every 100 ms during the load (compactions drop segments meanwhile). Per deposit =
 * (figure at the checkpoint − fresh-start figure) / deposits. Then POST /__sandbox/reset (the default
 * scenario), and the same measurements again.
 *
 * Environment:
 *   BENCH_DEPOSITS   comma list of cumulative checkpoints (default 20000,50000)
 *   BENCH_CARDS      cards the deposits go round (default 10)
 *   BENCH_SANDBOX_CONFIG  JSON merged into createSandbox's options (e.g. retention periods)
 *   BENCH_LABEL      the report column these figures go to (default before; e.g. after)
 *   BENCH_OUT        report path (default BENCHMARKS.md); the figures are kept in bench/results/memory.json
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { updateReport } from './footprint-report.mjs';
import {
  DEFAULT_MERCHANT_BALANCE_MINOR,
  DEPOSIT_COST_MINOR,
  LABEL,
  createCards,
  deposits,
  fmt,
  machine,
  mb,
  num,
  numList,
  request,
  saveResults,
  sandboxConfig,
  startServer,
  stopServer,
  storeFiles,
  watchFiles,
} from './lib.mjs';

const CHECKPOINTS = numList('BENCH_DEPOSITS', [20_000, 50_000]).sort((a, b) => a - b);
const CARDS = Math.max(1, Math.trunc(num('BENCH_CARDS', 10)));

/** Settled, collected and compacted: memory, the files as they were, the files after compaction, record counts. */
async function measure(server, dir) {
  await server.call('settle');
  const filesAsLeft = storeFiles(dir);
  const { compactMs } = await server.call('compact');
  const files = storeFiles(dir);
  await server.call('gc');
  const memory = await server.call('memory');
  const counts = await server.call('counts');
  return { memory, filesAsLeft, files, compactMs, records: Object.values(counts).reduce((a, b) => a + b, 0), counts };
}

const env = machine();
console.log(`bench:memory (${LABEL}) at ${env.commit}: checkpoints ${CHECKPOINTS.join(', ')} deposits over ${CARDS} cards`);
const dir = mkdtempSync(join(tmpdir(), 'card-sandbox-memory-'));
const server = await startServer('footprint.mjs', { db: join(dir, 'sandbox.json'), config: sandboxConfig() });
const figures = { env, config: { checkpoints: CHECKPOINTS, cards: CARDS, sandbox: sandboxConfig() }, checkpoints: [] };
try {
  const cardIds = await createCards(server.url, 'mem', CARDS);
  figures.fresh = await measure(server, dir);
  console.log(`  fresh: RSS ${mb(figures.fresh.memory.rss)} MB, heap ${mb(figures.fresh.memory.heapUsed)} MB, disk ${mb(figures.fresh.files.totalBytes)} MB`);
  const needed = CHECKPOINTS.at(-1) * DEPOSIT_COST_MINOR;
  if (needed > DEFAULT_MERCHANT_BALANCE_MINOR * 0.9) await server.call('topUp', { minor: needed });

  let done = 0;
  for (const n of CHECKPOINTS) {
    const watch = watchFiles(dir);
    const load = await deposits(server.url, { cardIds, tag: `M${n}`, amount: n - done });
    await server.call('settle');
    const seen = watch.stop();
    const at = await measure(server, dir);
    figures.checkpoints.push({ deposits: n, sinceLast: n - done, load, peakDiskBytes: seen.peakBytes, logWrittenBytes: seen.logWrittenBytes, ...at });
    if (load.bad > 0) console.log(`  ${fmt(load.bad)} answers were not 20000, e.g. ${load.sample}`);
    console.log(
      `  ${fmt(n)} deposits (${fmt(load.reqPerSec)} req/s): RSS ${mb(at.memory.rss)} MB, heap ${mb(at.memory.heapUsed)} MB, ` +
        `log written ${mb(seen.logWrittenBytes)} MB, snapshot ${mb(at.files.snapshotBytes)} MB, peak disk ${mb(seen.peakBytes)} MB`,
    );
    done = n;
  }

  const reset = await request(server.url, '/__sandbox/reset', {});
  if (reset.status !== 200) throw new Error(`POST /__sandbox/reset answered ${reset.status} ${JSON.stringify(reset.json)}`);
  figures.afterReset = await measure(server, dir);
  console.log(
    `  after reset: RSS ${mb(figures.afterReset.memory.rss)} MB, heap ${mb(figures.afterReset.memory.heapUsed)} MB, disk as left ${mb(figures.afterReset.filesAsLeft.totalBytes)} MB, after compaction ${mb(figures.afterReset.files.totalBytes)} MB`,
  );
} finally {
  await stopServer(server);
  rmSync(dir, { recursive: true, force: true });
}
saveResults('memory', figures);
console.log(`wrote ${updateReport()}`);
