import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox.js';
import { ACH_PAYEE as PAYEE, MERCHANT, SEED_EXAMPLES, openapi } from '../../helpers/openapi-cn.js';
import { startReceiver, type Received, type Receiver } from '../../helpers/receiver.js';
import { control, expectContract, makeSandbox, describeStores } from '../../helpers/sandbox.js';

const CONTRACT: Record<string, string> = { order: 'order', card: 'card', card_trade: 'cardTrade', payee: 'payee', payment: 'payment', wallet: 'wallet' };

let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
  receiver.respondWith(200, '{"code":0,"message":"success"}');
});
afterEach(() => receiver.close());

/** Drives one of each notification: card freeze, an open-card order with its wallet moves, a trade, a payee review and a payment. */
async function everyKind(sb: Sandbox): Promise<Received[]> {
  const api = openapi(sb);
  await control(sb).patch(`/tenants/${MERCHANT.tenant}`, { webhookUrl: receiver.url }).expect(200);
  await api.ok('cardFreeze', '/card/freeze', { card_id: SEED_EXAMPLES[1].card_id });
  const holder = (await api.ok('holderList', '/holder/list')).list[0].holder_id;
  const { card_id } = await api.ok('orderOpenCard', '/order/openCard', { bin_id: 'bin_v_usd', holder_id: holder, amount: '50.00' });
  await control(sb).post('/simulate/authorize', { vendor: 'openapi-cn', cardId: card_id, amount: '5.00' }).expect(200);
  const { payee_id } = await api.ok('payeeCreate', '/payee/create', PAYEE);
  await api.ok('payeeApply', '/payee/apply', { payee_id });
  await api.ok('paymentCreate', '/payment/create', { payee_id, amount: '10.00', currency: 'USD', fee_mode: 'OUR', reason: 'GOODS_PURCHASE' });
  await sb.runtime.scheduler.idle();
  return receiver.received;
}

describeStores('openapi-cn webhooks', () => {
  describe('openapi-cn webhooks', () => {
    it('sends every notification category in its documented-by-us shape', async () => {
      const received = await everyKind(await makeSandbox());
      expect(new Set(received.map((r) => r.json.type))).toEqual(new Set(Object.keys(CONTRACT)));
      for (const hook of received) expectContract(`openapi-cn/webhook.${CONTRACT[hook.json.type]}`, hook.json);
    });

    it('signs each body with hex HMAC-SHA256 under the app key in X-Signature', async () => {
      const received = await everyKind(await makeSandbox());
      for (const hook of received) expect(hook.headers['x-signature']).toBe(createHmac('sha256', MERCHANT.key).update(hook.body).digest('hex'));
      expect(received[0].json).toMatchObject({ customer_id: MERCHANT.customer_id, app_id: MERCHANT.app_id });
    });

    it('sends unsigned notifications when the merchant turns signing off', async () => {
      const sb = await makeSandbox();
      await control(sb)
        .patch(`/tenants/${MERCHANT.tenant}`, { settings: { webhookSigning: 'none' } })
        .expect(200);
      const received = await everyKind(sb);
      expect(received.every((r) => r.headers['x-signature'] === undefined)).toBe(true);
    });
  });
});
