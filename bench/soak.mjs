/**
 * `npm run bench:soak`: Onerway deposits at a fixed rate for a long while, sampling the sandbox's RSS,
 * heap and store files every BENCH_SOAK_SAMPLE_SECONDS; reports whether RSS and disk stay flat within
 * 10 % after the first third of the run (the rule is in bench/soak-rule.mjs).
 *
 * One sandbox child (bench/servers/footprint.mjs: file store in a fresh temp folder, default durability);
 * autocannon here, 10 connections, overallRate BENCH_SOAK_RATE, so that the soak measures growth, not
 * saturation. Samples take no forced GC (what the process holds); after the soak: settled, compacted,
 * GC'd, and measured once more.
 *
 * Environment:
 *   BENCH_SOAK_SECONDS         duration (default 600)
 *   BENCH_SOAK_RATE            deposits per second (default 500)
 *   BENCH_SOAK_SAMPLE_SECONDS  sampling period (default 10)
 *   BENCH_CARDS                cards the deposits go round (default 10)
 *   BENCH_SANDBOX_CONFIG       JSON merged into createSandbox's options (e.g. shorter retention periods)
 *   BENCH_LABEL                the report column (default before; e.g. after)
 *   BENCH_OUT                  report path (default BENCHMARKS.md); figures kept in bench/results/soak.json
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
  saveResults,
  sandboxConfig,
  startServer,
  stopServer,
  storeFiles,
} from './lib.mjs';
import { flatness } from './soak-rule.mjs';

const SECONDS = num('BENCH_SOAK_SECONDS', 600);
const RATE = num('BENCH_SOAK_RATE', 500);
const SAMPLE_SECONDS = num('BENCH_SOAK_SAMPLE_SECONDS', 10);
const CARDS = Math.max(1, Math.trunc(num('BENCH_CARDS', 10)));
if (!(SECONDS > 0 && RATE > 0 && SAMPLE_SECONDS > 0)) throw new Error('BENCH_SOAK_SECONDS, BENCH_SOAK_RATE and BENCH_SOAK_SAMPLE_SECONDS must be > 0');

const env = machine();
console.log(`bench:soak (${LABEL}) at ${env.commit}: ${fmt(SECONDS)} s at ${fmt(RATE)} deposits/s, a sample every ${fmt(SAMPLE_SECONDS)} s`);
const dir = mkdtempSync(join(tmpdir(), 'card-sandbox-soak-'));
const server = await startServer('footprint.mjs', { db: join(dir, 'sandbox.json'), config: sandboxConfig() });
const figures = { env, config: { seconds: SECONDS, rate: RATE, sampleSeconds: SAMPLE_SECONDS, cards: CARDS, sandbox: sandboxConfig() }, samples: [] };
try {
  const cardIds = await createCards(server.url, 'soak', CARDS);
  const needed = Math.ceil(SECONDS * RATE * 1.1) * DEPOSIT_COST_MINOR;
  if (needed > DEFAULT_MERCHANT_BALANCE_MINOR * 0.9) await server.call('topUp', { minor: needed });
  await server.call('settle');

  const progress = {};
  const started = performance.now();
  const sample = async () => {
    const memory = await server.call('memory');
    const files = storeFiles(dir);
    const s = {
      t: Math.round((performance.now() - started) / 100) / 10,
      deposits: progress.ok ?? 0,
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      diskBytes: files.totalBytes,
      logBytes: files.logBytes,
    };
    figures.samples.push(s);
    return s;
  };
  await sample();
  let sampling = Promise.resolve();
  const timer = setInterval(() => {
    sampling = sampling.then(sample).then((s) => {
      if (Math.floor(s.t / 60) !== Math.floor((s.t - SAMPLE_SECONDS) / 60))
        console.log(`  ${fmt(s.t)} s: ${fmt(s.deposits)} deposits, RSS ${mb(s.rss)} MB, heap ${mb(s.heapUsed)} MB, disk ${mb(s.diskBytes)} MB`);
    });
  }, SAMPLE_SECONDS * 1000);
  figures.load = await deposits(server.url, { cardIds, tag: 'SOAK', seconds: SECONDS, rate: RATE, progress });
  clearInterval(timer);
  await sampling;
  await sample();
  // A store that failed during the soak (today's code past ~128 MB of snapshot) refuses the compaction: keep the figures.
  figures.endError = await server.call('compact').then(
    () => undefined,
    (error) => String(error.message ?? error).split('\n')[0],
  );
  await server.call('gc');
  figures.end = { memory: await server.call('memory'), files: storeFiles(dir), health: (await fetch(`${server.url}/__sandbox/health`)).status };
  if (figures.endError) console.log(`  the final compaction failed: ${figures.endError}`);
  for (const [metric, name] of [
    ['rss', 'RSS'],
    ['heapUsed', 'heap used'],
    ['diskBytes', 'disk'],
  ]) {
    const v = flatness(figures.samples, metric, SECONDS);
    console.log(
      `  ${name}: peak ${mb(v.middlePeak)} MB in the middle third, ${mb(v.lastPeak)} MB in the last (${fmt(100 * (v.ratio - 1), 1)} %): ${v.flat ? 'flat' : 'NOT flat'}; ${fmt(v.slopePerMin / 2 ** 20, 1)} MB/min over the last half`,
    );
  }
  if (figures.load.bad > 0) console.log(`  ${fmt(figures.load.bad)} answers were not 20000, e.g. ${figures.load.sample}`);
} finally {
  await stopServer(server);
  rmSync(dir, { recursive: true, force: true });
}
saveResults('soak', figures);
console.log(`wrote ${updateReport()}`);
