import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { sign } from '../../../src/vendors/onerway/webhooks.js';
import { WEBHOOK_SECRET, holdSettlements, onerway, settle, simulate } from '../../helpers/onerway.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';
import { T0, control, expectContract, makeSandbox, describeStores } from '../../helpers/sandbox.js';

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** A sandbox whose default merchant sends its webhooks to a fresh receiver. */
async function wired() {
  const sb = await makeSandbox();
  const receiver = await startReceiver();
  receivers.push(receiver);
  await control(sb).patch('/tenants/onerway-default', { webhookUrl: receiver.url }).expect(200);
  return { sb, api: onerway(sb), receiver };
}

const hmac = (secret: string, message: string) => createHmac('sha256', secret).update(message).digest('hex');

describeStores('onerway webhooks', () => {
  describe('onerway webhooks', () => {
    it('signs x-signature as hex HMAC-SHA256 over x-timestamp + "." + body (vector: whsec_test, 1735689600, {"a":1})', () => {
      expect(sign('whsec_test', '1735689600', '{"a":1}')).toBe(hmac('whsec_test', '1735689600.{"a":1}'));
      expect(sign('whsec_test', '1735689600', '{"a":1}')).toMatch(/^[0-9a-f]{64}$/);
    });

    it("sends issuing.cardOperateEvent when a CREATE record settles, signed with the merchant's secret", async () => {
      const { sb, api, receiver } = await wired();
      const cardId = await api.activeCard(100);
      await settle(sb);
      const [hook] = await receiver.waitFor(1);
      expectContract('onerway/webhook.cardOperateEvent', hook.json);
      expect(hook.json).toMatchObject({ event_type: 'issuing.cardOperateEvent', version: '1.0', created_at: new Date(T0).toISOString() });
      expect(hook.json.data).toEqual((await api.records({ cardId }))[0]);
      expect(hook.headers['content-type']).toBe('application/json;charset=UTF-8');
      expect(hook.headers['x-timestamp']).toBe(String(T0 / 1000));
      expect(hook.headers['x-signature']).toBe(hmac(WEBHOOK_SECRET, `${hook.headers['x-timestamp']}.${hook.body}`));
    });

    it('sends the operate event on settlement only, with status S or F', async () => {
      const { sb, api, receiver } = await wired();
      const cardId = await api.activeCard();
      await settle(sb);
      await holdSettlements(sb);
      await api.operate({ clientRequestId: 'HOOK_FREEZE_1', cardId, type: 'FREEZE' });
      await api.operate({ clientRequestId: 'HOOK_FREEZE_2', cardId, type: 'FREEZE' });
      await settle(sb);
      expect(receiver.received).toHaveLength(1);
      await control(sb).advance(60_000);
      const hooks = await receiver.waitFor(3);
      expect(hooks.slice(1).map((h) => [h.json.data.clientRequestId, h.json.data.status])).toEqual([
        ['HOOK_FREEZE_1', 'S'],
        ['HOOK_FREEZE_2', 'F'],
      ]);
    });

    it('sends issuing.cardTransactionEvent with the queryTxnList record of a network authorization', async () => {
      const { sb, api, receiver } = await wired();
      const cardId = await api.activeCard();
      await settle(sb);
      await simulate(sb, 'authorize', { cardId, amount: 12.5 }).expect(200);
      await settle(sb);
      const hook = (await receiver.waitFor(2))[1];
      expectContract('onerway/webhook.cardTransactionEvent', hook.json);
      expect(hook.json.data).toEqual((await api.queryTxnList({ pageNum: 1, pageSize: 1 })).body.data.records[0]);
    });

    it('retries an unacknowledged event every 15 s, 10 times, with the same request_id and body', async () => {
      const { sb, api, receiver } = await wired();
      receiver.respondWith(200, '{"respCode":"50000","respMsg":"busy"}');
      await api.activeCard();
      await settle(sb);
      await control(sb).advance(15_000 * 12);
      expect(receiver.received).toHaveLength(11);
      expect(receiver.received.map((h) => Number(h.headers['x-timestamp']) - T0 / 1000)).toEqual(Array.from({ length: 11 }, (_, i) => 15 * i));
      expect(new Set(receiver.received.map((h) => h.body)).size).toBe(1);
      const { deliveries } = (await control(sb).get('/webhooks?tenant=onerway-default').expect(200)).body;
      expect(deliveries[0]).toMatchObject({ state: 'failed', event: 'issuing.cardOperateEvent' });
    });

    it('stops retrying once the merchant answers respCode 20000', async () => {
      const { sb, api, receiver } = await wired();
      receiver.respondWith(500, 'oops');
      await api.activeCard();
      await settle(sb);
      receiver.respondWith(200, '{"respCode":"20000","respMsg":"success"}');
      await control(sb).advance(15_000 * 5);
      expect(receiver.received).toHaveLength(2);
      expect((await control(sb).get('/webhooks').expect(200)).body.deliveries[0].state).toBe('delivered');
    });
  });
});
