/**
 * bench/scale.mjs's builder for the file store: `node bench/scale-build-file.mjs <db> <plan.json>` opens
 * the store (the sandbox that made the real deposits has stopped), adds the plan's copies of a deposit
 * through the Store API in transactions of 5,000 deposits (as bench/startup-build.mjs does), sets the
 * counters and balances, and closes the store (everything compacted into the snapshot). Prints one JSON
 * line: { buildMs }.
 */
import { readFileSync } from 'node:fs';
import { Store } from '../dist/core/store.js';
import { ACCOUNTS, COUNTERS, ENTRIES, GLOBAL_TENANT, IDEMPOTENCY, OPERATE_RECORDS, TENANT, copyValues, fill } from './scale-records.mjs';

const [db, planFile] = process.argv.slice(2);
const p = JSON.parse(readFileSync(planFile, 'utf8'));
const BATCH = 5000;
const started = performance.now();
const store = await Store.open(db);
for (let k = 0; k < p.copies;) {
  const tx = store.begin();
  for (const end = Math.min(p.copies, k + BATCH); k < end; k++) {
    const v = copyValues(p, k);
    tx.put(OPERATE_RECORDS, JSON.parse(fill(p.opTpl, v)));
    tx.put(ENTRIES, JSON.parse(fill(p.entryTpl, v)));
    tx.put(IDEMPOTENCY, JSON.parse(fill(p.answerTpl, v)));
  }
  await store.commit(tx);
}
const tx = store.begin();
tx.put(ENTRIES, p.topUpEntry);
for (const [id, value] of Object.entries(p.counters)) {
  const counter = store.get(COUNTERS, GLOBAL_TENANT, id);
  tx.put(COUNTERS, { ...counter, value });
}
for (const record of Object.values(p.accounts)) {
  if (record.tenantId !== TENANT) throw new Error(`account ${record.id} of ${record.tenantId}`);
  tx.put(ACCOUNTS, record);
}
await store.commit(tx);
await store.close();
process.stdout.write(JSON.stringify({ buildMs: performance.now() - started }) + '\n');
