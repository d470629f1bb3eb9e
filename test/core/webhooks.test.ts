import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEED_EXAMPLES, WEBHOOK_SECRET, onerway } from '../helpers/onerway.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { T0, control, expectContract, makeSandbox } from '../helpers/sandbox.js';

let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(() => receiver.close().catch(() => undefined));

async function sandboxWithHook() {
  const sb = await makeSandbox();
  await control(sb).patch('/tenants/onerway-default', { webhookUrl: receiver.url }).expect(200);
  return sb;
}

describe('onerway webhooks', () => {
  it('sends issuing.cardOperateEvent, signed with HMAC-SHA256 over x-timestamp "." body', async () => {
    const sb = await sandboxWithHook();
    await onerway(sb).createCard(SEED_EXAMPLES.createCard);
    const [hook] = await receiver.waitFor(1);
    expect(hook.headers['x-timestamp']).toBe(String(Math.floor(T0 / 1000)));
    const expected = createHmac('sha256', WEBHOOK_SECRET).update(`${hook.headers['x-timestamp']}.${hook.body}`).digest('hex');
    expect(hook.headers['x-signature']).toBe(expected);
    expect(hook.headers['content-type']).toBe('application/json;charset=UTF-8');
    expectContract('onerway/webhook.cardOperateEvent', hook.json);
    expect(hook.json.data).toMatchObject({ cardId: 100001, type: 'CREATE', status: 'S', amount: 100 });
  });

  it('sends issuing.cardTransactionEvent for a simulated authorization', async () => {
    const sb = await sandboxWithHook();
    const cardId = await onerway(sb).activeCard();
    await control(sb).post('/simulate/authorize', { vendor: 'onerway', cardId, amount: '12.34', merchantName: 'COFFEE' }).expect(200);
    const hooks = await receiver.waitFor(2);
    const txn = hooks.find((h) => h.json.event_type === 'issuing.cardTransactionEvent')!;
    expectContract('onerway/webhook.cardTransactionEvent', txn.json);
    expect(txn.json.data).toMatchObject({ txnType: 'AUTHORIZATION', txnStatus: 'S', transactionAmount: 12.34, merchantName: 'COFFEE', cardId: String(cardId) });
  });

  it('retries a refused delivery every 15 s on the sandbox clock, with the same body and request_id', async () => {
    const sb = await sandboxWithHook();
    receiver.respondWith(500, 'nope');
    await onerway(sb).createCard(SEED_EXAMPLES.createCard);
    await receiver.waitFor(1);
    await control(sb).advance(14_999);
    expect(receiver.received).toHaveLength(1);
    await control(sb).advance(1);
    const [first, second] = await receiver.waitFor(2);
    expect(second.body).toBe(first.body);
    expect(Number(second.headers['x-timestamp']) - Number(first.headers['x-timestamp'])).toBe(15);
  });

  it('gives up after the first attempt and 10 retries, and shows every attempt', async () => {
    const sb = await sandboxWithHook();
    receiver.respondWith(200, '{"respCode":"50000"}');
    await onerway(sb).createCard(SEED_EXAMPLES.createCard);
    await receiver.waitFor(1);
    await control(sb).advance(15_000 * 12);
    expect(receiver.received).toHaveLength(11);
    const { body } = await control(sb).get('/webhooks').expect(200);
    expect(body.deliveries[0]).toMatchObject({ state: 'failed', nextAttemptAt: null });
    expect(body.deliveries[0].attempts).toHaveLength(11);
  });

  it('stops retrying once the receiver acknowledges with respCode 20000', async () => {
    const sb = await sandboxWithHook();
    receiver.respondWith(503, '');
    await onerway(sb).createCard(SEED_EXAMPLES.createCard);
    await receiver.waitFor(1);
    receiver.respondWith(200, '{"respCode":"20000","respMsg":"success"}');
    await control(sb).advance(15_000 * 5);
    expect(receiver.received).toHaveLength(2);
    expect((await control(sb).get('/webhooks')).body.deliveries[0].state).toBe('delivered');
  });

  it('records an unreachable URL as a failed attempt with the error, and retries it', async () => {
    const sb = await sandboxWithHook();
    await receiver.close();
    await onerway(sb).createCard(SEED_EXAMPLES.createCard);
    await sb.runtime.scheduler.idle();
    const [delivery] = (await control(sb).get('/webhooks')).body.deliveries;
    expect(delivery).toMatchObject({ state: 'retrying', nextAttemptAt: T0 + 15_000 });
    expect(delivery.attempts[0].error).toMatch(/ECONNREFUSED/);
  });

  it('keeps events for a merchant without a webhook URL in the log as no_url', async () => {
    const sb = await makeSandbox();
    await onerway(sb).createCard(SEED_EXAMPLES.createCard);
    await sb.runtime.scheduler.idle();
    const { body } = await control(sb).get('/webhooks?tenant=onerway-default');
    expect(body.deliveries.map((d: { state: string; event: string }) => [d.event, d.state])).toEqual([['issuing.cardOperateEvent', 'no_url']]);
  });

  it("reads at most 64 KB of a receiver's answer: a 50 MB answer is cut off, the connection closed, and the attempt recorded", async () => {
    const TOTAL = 50 * 1024 * 1024;
    let sent = 0;
    let closedEarly!: (finished: boolean) => void;
    const closed = new Promise<boolean>((resolve) => (closedEarly = resolve));
    const server = createServer((req, res) => {
      req.resume();
      res.on('close', () => closedEarly(!res.writableFinished));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': TOTAL });
      // Generated lazily, 64 KB at a time, as the sandbox reads.
      const chunk = Buffer.alloc(64 * 1024, 'x');
      Readable.from(
        (function* () {
          for (; sent < TOTAL; sent += chunk.length) yield chunk;
        })(),
      ).pipe(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const sb = await makeSandbox();
      await control(sb)
        .patch('/tenants/onerway-default', { webhookUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks` })
        .expect(200);
      await onerway(sb).createCard(SEED_EXAMPLES.createCard);
      await sb.runtime.scheduler.idle();
      expect(await closed).toBe(true);
      expect(sent).toBeLessThan(TOTAL / 10);
      const [delivery] = (await control(sb).get('/webhooks')).body.deliveries;
      expect(delivery).toMatchObject({ state: 'retrying', attempts: [{ status: 200 }] });
      expect(delivery.attempts[0].response.length).toBeLessThanOrEqual(64 * 1024);
      expect(delivery.attempts[0].response).toMatch(/^x+$/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
