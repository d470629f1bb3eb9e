/** openapi-cn Order module: open card, recharge, list, detail, the order machine, the money, the Order notify. */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { CARD_STATUS } from '../../../src/vendors/openapi-cn/inferred.js';
import { ORDER_MACHINE } from '../../../src/vendors/openapi-cn/machines/order.js';
import type { Order } from '../../../src/vendors/openapi-cn/order-model.js';
import { MERCHANT, SECOND, SEED_EXAMPLES, openapi } from '../../helpers/openapi-cn.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';
import { T0, control, makeSandbox, describeStores } from '../../helpers/sandbox.js';
import type { Sandbox } from '../../../src/sandbox.js';

const EXAMPLE = SEED_EXAMPLES[1].card_id;
const ORDER = { PENDING: 0, PROCESSING: 1, SUCCESS: 2, FAILED: 3 } as const;
const hold = (sb: Sandbox) =>
  control(sb)
    .patch(`/tenants/${MERCHANT.tenant}`, { settings: { settleDelayMs: 60_000 } })
    .expect(200);
/** Every ledger account of the default merchant, id → minor units. */
const accounts = async (sb: Sandbox): Promise<Record<string, number>> =>
  Object.fromEntries((await sb.store.read('_accounts', MERCHANT.tenant)).map((a: any) => [a.id, a.balance]));
const total = async (sb: Sandbox) => Object.values(await accounts(sb)).reduce((sum, b) => sum + b, 0);

async function setup() {
  const sb = await makeSandbox();
  const api = openapi(sb);
  const holder_id = (await api.ok('cardDetail', '/card/detail', { card_id: EXAMPLE })).holder_id as string;
  const open = (fields: Record<string, unknown>) => api.call('orderOpenCard', '/order/openCard', { bin_id: 'bin_v_usd', holder_id, ...fields });
  const detail = (order_id: string) => api.ok('orderDetail', '/order/detail', { order_id });
  return { sb, api, holder_id, open, detail };
}

