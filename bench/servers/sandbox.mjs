/**
 * The sandbox under load (b, c and the informational rows): createSandbox from the built package with a
 * file store in a fresh temp directory. Options arrive as JSON in BENCH_SANDBOX_OPTIONS:
 *   { durability?: 'fsync' | 'write' (default: the sandbox's own), db?: ':memory:' }.
 *
 * Extra IPC operations (see common.mjs for the protocol):
 *   prepare({ topUpMinor, preload, cardId })  raise the merchant balance, preload operate records, compact
 *   stats()                                   record counts, job backlog, balances, file sizes
 *   drain()                                   wait until every due job (settlements) has run
 */
import fs, { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox } from '../../dist/index.js';
import { post } from '../../dist/core/ledger.js';
import { nextSeq } from '../../dist/core/ids.js';
import { preloadRecord } from '../preload-record.mjs';
import { ready, serve } from './common.mjs';

const TENANT = 'onerway-default';
const OPERATE_RECORDS = 'onerway.operateRecords';
const OPERATE_RECORD_SEQ = 'onerway.operateRecordId';
const MERCHANT = 'merchant:USD';

const options = JSON.parse(process.env.BENCH_SANDBOX_OPTIONS ?? '{}');
const dir = mkdtempSync(join(tmpdir(), 'card-sandbox-bench-'));
const db = options.db === ':memory:' ? ':memory:' : join(dir, 'sandbox.json');

// ---- instrumentation (counts only; nothing in src/ is changed) ----------------------------------
// The WAL writes its batches with fs.writeSync on the main thread and syncs them with fs.fdatasync on
// libuv's pool (its zeros ahead of the log with fs.write); compactions (Store#compact, whether started by
// a commit or not; written from memory a chunk at a time) are timed from start to end. Every state
// change goes through Store#commit; every vendor request first calls Scheduler#runDue. Wrapping them here
// tells how many disk round trips a deposit costs and how long requests are held up by them. The fs
// functions are patched on the module object and pushed to the ESM named exports that src/ imports.
const io = {
  writes: 0,
  writeBytes: 0,
  fillBytes: 0,
  compactions: 0,
  compactMs: 0,
  syncs: 0,
  syncMs: 0,
  commits: 0,
  commitMs: 0,
  commitMaxMs: 0,
  runDue: 0,
  runDueMs: 0,
  runDueMaxMs: 0,
};
const resetIo = () => Object.keys(io).forEach((k) => (io[k] = 0));
{
  const writeSync = fs.writeSync;
  fs.writeSync = function (fd, data, ...rest) {
    const n = writeSync.call(this, fd, data, ...rest);
    io.writes++;
    io.writeBytes += n;
    return n;
  };
  const write = fs.write;
  fs.write = function (fd, data, ...rest) {
    io.fillBytes += typeof rest[1] === 'number' ? rest[1] : (data?.byteLength ?? 0);
    return write.call(this, fd, data, ...rest);
  };
  const fdatasync = fs.fdatasync;
  fs.fdatasync = function (fd, callback) {
    const t = performance.now();
    return fdatasync.call(this, fd, (...args) => {
      io.syncs++;
      io.syncMs += performance.now() - t;
      callback(...args);
    });
  };
  syncBuiltinESMExports();
}

const sandbox = await createSandbox({ db, logLevel: 'silent', port: 0, host: '127.0.0.1', ...(options.durability ? { durability: options.durability } : {}) });
const { store } = sandbox;
{
  const commit = store.commit.bind(store);
  store.commit = (tx) => {
    const t = performance.now();
    return commit(tx).finally(() => {
      const ms = performance.now() - t;
      io.commits++;
      io.commitMs += ms;
      if (ms > io.commitMaxMs) io.commitMaxMs = ms;
    });
  };
  // Store#commit starts a compaction through this.compact(), so an own property sees those too.
  const compact = store.compact.bind(store);
  let compacting;
  store.compact = () => {
    const running = compact();
    if (running !== compacting) {
      compacting = running;
      const t = performance.now();
      io.compactions++;
      running.then(
        () => (io.compactMs += performance.now() - t),
        () => {},
      );
    }
    return running;
  };
  const scheduler = sandbox.runtime.scheduler;
  const runDue = scheduler.runDue.bind(scheduler);
  // runDue may return a promise (awaited by requests) or nothing (applies due jobs synchronously):
  // either way this is the time it holds a request up.
  scheduler.runDue = (...args) => {
    const t = performance.now();
    const done = () => {
      const ms = performance.now() - t;
      io.runDue++;
      io.runDueMs += ms;
      if (ms > io.runDueMaxMs) io.runDueMaxMs = ms;
    };
    const out = runDue(...args);
    if (out && typeof out.then === 'function') return out.finally(done);
    done();
    return out;
  };
}

