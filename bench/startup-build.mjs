/**
 * Builds a store for bench/startup.mjs, directly through the Store API of dist/ (far faster than HTTP):
 * the default scenario, then `records` settled DEPOSIT operate records of the Onerway default tenant,
 * shaped as src/vendors/onerway/model.ts OperateRecord, in transactions of 5,000.
 *
 *   node bench/startup-build.mjs <db path> <records> snapshot|log
 *
 * snapshot: the store is closed (everything compacted into the snapshot). log: no compaction at all, and
 * the process exits without closing, as after a crash: everything stays in log segments.
 * Prints one JSON line: { records, buildMs }.
 */
import { Store } from '../dist/core/store.js';
import { loadScenario, readScenario } from '../dist/core/scenario.js';
import { nextSeq } from '../dist/core/ids.js';
import { preloadRecord } from './preload-record.mjs';

const [db, recordsArg, mode] = process.argv.slice(2);
const records = Number(recordsArg);
if (!db || !Number.isInteger(records) || records < 0 || (mode !== 'snapshot' && mode !== 'log')) {
  console.error('usage: node bench/startup-build.mjs <db path> <records> snapshot|log');
  process.exit(2);
}

const BATCH = 5000;
const started = performance.now();
const store = await Store.open(db, mode === 'log' ? { compactMinBytes: Number.MAX_SAFE_INTEGER } : {});
await loadScenario(store, readScenario('default'));
const base = Date.now() - records * 1000;
for (let done = 0; done < records;) {
  const tx = store.begin();
  for (const end = Math.min(records, done + BATCH); done < end; done++) {
    const id = nextSeq(tx, 'onerway.operateRecordId', 200001);
    tx.put('onerway.operateRecords', preloadRecord(id, 100001 + (done % 10), base + done * 1000, done));
  }
  await store.commit(tx);
}
if (mode === 'snapshot') await store.close();
else await store.flush();
process.stdout.write(JSON.stringify({ records, buildMs: performance.now() - started }) + '\n');
// 'log': exit with the store open, as a crash would (the log is written; the next start takes the lock over).
process.exit(0);
