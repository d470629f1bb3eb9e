/** openapi-cn card trades: the network simulation rendered as card/trade/list, card/merchantScore and the Card Trade notify. */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MERCHANT, SECOND, SEED_EXAMPLES, openapi } from '../../helpers/openapi-cn.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';
import { T0, control, makeSandbox, describeStores } from '../../helpers/sandbox.js';
import type { Sandbox } from '../../../src/sandbox.js';

const EXAMPLE = SEED_EXAMPLES[1].card_id;
const SECOND_EXAMPLE = SEED_EXAMPLES[0].card_id;

/** POST /__sandbox/simulate/<action> on an openapi-cn card; answers the core transaction. */
async function simulate(sb: Sandbox, action: 'authorize' | 'clear' | 'reverse' | 'refund', fields: Record<string, unknown>) {
  return (
    await control(sb)
      .post(`/simulate/${action}`, { vendor: 'openapi-cn', cardId: EXAMPLE, ...fields })
      .expect(200)
  ).body.transaction;
}

async function setup() {
  const sb = await makeSandbox();
  const api = openapi(sb);
  const trades = async (filter: Record<string, unknown> = {}) => (await api.ok('cardTradeList', '/card/trade/list', filter)).list as any[];
  const score = (fields: Record<string, unknown> = {}) => api.ok('cardMerchantScore', '/card/merchantScore', fields);
  return { sb, api, trades, score };
}

