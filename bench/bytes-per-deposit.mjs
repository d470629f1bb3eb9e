/**
 * Bytes of log and of snapshot one Onerway deposit costs: a sandbox from the built package (npm run
 * build) on a file store in a temp directory, frozen clock, default merchant without a webhook URL; N
 * deposits (BENCH_DEPOSITS, default 2000) of one card, each with its own clientRequestId. The log is
 * measured as the growth of the WAL segments, the snapshot as the growth of the compacted store file,
 * once right after the deposits and once more after the clock is advanced 8 days (past the default
 * retention of idempotency answers and keys). Prints one JSON line. Usage: npm run build && node bench/bytes-per-deposit.mjs
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox } from '../dist/index.js';
import { onerway, storeFiles } from './lib.mjs';

const N = Number(process.env.BENCH_DEPOSITS ?? 2000);
const dir = mkdtempSync(join(tmpdir(), 'bytes-per-deposit-'));
const db = join(dir, 'sandbox.json');
const logBytes = () => storeFiles(dir).logBytes;
const snapshotBytes = () => storeFiles(dir).snapshotBytes;

const sandbox = await createSandbox({ db, logLevel: 'silent', frozenAt: Date.UTC(2026, 2, 1) });
const url = await sandbox.listen(0, '127.0.0.1');
const post = (path, body) => onerway(url, path, body);

const { cardId } = await post('/card/createCard', { clientRequestId: 'BYTES_CARD', cardholderId: 300001, productId: 1, amount: 100 });
await sandbox.store.compact();
const before = { log: logBytes(), snapshot: snapshotBytes() };
for (let i = 0; i < N; i++) await post('/card/deposit', { clientRequestId: `BYTES_DEP_${i}`, cardId, amount: 1 });
await sandbox.runtime.scheduler.idle();
await sandbox.store.flush();
const log = logBytes() - before.log;
await sandbox.store.compact();
const snapshot = snapshotBytes() - before.snapshot;
await sandbox.runtime.scheduler.advance(8 * 86_400_000);
await sandbox.store.compact();
const retained = snapshotBytes() - before.snapshot;
await sandbox.close();
rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    deposits: N,
    logBytesPerDeposit: Math.round(log / N),
    snapshotBytesPerDeposit: Math.round(snapshot / N),
    after8DaysBytesPerDeposit: Math.round(retained / N),
  }),
);
