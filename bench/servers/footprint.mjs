/**
 * The sandbox for the memory, reset and soak benchmarks (bench/memory.mjs, bench/soak.mjs):
 * createSandbox from the built package with a file store at BENCH_SANDBOX_OPTIONS.db (the parent owns
 * the folder and removes it), the default durability, and BENCH_SANDBOX_OPTIONS.config merged into the
 * sandbox's options (e.g. retention periods). Start it with --expose-gc.
 *
 * Extra IPC operations (see common.mjs for the protocol):
 *   gc()          two full collections, so that heap and RSS show what is still referenced
 *   memory()      process.memoryUsage() and the peak RSS
 *   settle()      runs the due jobs (settlements) until none is left or their count stops falling, then waits for the store's writes
 *                 and any compaction in progress
 *   compact()     settle, then an explicit compaction (snapshot written, covered log segments dropped)
 *   topUp({ minor })  raises the merchant balance through the ledger (only for runs longer than it covers)
 *   counts()      records per collection (what the store holds)
 */
import { createSandbox } from '../../dist/index.js';
import { post } from '../../dist/core/ledger.js';
import { ready, serve } from './common.mjs';

const TENANT = 'onerway-default';
const MERCHANT = 'merchant:USD';

const options = JSON.parse(process.env.BENCH_SANDBOX_OPTIONS ?? '{}');
if (!options.db) throw new Error('footprint.mjs needs BENCH_SANDBOX_OPTIONS.db');
if (typeof globalThis.gc !== 'function') throw new Error('footprint.mjs needs --expose-gc');

const sandbox = await createSandbox({ ...options.config, db: options.db, logLevel: 'silent', port: 0, host: '127.0.0.1' });
const { store } = sandbox;

function memory() {
  const m = process.memoryUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    maxRss: process.resourceUsage().maxRSS * 1024,
  };
}

async function settle() {
  const scheduler = sandbox.runtime.scheduler;
  // Until no job is left, or the count stops falling (a recurring job, e.g. a retention sweep, stays).
  for (let i = 0, same = 0, last = -1; i < 1000 && store.count('_jobs') > 0 && same < 3; i++) {
    scheduler.runDue();
    await scheduler.idle();
    const n = store.count('_jobs');
    same = n === last ? same + 1 : 0;
    last = n;
    if (n > 0) await new Promise((r) => setTimeout(r, 5));
  }
  await store.flush();
  return { jobs: store.count('_jobs') };
}

function counts() {
  const out = {};
  for (const name of store.collectionNames()) out[name] = store.count(name);
  return out;
}

const url = await sandbox.listen(0, '127.0.0.1');
serve({
  gc() {
    globalThis.gc();
    globalThis.gc();
    return true;
  },
  memory,
  settle,
  async compact() {
    await settle();
    const t = performance.now();
    await store.compact();
    return { compactMs: performance.now() - t };
  },
  async topUp({ minor }) {
    const tx = store.begin();
    post(tx, { tenantId: TENANT, accountId: MERCHANT, amount: minor, kind: 'bench-topup', ref: 'bench', at: sandbox.clock.now() });
    await store.commit(tx);
    return true;
  },
  counts,
  async close() {
    await sandbox.close();
    return true;
  },
});
ready(url, { db: options.db });