describeStores('openapi-cn trade', () => {
  describe('openapi-cn card/trade/list', () => {
    it('records an approved authorization as an auth trade with result success', async () => {
      const { sb, trades } = await setup();
      const txn = await simulate(sb, 'authorize', { amount: '12.50', merchantName: 'COFFEE LAB', mcc: '5814' });
      expect(await trades()).toEqual([
        {
          trade_id: txn.id,
          card_id: EXAMPLE,
          trade_type: 'auth',
          trade_result: 'success',
          amount: '12.50',
          currency: 'USD',
          card_amount: '12.50',
          card_currency: 'USD',
          merchant_name: 'COFFEE LAB',
          mcc: '5814',
          auth_code: txn.authCode,
          origin_trade_id: null,
          fail_reason: null,
          trade_time: T0,
        },
      ]);
    });

    it('records a declined authorization as result fail with the reason', async () => {
      const { sb, trades } = await setup();
      await simulate(sb, 'authorize', { amount: '50.01' });
      expect((await trades())[0]).toMatchObject({ trade_type: 'auth', trade_result: 'fail', fail_reason: 'Insufficient balance', auth_code: null });
    });

    it('declines on a FROZEN card with its status as the reason', async () => {
      const { sb, api, trades } = await setup();
      await api.ok('cardFreeze', '/card/freeze', { card_id: EXAMPLE });
      await simulate(sb, 'authorize', { amount: '1.00' });
      expect((await trades())[0]).toMatchObject({ trade_result: 'fail', fail_reason: 'Card status FROZEN' });
    });

    it('maps clear, reverse and refund to settle, reversal and refund trades linked to their origin, newest first', async () => {
      const { sb, trades } = await setup();
      const auth = await simulate(sb, 'authorize', { amount: '10.00' });
      const clearing = await simulate(sb, 'clear', { transactionId: auth.id, amount: '10.00' });
      const auth2 = await simulate(sb, 'authorize', { amount: '5.00' });
      await simulate(sb, 'reverse', { transactionId: auth2.id });
      await simulate(sb, 'refund', { transactionId: clearing.id, amount: '4.00' });
      expect((await trades()).map((t) => [t.trade_type, t.amount, t.origin_trade_id])).toEqual([
        ['refund', '4.00', clearing.id],
        ['reversal', '5.00', auth2.id],
        ['auth', '5.00', null],
        ['settle', '10.00', auth.id],
        ['auth', '10.00', null],
      ]);
    });

    it('records a zero-amount verification as an auth trade', async () => {
      const { sb, trades } = await setup();
      await simulate(sb, 'authorize', { amount: '0' });
      expect((await trades())[0]).toMatchObject({ trade_type: 'auth', trade_result: 'success', amount: '0.00' });
    });

    it.each([
      [{ trade_type: 'settle' }, 1],
      [{ trade_result: 'fail' }, 1],
      [{ trade_type: 'auth', trade_result: 'success' }, 1],
      [{ card_id: EXAMPLE }, 3],
      [{ card_id: 'cid_other' }, 0],
      [{ start_time: T0 + 1 }, 1],
      [{ end_time: T0 }, 2],
      [{ page: 2, page_size: 2 }, 1],
    ])('filters by %j (%i on the page)', async (filter, count) => {
      const { sb, trades } = await setup();
      const auth = await simulate(sb, 'authorize', { amount: '10.00' });
      await simulate(sb, 'authorize', { amount: '99.00' });
      await control(sb).advance(1);
      await simulate(sb, 'clear', { transactionId: auth.id, amount: '10.00' });
      expect(await trades(filter)).toHaveLength(count);
    });

    it('answers exactly the matching trades, newest first, with the total over every page', async () => {
      const { sb, api } = await setup();
      const virtual = (await api.ok('cardList', '/card/list', { card_type: 1 })).list[0].card_id as string;
      const auth = await simulate(sb, 'authorize', { amount: '10.00' });
      const declined = await simulate(sb, 'authorize', { amount: '99.00' });
      await control(sb).advance(1);
      const clearing = await simulate(sb, 'clear', { transactionId: auth.id, amount: '10.00' });
      const other = await simulate(sb, 'authorize', { cardId: virtual, amount: '1.00' });
      const cases: Array<[Record<string, unknown>, string[], number]> = [
        [{}, [other.id, clearing.id, declined.id, auth.id], 4],
        [{ card_id: EXAMPLE }, [clearing.id, declined.id, auth.id], 3],
        [{ card_id: virtual, trade_type: 'auth' }, [other.id], 1],
        [{ card_id: 12345 }, [], 0],
        [{ trade_type: 'auth', trade_result: 'success' }, [other.id, auth.id], 2],
        [{ trade_result: 'fail', card_id: EXAMPLE }, [declined.id], 1],
        [{ start_time: T0 + 1 }, [other.id, clearing.id], 2],
        [{ start_time: T0, end_time: T0 }, [declined.id, auth.id], 2],
        [{ start_time: T0 + 1, end_time: T0 + 1, trade_type: 'settle' }, [clearing.id], 1],
        [{ end_time: T0 - 1 }, [], 0],
        [{ page: 2, page_size: 3 }, [auth.id], 4],
        [{ trade_type: 'auth', page: 2, page_size: 2 }, [auth.id], 3],
        [{ page: 3, page_size: 2 }, [], 4],
      ];
      for (const [filter, ids, total] of cases) {
        const data = await api.ok('cardTradeList', '/card/trade/list', filter);
        expect({ filter, ids: data.list.map((t: { trade_id: string }) => t.trade_id), total: data.total }).toEqual({ filter, ids, total });
      }
    });

    it('refuses an end_time before the start_time with 1001 naming end_time, after the contract checks', async () => {
      const { api } = await setup();
      const call = (fields: Record<string, unknown>) => api.call('cardTradeList', '/card/trade/list', fields);
      expect((await call({ card_id: 'cid_nobody', start_time: T0 + 1, end_time: T0 })).body).toEqual({
        code: 1001,
        message: 'param error: end_time must not be before start_time',
      });
      expect((await call({ page_size: 101, start_time: T0 + 1, end_time: T0 })).body.message).toContain('page_size');
    });

    it('answers 1001 naming trade_type for an unknown type', async () => {
      const { api } = await setup();
      expect((await api.call('cardTradeList', '/card/trade/list', { trade_type: 'purchase' })).body).toEqual({
        code: 1001,
        message: 'param error: trade_type must be equal to one of the allowed values',
      });
    });

    it("finds the card across merchants: the second merchant's card trades under that merchant only", async () => {
      const { sb, trades } = await setup();
      await simulate(sb, 'authorize', { cardId: SECOND_EXAMPLE, amount: '1.00' });
      expect(await trades()).toEqual([]);
      expect((await openapi(sb, SECOND).ok('cardTradeList', '/card/trade/list')).list).toMatchObject([{ card_id: SECOND_EXAMPLE, trade_result: 'success' }]);
    });

    it("lets the network settle a card's spend: the card balance falls by the cleared amount", async () => {
      const { sb, api } = await setup();
      const auth = await simulate(sb, 'authorize', { amount: '10.00' });
      await simulate(sb, 'clear', { transactionId: auth.id, amount: '9.50' });
      expect(await api.ok('cardDetail', '/card/detail', { card_id: EXAMPLE })).toMatchObject({ balance: '40.50', hold_amount: '0.00' });
    });

    it("answers the control plane's card_not_found for a card no merchant holds", async () => {
      const sb = await makeSandbox();
      const res = await control(sb).post('/simulate/authorize', { vendor: 'openapi-cn', cardId: 'cid_nobody', amount: '1.00' });
      expect(res.body.error).toMatchObject({ code: 'card_not_found' });
    });
  });

  describe('openapi-cn card/merchantScore', () => {
    it('scores a merchant with no trades 0, low risk', async () => {
      const { score } = await setup();
      expect(await score({ merchant_name: 'NOBODY' })).toEqual({
        card_id: null,
        merchant_name: 'NOBODY',
        score: 0,
        risk_level: 'low',
        trade_count: 0,
        fail_count: 0,
        return_count: 0,
      });
    });

    it("scores 60 × failed share + 40 × refund/reversal share of the merchant's trades (any case)", async () => {
      const { sb, score } = await setup();
      const auth = await simulate(sb, 'authorize', { amount: '10.00', merchantName: 'Risky Shop' });
      await simulate(sb, 'authorize', { amount: '500.00', merchantName: 'Risky Shop' });
      await simulate(sb, 'reverse', { transactionId: auth.id });
      await simulate(sb, 'authorize', { amount: '1.00', merchantName: 'Calm Shop' });
      // 3 trades at Risky Shop: 1 failed, 1 reversal → round((60 + 40) / 3) = 33.
      expect(await score({ merchant_name: 'risky shop' })).toMatchObject({
        merchant_name: 'risky shop',
        score: 33,
        risk_level: 'medium',
        trade_count: 3,
        fail_count: 1,
        return_count: 1,
      });
    });

    it("scores one card's trades when card_id is given, and is stable from call to call", async () => {
      const { sb, score } = await setup();
      await simulate(sb, 'authorize', { amount: '500.00' });
      await simulate(sb, 'authorize', { cardId: SECOND_EXAMPLE, amount: '1.00' });
      const first = await score({ card_id: EXAMPLE });
      expect(first).toMatchObject({ card_id: EXAMPLE, score: 60, risk_level: 'high', trade_count: 1 });
      expect(await score({ card_id: EXAMPLE })).toEqual(first);
    });

    it('counts every trade of the merchant without a filter, and the card and name together when both are given', async () => {
      const { sb, api, score } = await setup();
      const virtual = (await api.ok('cardList', '/card/list', { card_type: 1 })).list[0].card_id as string;
      const auth = await simulate(sb, 'authorize', { amount: '10.00', merchantName: 'Shop A' });
      await simulate(sb, 'authorize', { amount: '500.00', merchantName: 'Shop A' });
      const clearing = await simulate(sb, 'clear', { transactionId: auth.id, amount: '10.00' });
      await simulate(sb, 'refund', { transactionId: clearing.id, amount: '4.00' });
      await simulate(sb, 'authorize', { cardId: virtual, amount: '1.00', merchantName: 'shop a' });
      await simulate(sb, 'authorize', { amount: '1.00', merchantName: 'Other' });
      // 6 trades: 1 failed, 1 refund → round(100 / 6) = 17.
      expect(await score()).toEqual({ card_id: null, merchant_name: null, score: 17, risk_level: 'low', trade_count: 6, fail_count: 1, return_count: 1 });
      expect(await score({ merchant_name: 'SHOP A' })).toMatchObject({ score: 20, trade_count: 5, fail_count: 1, return_count: 1 });
      expect(await score({ card_id: EXAMPLE, merchant_name: 'SHOP A' })).toEqual({
        card_id: EXAMPLE,
        merchant_name: 'SHOP A',
        score: 25,
        risk_level: 'low',
        trade_count: 4,
        fail_count: 1,
        return_count: 1,
      });
      expect(await score({ card_id: virtual, merchant_name: 'Other' })).toMatchObject({ score: 0, trade_count: 0 });
    });

    it("answers 2001 for another merchant's card", async () => {
      const { api } = await setup();
      expect((await api.call('cardMerchantScore', '/card/merchantScore', { card_id: SECOND_EXAMPLE })).body.code).toBe(2001);
    });
  });

  describe('openapi-cn Card Trade notify', () => {
    const receivers: Receiver[] = [];
    afterEach(async () => {
      await Promise.all(receivers.splice(0).map((r) => r.close()));
    });

    it('sends a card_trade event with the trade as card/trade/list renders it, signed with the key', async () => {
      const { sb, trades } = await setup();
      const receiver = await startReceiver();
      receivers.push(receiver);
      receiver.respondWith(200, '{"code":0,"message":"success"}');
      await control(sb).patch(`/tenants/${MERCHANT.tenant}`, { webhookUrl: receiver.url }).expect(200);
      await simulate(sb, 'authorize', { amount: '60.00' });
      const [hook] = await receiver.waitFor(1);
      expect(hook.json).toEqual({ customer_id: MERCHANT.customer_id, app_id: MERCHANT.app_id, type: 'card_trade', data: (await trades())[0] });
      expect(hook.json.data.trade_result).toBe('fail');
      expect(hook.headers['x-signature']).toBe(createHmac('sha256', MERCHANT.key).update(hook.body).digest('hex'));
    });
  });
});