describeStores('openapi-cn order', () => {
  describe('openapi-cn order/openCard', () => {
    it('opens a virtual card: wallet pays 10.00 + the 1.00 open fee, the card is ACTIVE with 10.00', async () => {
      const { sb, api, open, detail } = await setup();
      const { body } = await open({ amount: '10.00', currency: 'USD' });
      expect(body.data).toEqual({
        order_id: expect.stringMatching(/^ord_\d{12}$/),
        card_id: expect.stringMatching(/^cid_[0-9A-Za-z]{16}$/),
        order_status: ORDER.PROCESSING,
      });
      expect(await detail(body.data.order_id)).toMatchObject({
        order_type: 1,
        order_status: ORDER.SUCCESS,
        card_type: 1,
        bin_id: 'bin_v_usd',
        amount: '10.00',
        fee: '1.00',
        currency: 'USD',
        remark: '',
      });
      expect(await api.ok('cardDetail', '/card/detail', { card_id: body.data.card_id })).toMatchObject({
        card_status: CARD_STATUS.ACTIVE,
        balance: '10.00',
        bin_id: 'bin_v_usd',
      });
      expect(await accounts(sb)).toMatchObject({ 'wallet:USD': 10_000_000 - 1_100, 'transit:USD': 0, 'fees:USD': 100, [`card:${body.data.card_id}`]: 1_000 });
    });

    it('bills the order as a principal line and a fee line, both out of the wallet', async () => {
      const { open, detail } = await setup();
      const { order_id } = (await open({ amount: '10.00' })).body.data;
      expect((await detail(order_id)).bills).toEqual([
        { bill_type: 1, in_out_type: 2, category: 'open_card', amount: '10.00', currency: 'USD' },
        { bill_type: 2, in_out_type: 2, category: 'open_fee', amount: '1.00', currency: 'USD' },
      ]);
    });

    it('opens a physical card INACTIVE (awaiting card/active), and a card with no initial recharge empty', async () => {
      const { api, open } = await setup();
      const physical = (await open({ bin_id: 'bin_p_usd', amount: '20.00' })).body.data.card_id;
      const empty = (await open({})).body.data.card_id;
      expect((await api.ok('cardDetail', '/card/detail', { card_id: physical })).card_status).toBe(CARD_STATUS.INACTIVE);
      expect(await api.ok('cardDetail', '/card/detail', { card_id: empty })).toMatchObject({ card_status: CARD_STATUS.ACTIVE, balance: '0.00' });
    });

    it.each([
      [{ bin_id: 'bin_nope' }, 1004, 'resource not found: bin_id not found'],
      [{ bin_id: 'bin_off' }, 1001, 'param error: bin_id is disabled'],
      [{ holder_id: 'hid_nope' }, 1004, 'resource not found: holder_id not found'],
      [{ holder_id: undefined }, 1001, "param error: holder_id must have required property 'holder_id'"],
      [{ currency: 'HKD' }, 1001, "param error: currency must be the BIN's currency USD"],
      [{ amount: '-1.00' }, 1001, 'param error: amount must match pattern "^[0-9]+(\\.[0-9]{1,2})?$"'],
      [{ amount: '9.99' }, 3002, 'amount out of limit: amount below the BIN minimum'],
      [{ amount: '10000.01' }, 3002, 'amount out of limit: amount above the BIN maximum'],
    ])('refuses %j with %i', async (fields, code, message) => {
      const { sb, open } = await setup();
      const before = await accounts(sb);
      expect((await open(fields)).body).toEqual({ code, message });
      expect(await accounts(sb)).toEqual(before);
    });

    it('answers 3001 when the wallet cannot pay amount + fee, and opens nothing', async () => {
      const { sb, api, open } = await setup();
      const { body } = await open({ bin_id: 'bin_v_hkd', amount: '50000.00' });
      expect(body).toEqual({ code: 3001, message: 'insufficient wallet balance' });
      expect((await api.ok('cardList', '/card/list', { bin_id: 'bin_v_hkd' })).total).toBe(0);
      expect((await accounts(sb))['wallet:HKD']).toBe(5_000_000);
    });

    it("answers 3002 once the holder holds the BIN's card_limit of live cards (bin_p_usd: 2)", async () => {
      const { open } = await setup();
      expect((await open({ bin_id: 'bin_p_usd' })).body.code).toBe(0);
      expect((await open({ bin_id: 'bin_p_usd' })).body).toEqual({ code: 3002, message: 'amount out of limit: card limit reached' });
    });

    it("counts only the holder's live cards on the BIN: a failed card leaves its place, the refusal says how many", async () => {
      const { holder_id, open } = await setup();
      expect((await open({ bin_id: 'bin_p_usd', request_no: 'OPEN_1_FAIL' })).body.code).toBe(0);
      expect((await open({ bin_id: 'bin_p_usd' })).body.code).toBe(0);
      const res = await open({ bin_id: 'bin_p_usd' });
      expect(res.body.code).toBe(3002);
      expect(res.headers['x-sandbox-diagnostic']).toBe(`limit_exceeded: holder ${holder_id} already has 2 live card(s) on BIN bin_p_usd; its card_limit is 2`);
    });

    it('frees a place under card_limit when a card is cancelled', async () => {
      const { api, open } = await setup();
      await open({ bin_id: 'bin_p_usd' });
      await api.ok('cardCancel', '/card/cancel', { card_id: EXAMPLE });
      expect((await open({ bin_id: 'bin_p_usd' })).body.code).toBe(0);
    });

    it.each([
      ['an amount ending in .99', { amount: '10.99' }],
      ['a request_no ending in _FAIL', { amount: '10.00', request_no: 'OPEN_1_FAIL' }],
    ])('fails the order for %s: card FAILED, every line refunded to the wallet', async (_name, fields) => {
      const { sb, api, open, detail } = await setup();
      const { order_id, card_id } = (await open(fields)).body.data;
      const order = await detail(order_id);
      expect(order).toMatchObject({ order_status: ORDER.FAILED, remark: expect.stringMatching(/^Simulated failure/) });
      expect(order.bills.map((b: any) => [b.category, b.in_out_type])).toEqual([
        ['open_card', 2],
        ['open_fee', 2],
        ['open_card', 1],
        ['open_fee', 1],
      ]);
      expect((await api.ok('cardDetail', '/card/detail', { card_id })).card_status).toBe(CARD_STATUS.FAILED);
      expect(await accounts(sb)).toMatchObject({ 'wallet:USD': 10_000_000, 'transit:USD': 0, 'fees:USD': 0 });
    });

    it('replays the first answer to a repeated request_no and answers 3003 when the body differs', async () => {
      const { api, open } = await setup();
      const first = await open({ amount: '10.00', request_no: 'OPEN-42' });
      expect((await open({ amount: '10.00', request_no: 'OPEN-42' })).body).toEqual(first.body);
      expect((await open({ amount: '11.00', request_no: 'OPEN-42' })).body.code).toBe(3003);
      expect((await api.ok('orderList', '/order/list', { order_type: 1 })).total).toBe(1);
    });
  });

  describe('openapi-cn order/recharge', () => {
    it("recharges a card: the fee is the BIN's rate of the amount (bin_p_usd 1.00%), the card gets the amount", async () => {
      const { sb, api, detail } = await setup();
      const data = await api.ok('orderRecharge', '/order/recharge', { card_id: EXAMPLE, amount: '123.45' });
      expect(data).toEqual({ order_id: expect.any(String), card_id: EXAMPLE, order_status: ORDER.PROCESSING });
      expect(await detail(data.order_id)).toMatchObject({
        order_type: 2,
        order_status: ORDER.SUCCESS,
        amount: '123.45',
        fee: '1.23',
        bills: [
          { category: 'card_recharge', amount: '123.45' },
          { category: 'recharge_fee', bill_type: 2, amount: '1.23' },
        ],
      });
      expect((await api.ok('cardDetail', '/card/detail', { card_id: EXAMPLE })).balance).toBe('173.45');
      expect(await accounts(sb)).toMatchObject({ 'wallet:USD': 10_000_000 - 12_468, 'fees:USD': 123, 'transit:USD': 0 });
    });

    it('records the wallet debits as card_recharge and fee transactions, out', async () => {
      const { sb, api } = await setup();
      const { order_id } = await api.ok('orderRecharge', '/order/recharge', { card_id: EXAMPLE, amount: '100.00' });
      const txns = (await sb.store.read('openapi-cn.walletTransactions', MERCHANT.tenant)).filter((t: any) => t.related_id === order_id);
      expect(txns.map((t: any) => [t.transaction_type, t.in_out_type, t.amount])).toEqual([
        ['card_recharge', 2, 10_000],
        ['fee', 2, 100],
      ]);
    });

    it('recharges a FROZEN card too', async () => {
      const { api } = await setup();
      await api.ok('cardFreeze', '/card/freeze', { card_id: EXAMPLE });
      await api.ok('orderRecharge', '/order/recharge', { card_id: EXAMPLE, amount: '20.00' });
      expect((await api.ok('cardDetail', '/card/detail', { card_id: EXAMPLE })).balance).toBe('70.00');
    });

    it.each([
      [{ amount: '19.99' }, 3002],
      [{ amount: '50000.01' }, 3002],
      [{ amount: '0' }, 1001],
      [{ amount: undefined }, 1001],
      [{ card_id: 'cid_nope' }, 2001],
      [{ card_id: SEED_EXAMPLES[0].card_id }, 2001],
    ])('refuses %j with %i and moves no money', async (fields, code) => {
      const { sb, api } = await setup();
      const before = await accounts(sb);
      expect((await api.call('orderRecharge', '/order/recharge', { card_id: EXAMPLE, amount: '20.00', ...fields })).body.code).toBe(code);
      expect(await accounts(sb)).toEqual(before);
    });

    it('answers 2002 for a cancelled card and 3001 when the wallet cannot pay amount + fee', async () => {
      const { api } = await setup();
      await api.ok('orderRecharge', '/order/recharge', { card_id: EXAMPLE, amount: '50000.00' });
      expect((await api.call('orderRecharge', '/order/recharge', { card_id: EXAMPLE, amount: '50000.00' })).body.code).toBe(3001);
      await api.ok('cardCancel', '/card/cancel', { card_id: EXAMPLE });
      expect((await api.call('orderRecharge', '/order/recharge', { card_id: EXAMPLE, amount: '20.00' })).body.code).toBe(2002);
    });

    it('fails a recharge still processing when its card is cancelled, and refunds the wallet', async () => {
      const { sb, api, detail } = await setup();
      await hold(sb);
      const { order_id } = await api.ok('orderRecharge', '/order/recharge', { card_id: EXAMPLE, amount: '20.00' });
      await api.ok('cardCancel', '/card/cancel', { card_id: EXAMPLE });
      await control(sb).advance(60_000);
      expect(await detail(order_id)).toMatchObject({ order_status: ORDER.FAILED, remark: 'Card status CANCELLING does not allow RECHARGE' });
      expect(await accounts(sb)).toMatchObject({ 'wallet:USD': 10_000_000 + 5_000, 'transit:USD': 0, [`card:${EXAMPLE}`]: 0 });
    });
  });

  describe('openapi-cn order/list and order/detail', () => {
    async function withOrders() {
      const ctx = await setup();
      await ctx.open({ amount: '10.00' });
      await control(ctx.sb).advance(1_000);
      await ctx.api.ok('orderRecharge', '/order/recharge', { card_id: EXAMPLE, amount: '20.00' });
      await ctx.open({ amount: '10.99' });
      return ctx;
    }

    it('lists orders newest first with their statuses, without bills', async () => {
      const { api } = await withOrders();
      const data = await api.ok('orderList', '/order/list');
      expect(data).toMatchObject({ total: 3, page: 1, page_size: 20 });
      expect(data.list.map((o: any) => [o.order_type, o.order_status])).toEqual([
        [1, ORDER.FAILED],
        [2, ORDER.SUCCESS],
        [1, ORDER.SUCCESS],
      ]);
      expect(data.list[0]).not.toHaveProperty('bills');
    });

    it.each([
      [{ order_type: 2 }, 1],
      [{ order_status: ORDER.FAILED }, 1],
      [{ order_status: ORDER.SUCCESS, order_type: 1 }, 1],
      [{ card_id: EXAMPLE }, 1],
      [{ start_time: T0 + 1_000 }, 2],
      [{ end_time: T0 }, 1],
      [{ page: 2, page_size: 2 }, 1],
    ])('filters by %j (%i on the page)', async (filter, count) => {
      const { api } = await withOrders();
      expect((await api.ok('orderList', '/order/list', filter)).list).toHaveLength(count);
    });

    it('orders the list and the wallet movements by created_at, not by when they were written, once the clock is set back', async () => {
      const { sb, api, open } = await setup();
      const first = (await open({ amount: '10.00' })).body.data.order_id;
      await control(sb)
        .post('/clock', { now: T0 - 60_000 })
        .expect(200);
      const second = (await open({ amount: '10.00' })).body.data.order_id;
      expect((await api.ok('orderList', '/order/list')).list.map((o: any) => [o.order_id, o.created_at])).toEqual([
        [first, T0],
        [second, T0 - 60_000],
      ]);
      const movements = await api.ok('walletTransactionList', '/wallet/transaction/list', { transaction_type: 'open_card' });
      expect(movements.list.map((t: any) => t.related_id)).toEqual([first, second]);
    });

    it("answers 1004 for an unknown order and for another merchant's order, 1001 without order_id", async () => {
      const { sb, api, open } = await setup();
      const { order_id } = (await open({})).body.data;
      expect((await openapi(sb, SECOND).call('orderDetail', '/order/detail', { order_id })).body).toEqual({
        code: 1004,
        message: 'resource not found: order_id not found',
      });
      expect((await api.call('orderDetail', '/order/detail', { order_id: 'ord_000000000999' })).body.code).toBe(1004);
      expect((await api.call('orderDetail', '/order/detail', {})).body.code).toBe(1001);
    });

    it('shows each merchant only its own orders', async () => {
      const { sb } = await withOrders();
      expect((await openapi(sb, SECOND).ok('orderList', '/order/list')).total).toBe(0);
    });
  });

  describe('openapi-cn order machine', () => {
    it('has the table these tests drive: PENDING → PROCESSING → SUCCESS | FAILED', () => {
      expect(ORDER_MACHINE.table).toEqual({ PENDING: { SUBMIT: 'PROCESSING' }, PROCESSING: { SUCCEED: 'SUCCESS', FAIL: 'FAILED' }, SUCCESS: {}, FAILED: {} });
    });

    it.each([
      ['SUCCEED', '10.00', ['PROCESSING', 'SUCCESS']],
      ['FAIL', '10.99', ['PROCESSING', 'FAILED']],
    ])('PENDING + SUBMIT, then PROCESSING + %s: the order keeps its history', async (_event, amount, states) => {
      const { sb, open } = await setup();
      const { order_id } = (await open({ amount })).body.data;
      const { history } = (await sb.store.lookup('openapi-cn.orders', MERCHANT.tenant, order_id)) as Order;
      expect(history.map((h) => [h.from, h.to])).toEqual([
        ['PENDING', states[0]],
        [states[0], states[1]],
      ]);
    });

    it('stays PROCESSING until the settlement falls due on the sandbox clock', async () => {
      const { sb, open, detail } = await setup();
      await hold(sb);
      const { order_id } = (await open({ amount: '10.00' })).body.data;
      await control(sb).advance(59_999);
      expect((await detail(order_id)).order_status).toBe(ORDER.PROCESSING);
      await control(sb).advance(1);
      expect((await detail(order_id)).order_status).toBe(ORDER.SUCCESS);
    });
  });

  describe('openapi-cn order money', () => {
    it('keeps wallet + transit + fees + cards constant through opening, recharging, failing and cancelling', async () => {
      const { sb, api, open } = await setup();
      const before = await total(sb);
      const { card_id } = (await open({ amount: '33.33' })).body.data;
      await api.ok('orderRecharge', '/order/recharge', { card_id, amount: '77.77' });
      await open({ amount: '12.99' });
      await api.ok('orderRecharge', '/order/recharge', { card_id: EXAMPLE, amount: '20.99' });
      await api.ok('cardCancel', '/card/cancel', { card_id });
      expect(await total(sb)).toBe(before);
      expect(await accounts(sb)).toMatchObject({ 'transit:USD': 0, [`card:${card_id}`]: 0, 'fees:USD': 100 + 117 });
    });

    it('holds principal and fee in transit while the order is processing', async () => {
      const { sb, open } = await setup();
      await hold(sb);
      await open({ amount: '10.00' });
      expect(await accounts(sb)).toMatchObject({ 'wallet:USD': 10_000_000 - 1_100, 'transit:USD': 1_100, 'fees:USD': 0 });
    });
  });

  describe('openapi-cn Order notify', () => {
    const receivers: Receiver[] = [];
    afterEach(async () => {
      await Promise.all(receivers.splice(0).map((r) => r.close()));
    });

    it('sends an order event on each status change, with the order as order/detail renders it, signed', async () => {
      const { sb, open, detail } = await setup();
      const receiver = await startReceiver();
      receivers.push(receiver);
      receiver.respondWith(200, '{"code":0,"message":"success"}');
      await control(sb).patch(`/tenants/${MERCHANT.tenant}`, { webhookUrl: receiver.url }).expect(200);
      const { order_id } = (await open({ amount: '10.00' })).body.data;
      const orders = (await receiver.waitFor(5)).filter((h) => h.json.type === 'order');
      expect(orders.map((h) => h.json.data.order_status)).toEqual([ORDER.PROCESSING, ORDER.SUCCESS]);
      expect(orders[1].json).toEqual({ customer_id: MERCHANT.customer_id, app_id: MERCHANT.app_id, type: 'order', data: await detail(order_id) });
      for (const h of orders) expect(h.headers['x-signature']).toBe(createHmac('sha256', MERCHANT.key).update(h.body).digest('hex'));
    });
  });

  describe('openapi-cn list time windows', () => {
    it.each([
      ['orderList', '/order/list'],
      ['paymentList', '/payment/list'],
      ['walletTransactionList', '/wallet/transaction/list'],
      ['cardTradeList', '/card/trade/list'],
    ])('%s refuses an end_time before its start_time with 1001 naming end_time', async (operation, path) => {
      const sb = await makeSandbox();
      const res = await openapi(sb).call(operation, path, { start_time: 2_000, end_time: 1_000 });
      expect(res.body).toEqual({ code: 1001, message: 'param error: end_time must not be before start_time' });
    });
  });
});
