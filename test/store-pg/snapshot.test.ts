/**
 * Snapshots on the PostgreSQL store (docs/design/shared-store.md §5.6, §8 step 7): the same requests
 * give the same snapshot, byte for byte, on both stores; export → load → export is byte-identical on
 * PostgreSQL as on the file store, across pages and tenants; an export is of one instant and gives its
 * connection back when the reader stops early.
 */
import request from 'supertest';
import { expect, it } from 'vitest';
import { readScenario, type Scenario } from '../../src/core/scenario.js';
import type { StoredRecord } from '../../src/core/store.js';
import type { Sandbox } from '../../src/sandbox.js';
import { SEED_EXAMPLES, onerway } from '../helpers/onerway.js';
import { SEED_EXAMPLES as OPENAPI_EXAMPLES } from '../helpers/openapi-cn.js';
import { describePostgres } from '../helpers/postgres.js';
import { control, describeStores, makeSandbox, snapshot } from '../helpers/sandbox.js';

/**
 * Requests of two vendors (Finext's carry random request ids), webhooks that fail, a network
 * authorization. Each step waits for the webhook attempts it set off, so that their retries take their
 * job numbers in the same order on both stores (an attempt's speed is not what is compared).
 */
async function script(sb: Sandbox): Promise<void> {
  const settled = () => sb.runtime.scheduler.idle();
  await control(sb).patch('/tenants/onerway-default', { webhookUrl: 'http://127.0.0.1:9/hooks' }).expect(200);
  const api = onerway(sb);
  expect((await api.createCard(SEED_EXAMPLES.createCard)).body.respCode).toBe('20000');
  await settled();
  expect((await api.operate(SEED_EXAMPLES.operate)).body.respCode).toBe('20000');
  await settled();
  expect((await api.deposit(SEED_EXAMPLES.deposit)).body.respCode).toBe('20000');
  await settled();
  await request(sb.app).post('/v1/openApi/card/freeze').send(OPENAPI_EXAMPLES[0]).expect(200);
  await settled();
  await control(sb).post('/simulate/authorize', { vendor: 'onerway', cardId: 100001, amount: '1.00' }).expect(200);
  await settled();
}

/** The default pack with a collection of `n` records spread over three tenants, interleaved as written. */
function bigPack(n: number): Scenario {
  const pack = JSON.parse(JSON.stringify(readScenario('default'))) as Scenario;
  pack.name = 'big';
  const tenants = ['onerway-default', 'finext-default', 'onerway-second'];
  pack.collections['x.many'] = Array.from({ length: n }, (_, i) => ({ id: `r${i}`, tenantId: tenants[i % 3]!, n: i, text: `é\u0000"${i}` }));
  return pack;
}

describePostgres('snapshots on PostgreSQL and on the file store', () => {
  it('are the same text after the same requests, and load into the other store to give that text again', async () => {
    const [file, pg] = [await makeSandbox({}, 'file'), await makeSandbox({}, 'postgres')];
    await script(file);
    await script(pg);
    const [onFile, onPg] = [await snapshot(file), await snapshot(pg)];
    // A failed attempt records how long it took: the one field that is not the same from run to run.
    const untimed = (text: string) => text.replace(/"ms":\d+/g, '"ms":0');
    expect(untimed(onPg)).toBe(untimed(onFile));
    expect(Object.keys(JSON.parse(onPg).collections)).toEqual(expect.arrayContaining(['_jobs', '_webhook_deliveries', '_card_txns', '_idempotency']));

    await control(pg).post('/reset', { scenario: 'empty' }).expect(200);
    await control(pg).post('/scenarios', JSON.parse(onFile)).expect(200);
    expect(await snapshot(pg)).toBe(onFile);
    await control(file).post('/reset', { scenario: 'empty' }).expect(200);
    await control(file).post('/scenarios', JSON.parse(onPg)).expect(200);
    expect(await snapshot(file)).toBe(onPg);
  });
});

describeStores('a snapshot', (store) => {
  it('of a collection read in several pages, over several tenants, round-trips byte for byte', async () => {
    const sb = await makeSandbox();
    const pack = bigPack(1_234);
    await control(sb).post('/scenarios', pack).expect(200);
    const first = await snapshot(sb);
    const many = JSON.parse(first).collections['x.many'] as Array<{ id: string; tenantId: string }>;
    // Grouped by tenant in the order of each tenant's first record, then as written.
    const order = ['onerway-default', 'finext-default', 'onerway-second'].flatMap((t) => pack.collections['x.many']!.filter((r) => r.tenantId === t));
    expect(many.map((r) => r.id)).toEqual(order.map((r) => r.id));
    await control(sb).post('/reset', { scenario: 'empty' }).expect(200);
    await control(sb).post('/scenarios', JSON.parse(first)).expect(200);
    expect(await snapshot(sb)).toBe(first);
  });

  it(`is of the instant it was asked for: writes made while it is read are not in it (${store})`, async () => {
    const sb = await makeSandbox();
    await control(sb).post('/scenarios', bigPack(1_500)).expect(200);
    const expected = (await Promise.all((await sb.store.collections()).map((c) => sb.store.read(c)))).flat();
    const pages = sb.store.snapshot(500)[Symbol.asyncIterator]();
    const read: StoredRecord[] = [];
    const first = await pages.next();
    read.push(...first.value!.records);
    await sb.store.run('onerway-default', (tx) => {
      tx.put('x.many', { id: 'late', tenantId: 'onerway-default' });
      tx.delete('x.many', 'onerway-second', 'r1499');
      tx.put('x.later', { id: 'later', tenantId: 'onerway-default' });
    });
    for (let next = await pages.next(); !next.done; next = await pages.next()) read.push(...next.value.records);
    expect(read).toEqual(expected);
  });

  it('gives its connection back when the reader stops early', async () => {
    const sb = await makeSandbox();
    await control(sb).post('/scenarios', bigPack(600)).expect(200);
    // More early stops than the pool has connections (10): a leak would leave the last ones, and the run after, waiting.
    for (let i = 0; i < 15; i++) {
      for await (const page of sb.store.snapshot(100)) {
        expect(page.records.length).toBeGreaterThan(0);
        break;
      }
    }
    await sb.store.run('onerway-default', (tx) => void tx.put('x.many', { id: 'after', tenantId: 'onerway-default' }));
    expect(await sb.store.lookup('x.many', 'onerway-default', 'after')).toEqual({ id: 'after', tenantId: 'onerway-default' });
  });
});
