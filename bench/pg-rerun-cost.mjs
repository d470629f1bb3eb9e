/**
 * `node bench/pg-rerun-cost.mjs` (after `npm run build`): what one run of a deposit's handler costs, the
 * price of each re-run in the working-set design (docs/design/shared-store.md, option C), against the
 * whole pipeline. An in-memory sandbox from dist/ serves BENCH_RERUN_DEPOSITS (default 3,000) Onerway
 * deposits one at a time; the pipeline's "handle in a transaction" step (the handler, its envelope, the
 * inline settlement, the idempotency answer) is timed around each call, and so is the whole request.
 */
import { STEPS } from '../dist/core/pipeline.js';
import { createSandbox } from '../dist/index.js';

const DEPOSITS = Number(process.env.BENCH_RERUN_DEPOSITS ?? 3000);
const handle = STEPS.find((s) => s.name === 'handle in a transaction');
if (!handle) throw new Error('no "handle in a transaction" step in dist/core/pipeline.js');
const run = handle.run;
const handleMs = [];
handle.run = (x) => {
  const t = performance.now();
  try {
    return run(x);
  } finally {
    handleMs.push(performance.now() - t);
  }
};

const sandbox = await createSandbox({ db: ':memory:', logLevel: 'silent' });
const url = await sandbox.listen(0, '127.0.0.1');
const onerway = async (path, body) => {
  const res = await fetch(`${url}/api/v1/merchant${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ApiKey: 'onerway-test-apikey-0001' },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (json.respCode !== '20000') throw new Error(`${path}: ${JSON.stringify(json)}`);
  return json.data;
};
const { cardId } = await onerway('/card/createCard', { clientRequestId: 'RERUN_CARD', cardholderId: 300001, productId: 1, amount: 100.0 });
handleMs.length = 0;
const requestMs = [];
for (let i = 0; i < DEPOSITS; i++) {
  const t = performance.now();
  await onerway('/card/deposit', { clientRequestId: `RERUN_${i}`, cardId, amount: 10.0 });
  requestMs.push(performance.now() - t);
}
await sandbox.close();

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { meanUs: Math.round((s.reduce((a, b) => a + b, 0) / s.length) * 1000), p50Us: Math.round(q(0.5) * 1000), p99Us: Math.round(q(0.99) * 1000) };
};
console.log(JSON.stringify({ deposits: DEPOSITS, handleStep: stats(handleMs), wholeRequestSeenByClient: stats(requestMs) }));