function files() {
  let snapshotBytes = 0;
  let walBytes = 0;
  let walSegments = 0;
  for (const name of readdirSync(dir)) {
    const size = statSync(join(dir, name)).size;
    if (name === 'sandbox.json') snapshotBytes = size;
    else if (/^sandbox\.json\.wal\.\d+$/.test(name)) {
      walBytes += size;
      walSegments++;
    }
  }
  return { snapshotBytes, walBytes, walSegments };
}

/** `prefix`: also count the records whose clientRequestId starts with it (one benchmark run's requests). */
function stats({ prefix, cardId } = {}) {
  const records = store.list(OPERATE_RECORDS, TENANT);
  let pending = 0;
  let tagged = 0;
  let taggedSettled = 0;
  for (const r of records) {
    if (r.status === 'P') pending++;
    if (prefix && r.clientRequestId.startsWith(prefix)) {
      tagged++;
      if (r.status === 'S') taggedSettled++;
    }
  }
  const merchant = store.get('_accounts', TENANT, MERCHANT);
  const card = cardId ? store.get('onerway.cards', TENANT, String(cardId)) : undefined;
  return {
    operateRecords: records.length,
    pendingOperateRecords: pending,
    tagged,
    taggedSettled,
    cardBytes: card ? Buffer.byteLength(JSON.stringify(card)) : null,
    cardHistory: card ? card.history.length : null,
    jobs: store.count('_jobs'),
    idempotencyKeys: store.count('_idempotency'),
    ledgerEntries: store.count('_entries'),
    webhookDeliveries: store.count('_webhook_deliveries'),
    merchantBalanceMinor: merchant?.balance ?? null,
    merchantHeldMinor: merchant?.held ?? null,
    ...files(),
  };
}

async function prepare({ topUpMinor = 0, preload = 0, cardId, batch = 5000 }) {
  const out = {};
  const started = performance.now();
  if (topUpMinor > 0) {
    const tx = store.begin();
    post(tx, { tenantId: TENANT, accountId: MERCHANT, amount: topUpMinor, kind: 'bench-topup', ref: 'bench', at: sandbox.clock.now() });
    await store.commit(tx);
  }
  if (preload > 0) {
    if (!cardId) throw new Error('preload needs a cardId');
    const t0 = performance.now();
    const base = sandbox.clock.now() - preload * 1000;
    for (let done = 0; done < preload;) {
      const tx = store.begin();
      const n = Math.min(batch, preload - done);
      for (let k = 0; k < n; k++, done++) {
        const id = nextSeq(tx, OPERATE_RECORD_SEQ, 200001);
        tx.put(OPERATE_RECORDS, preloadRecord(id, cardId, base + done * 1000, done));
      }
      await store.commit(tx);
    }
    out.preloadMs = performance.now() - t0;
    // How long the compaction holds the event loop (what a request arriving meanwhile waits at least).
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const t1 = performance.now();
    await store.compact();
    out.compactMs = performance.now() - t1;
    loop.disable();
    out.compactLoopStallMs = loop.max / 1e6;
  }
  out.totalMs = performance.now() - started;
  out.stats = stats();
  return out;
}

async function drain() {
  const t0 = performance.now();
  for (let i = 0; i < 1000 && store.count('_jobs') > 0; i++) {
    sandbox.runtime.scheduler.runDue();
    await sandbox.runtime.scheduler.idle();
    if (store.count('_jobs') > 0) await new Promise((r) => setTimeout(r, 5));
  }
  return { drainMs: performance.now() - t0, jobs: store.count('_jobs') };
}

const url = await sandbox.listen(0, '127.0.0.1');
serve({
  prepare,
  ioReset: () => (resetIo(), true),
  io: () => ({ ...io }),
  stats,
  drain,
  async close() {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
    return true;
  },
});
ready(url, { db, ...(options.durability ? { durability: options.durability } : {}) });
