/**
 * Start-up time of the file store (Store.open) at a given number of records, against the built package
 * (npm run build first). Informational: not part of bench/run.mjs.
 *
 *   node bench/store-startup.mjs [--records 100000,1000000] [--pad 0] [--keep DIR]
 *
 * For each size, three child processes (so that RSS and timings are their own):
 *   build   commits N Onerway-operate-record-sized records (~400 bytes, plus --pad characters) in
 *           transactions of 5,000, and dies without a close (as after kill -9): a snapshot from the
 *           compactions on the way, and log segments
 *   crash   Store.open of that (snapshot + log, the start after a crash), then close (folds the log)
 *   clean   Store.open of the snapshot alone (the start after a clean stop)
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../dist/core/store.js';

const TENANT = 'onerway-default';
const COLLECTION = 'onerway.operateRecords';
const BATCH = 5_000;

function record(i, pad) {
  const at = 1_767_225_600_000 + i * 1000;
  const amount = 1000 + (i % 100) * 100;
  return {
    id: String(200_001 + i),
    tenantId: TENANT,
    operateRecordId: 200_001 + i,
    cardId: 100_001,
    clientRequestId: `DEPOSIT_${String(i).padStart(10, '0')}`,
    type: 'DEPOSIT',
    status: 'S',
    remark: pad,
    amount,
    currency: 'USD',
    operateTime: at,
    fees: [{ feeType: 'DEPOSIT', feeAmount: Math.round(amount / 100), feeCurrency: 'USD' }],
    history: [{ from: 'P', to: 'S', event: 'SUCCEED', at }],
  };
}

const files = (path) => {
  const dir = join(path, '..');
  const out = { snapshotBytes: 0, logBytes: 0, segments: 0 };
  for (const f of readdirSync(dir)) {
    const size = statSync(join(dir, f)).size;
    if (f === 'sandbox.json') out.snapshotBytes = size;
    else if (f.includes('.wal.')) ((out.logBytes += size), out.segments++);
  }
  return out;
};

const rss = () => ({ rssMB: Math.round(process.memoryUsage().rss / 2 ** 20), maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) });

async function child(role, path, records, pad) {
  if (role === 'build') {
    const t0 = performance.now();
    const store = await Store.open(path);
    const padding = 'p'.repeat(pad);
    for (let done = 0; done < records;) {
      const tx = store.begin();
      for (let k = 0; k < BATCH && done < records; k++, done++) tx.put(COLLECTION, record(done, padding));
      await store.commit(tx);
    }
    await store.flush();
    return { buildMs: Math.round(performance.now() - t0), ...files(path), ...rss() };
  }
  const before = files(path);
  const t0 = performance.now();
  const store = await Store.open(path);
  const openMs = Math.round(performance.now() - t0);
  const count = store.count(COLLECTION);
  if (count !== records) throw new Error(`expected ${records} records, loaded ${count}`);
  const after = rss();
  const t1 = performance.now();
  await store.close();
  return { openMs, closeMs: Math.round(performance.now() - t1), before, ...after };
}

if (process.send) {
  const [role, path, records, pad] = process.argv.slice(2);
  const result = await child(role, path, Number(records), Number(pad));
  process.send(result, () => process.exit(0)); // no close: the build "dies" here
} else {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : fallback;
  };
  const sizes = arg('records', '100000,1000000').split(',').map(Number);
  const pad = Number(arg('pad', '0'));
  const run = (role, path, records) =>
    new Promise((resolve, reject) => {
      const p = fork(fileURLToPath(import.meta.url), [role, path, String(records), String(pad)], { execArgv: ['--max-old-space-size=8192'] });
      let result;
      p.once('message', (m) => (result = m));
      // The next child opens the store once this one is gone (it holds the store's lock till then).
      p.once('exit', (code) => (code || !result ? reject(new Error(`${role} exited ${code}`)) : resolve(result)));
    });
  for (const records of sizes) {
    const dir = arg('keep') ?? mkdtempSync(join(tmpdir(), 'store-startup-'));
    const path = join(dir, 'sandbox.json');
    try {
      const build = await run('build', path, records);
      const crash = await run('crash', path, records);
      const clean = await run('clean', path, records);
      console.log(JSON.stringify({ records, pad, build, afterCrash: crash, afterCleanStop: clean }));
    } finally {
      if (!arg('keep')) rmSync(dir, { recursive: true, force: true });
    }
  }
}
