/**
 * Control-plane answers at size (after `npm run build`): `node bench/control-size.mjs [what] [n]`
 *
 *   pack <n>       check and load (POST /__sandbox/scenarios) a pack of the default merchants plus n
 *                  Onerway merchants with an account each (default 200000), polling health meanwhile
 *   snapshot <n>   GET /__sandbox/snapshot of n records in one merchant's collection (default 1000000)
 *   webhooks <n>   GET /__sandbox/webhooks of n deliveries over 100 merchants (default 1000000)
 *   requests <n>   GET /__sandbox/requests?limit=n of a journal of n entries (default 1000000)
 *
 * Prints the time, the answer's size, the process's RSS before and its peak during the answer, and how
 * often (and how slowly at worst) GET /__sandbox/health answered meanwhile. Figures only: no targets.
 */
import { createSandbox } from '../dist/sandbox.js';
import { readScenario } from '../dist/core/scenario.js';
import { RequestTrace } from '../dist/core/journal.js';

const [what = 'pack', nArg] = process.argv.slice(2);
const n = Number(nArg ?? (what === 'pack' ? 200_000 : 1_000_000));
const sb = await createSandbox({ db: ':memory:', logLevel: 'silent', journalEntries: what === 'requests' ? n : 0 });

let request = { path: '/__sandbox/snapshot', init: {} };
if (what === 'pack') {
  const pack = readScenario('default');
  const tenants = [...pack.collections._tenants];
  const accounts = [...pack.collections._accounts];
  for (let i = 0; i < n; i++) {
    const id = `onerway-m${i}`;
    tenants.push({
      id,
      tenantId: id,
      vendor: 'onerway',
      name: `merchant ${i}`,
      credentials: { apiKey: `onerway-key-${i}`, webhookSecret: `whsec-${i}` },
      webhookUrl: null,
      settings: {},
    });
    accounts.push({ id: 'USD', tenantId: id, currency: 'USD', balance: 100_000 });
  }
  const body = JSON.stringify({ ...pack, name: 'big', collections: { ...pack.collections, _tenants: tenants, _accounts: accounts } });
  request = { path: '/__sandbox/scenarios', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body } };
} else if (what === 'requests') {
  for (let i = 0; i < n; i++) {
    const req = { id: `req-${i}`, method: 'POST', originalUrl: '/api/v1/merchant/card/getCardInfo', headers: {}, body: Buffer.from(`{"cardId":${i}}`) };
    new RequestTrace(sb.runtime.journal, req, 'onerway', 'getCardInfo').finish(200, '{"respCode":"20000","respMsg":"success"}');
  }
  request.path = `/__sandbox/requests?limit=${n}`;
} else {
  const tx = sb.store.begin();
  for (let i = 0; i < n; i++) {
    if (what === 'webhooks')
      tx.put('_webhook_deliveries', {
        id: `whd_${i + 1}`,
        tenantId: `t${i % 100}`,
        vendor: 'onerway',
        event: 'e',
        body: '{"a":1}',
        state: 'no_url',
        attempts: [],
        createdAt: 1000 + i,
        nextAttemptAt: null,
      });
    else tx.put('x.filler', { id: `r${i}`, tenantId: 'onerway-default', n: i, text: 'lorem ipsum dolor sit amet consectetur' });
  }
  await sb.store.commit(tx);
  if (what === 'webhooks') request.path = '/__sandbox/webhooks';
}

const url = await sb.listen(0, '127.0.0.1');
const before = process.memoryUsage().rss;
let peak = before;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
let done = false;
let answers = 0;
let slowest = 0;
const poll = (async () => {
  while (!done) {
    const started = performance.now();
    await (await fetch(`${url}/__sandbox/health`, { headers: { connection: 'close' } })).text();
    slowest = Math.max(slowest, performance.now() - started);
    if (!done) answers++;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
})();
const started = performance.now();
const res = await fetch(url + request.path, request.init);
let bytes = 0;
for await (const chunk of res.body) bytes += chunk.length;
const ms = performance.now() - started;
done = true;
await poll;
clearInterval(sampler);
const mb = (b) => `${(b / 1e6).toFixed(0)} MB`;
console.log(
  `${what} n=${n}: HTTP ${res.status}, ${mb(bytes)} answered in ${ms.toFixed(0)} ms; RSS ${mb(before)} before, peak ${mb(peak)}; health answered ${answers} times meanwhile, the slowest in ${slowest.toFixed(0)} ms`,
);
await sb.close();
