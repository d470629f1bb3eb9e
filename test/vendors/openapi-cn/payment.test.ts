import { afterEach, describe, expect, it } from 'vitest';
import { canTransition } from '../../../src/core/state-machine.js';
import type { Sandbox } from '../../../src/sandbox.js';
import { PAYMENT_MACHINE } from '../../../src/vendors/openapi-cn/machines/payment.js';
import { COLLECTIONS } from '../../../src/vendors/openapi-cn/model.js';
import { PAYMENT_REASONS } from '../../../src/vendors/openapi-cn/payment-reference.js';
import { ACH_PAYEE as ACH, MERCHANT, SECOND, openapi, type Merchant } from '../../helpers/openapi-cn.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';
import { T0, control, makeSandbox, describeStores } from '../../helpers/sandbox.js';

const RAIL = {
  LOCAL_ACH: ACH,
  SWIFT: { ...ACH, country: 'DE', pay_method: 'SWIFT', swift_code: 'DEUTDEFF', routing_code: undefined },
  FPS: { ...ACH, country: 'HK', currency: 'HKD', pay_method: 'FPS', routing_code: '004' },
  SWIFT_EUR: { ...ACH, country: 'DE', currency: 'EUR', pay_method: 'SWIFT', swift_code: 'DEUTDEFF', routing_code: undefined },
} as const;

/** An approved payee of `merchant` on the rail (reviews settle at once by default). */
async function approvedPayee(sb: Sandbox, rail: keyof typeof RAIL = 'LOCAL_ACH', merchant: Merchant = MERCHANT): Promise<string> {
  const api = openapi(sb, merchant);
  const { payee_id } = await api.ok('payeeCreate', '/payee/create', RAIL[rail]);
  await api.ok('payeeApply', '/payee/apply', { payee_id });
  return payee_id;
}

const pay = (payee_id: string, fields: Record<string, unknown> = {}) => ({
  payee_id,
  amount: '100.00',
  currency: 'USD',
  fee_mode: 'OUR',
  reason: 'GOODS_PURCHASE',
  ...fields,
});
const holdSettlement = (sb: Sandbox, settleDelayMs = 60_000) => control(sb).patch(`/tenants/${MERCHANT.tenant}`, { settings: { settleDelayMs } }).expect(200);
const balance = async (sb: Sandbox, account: string, tenant = MERCHANT.tenant) =>
  ((await sb.store.lookup('_accounts', tenant, account)) as unknown as { balance: number }).balance;
const detail = async (sb: Sandbox, payment_id: string) => openapi(sb).ok('paymentDetail', '/payment/detail', { payment_id });

describeStores('openapi-cn payment', () => {
  describe('openapi-cn payment/reasonList', () => {
    it('answers the static {code, name} list, each code accepted by payment/create', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const data = await api.ok('paymentReasonList', '/payment/reasonList');
      expect(data).toEqual({ list: PAYMENT_REASONS, total: PAYMENT_REASONS.length, page: 1, page_size: 20 });
      const payee_id = await approvedPayee(sb);
      for (const { code } of data.list) await api.ok('paymentCreate', '/payment/create', pay(payee_id, { amount: '1.00', reason: code }));
      expect(await sb.store.read(COLLECTIONS.payments, MERCHANT.tenant)).toHaveLength(data.list.length);
    });
  });

  describe('openapi-cn payment/create', () => {
    it('answers the pending payment and debits the wallet by amount + fee into transit', async () => {
      const sb = await makeSandbox();
      const payee_id = await approvedPayee(sb);
      const wallet = await balance(sb, 'wallet:USD');
      const data = await openapi(sb).ok('paymentCreate', '/payment/create', pay(payee_id, { remark: 'invoice 42', request_no: 'PAY-1' }));
      expect(data).toEqual({
        payment_id: expect.stringMatching(/^pmt_[0-9a-f]{16}$/),
        request_no: 'PAY-1',
        payee_id,
        pay_method: 'LOCAL_ACH',
        currency: 'USD',
        amount: '100.00',
        fee: '1.00',
        fee_mode: 'OUR',
        debit_amount: '101.00',
        received_amount: '100.00',
        reason: 'GOODS_PURCHASE',
        remark: 'invoice 42',
        status: 0,
        fail_reason: null,
        created_at: T0,
        updated_at: T0,
        completed_at: null,
      });
      expect(wallet - (await balance(sb, 'wallet:USD'))).toBe(10_100);
      expect(
        (await sb.store.read(COLLECTIONS.walletTxns, MERCHANT.tenant))
          .filter((t: any) => t.related_id === data.payment_id)
          .map((t: any) => [t.transaction_type, t.in_out_type, t.amount]),
      ).toEqual([
        ['payment', 2, 10_000],
        ['fee', 2, 100],
      ]);
    });

    it.each([
      ['LOCAL_ACH', 'OUR', '100.00', '1.00', '101.00', '100.00'],
      ['LOCAL_ACH', 'SHA', '100.00', '1.00', '100.00', '99.00'],
      ['SWIFT', 'OUR', '250.50', '15.00', '265.50', '250.50'],
      ['SWIFT', 'SHA', '250.50', '15.00', '250.50', '235.50'],
      ['SWIFT', 'BEN', '250.50', '15.00', '250.50', '235.50'],
      ['FPS', 'BEN', '1000', '1.00', '1000.00', '999.00'],
    ] as const)('on %s with fee_mode %s pays %s: fee %s, debit %s, received %s', async (rail, fee_mode, amount, fee, debit_amount, received_amount) => {
      const sb = await makeSandbox();
      const payee_id = await approvedPayee(sb, rail);
      const currency = rail === 'FPS' ? 'HKD' : 'USD';
      const before = await balance(sb, `wallet:${currency}`);
      const data = await openapi(sb).ok('paymentCreate', '/payment/create', pay(payee_id, { amount, currency, fee_mode }));
      expect(data).toMatchObject({ fee, fee_mode, debit_amount, received_amount, currency });
      expect(before - (await balance(sb, `wallet:${currency}`))).toBe(Math.round(Number(debit_amount) * 100));
    });

    it.each(['SHA', 'BEN'])('answers 3002 naming amount when fee_mode %s leaves nothing after the fee', async (fee_mode) => {
      const sb = await makeSandbox();
      const payee_id = await approvedPayee(sb, 'SWIFT');
      const res = await openapi(sb).call('paymentCreate', '/payment/create', pay(payee_id, { amount: '15.00', fee_mode }));
      expect(res.body).toEqual({ code: 3002, message: 'amount out of limit: amount must exceed the fee' });
      expect(await sb.store.read(COLLECTIONS.payments, MERCHANT.tenant)).toEqual([]);
    });

    it('answers 3001 when the wallet cannot cover amount + fee, and moves no money', async () => {
      const sb = await makeSandbox();
      const payee_id = await approvedPayee(sb);
      const wallet = await balance(sb, 'wallet:USD');
      const amount = ((wallet - 50) / 100).toFixed(2);
      const res = await openapi(sb).call('paymentCreate', '/payment/create', pay(payee_id, { amount }));
      expect(res.body).toEqual({ code: 3001, message: 'insufficient wallet balance' });
      expect(await balance(sb, 'wallet:USD')).toBe(wallet);
      expect(await sb.store.read(COLLECTIONS.payments, MERCHANT.tenant)).toEqual([]);
    });

    it("answers 1004 naming currency when the merchant has no wallet in the payee's currency", async () => {
      const sb = await makeSandbox();
      const payee_id = await approvedPayee(sb, 'SWIFT_EUR');
      const res = await openapi(sb).call('paymentCreate', '/payment/create', pay(payee_id, { currency: 'EUR' }));
      expect(res.body).toEqual({ code: 1004, message: 'resource not found: no EUR wallet' });
    });

    it.each([
      ['currency', { currency: 'HKD' }],
      ['reason', { reason: 'BRIBE' }],
      ['amount', { amount: '0' }],
      ['amount', { amount: '1.234' }],
      ['amount', { amount: '-5' }],
      ['fee_mode', { fee_mode: 'ALL' }],
      ['payee_id', { payee_id: undefined }],
      ['amount', { amount: undefined }],
      ['currency', { currency: undefined }],
      ['fee_mode', { fee_mode: undefined }],
      ['reason', { reason: undefined }],
    ])('answers 1001 naming %s (%j)', async (field, overrides) => {
      const sb = await makeSandbox();
      const res = await openapi(sb).call('paymentCreate', '/payment/create', pay(await approvedPayee(sb), overrides));
      expect(res.body).toMatchObject({ code: 1001, message: expect.stringContaining(field) });
      expect(await sb.store.read(COLLECTIONS.payments, MERCHANT.tenant)).toEqual([]);
    });

    it("answers 1004 for an unknown payee and for another merchant's approved payee", async () => {
      const sb = await makeSandbox();
      const theirs = await approvedPayee(sb, 'LOCAL_ACH', SECOND);
      const api = openapi(sb);
      expect((await api.call('paymentCreate', '/payment/create', pay('pye_0000000000000000'))).body).toEqual({
        code: 1004,
        message: 'resource not found: payee_id not found',
      });
      expect((await api.call('paymentCreate', '/payment/create', pay(theirs))).body.code).toBe(1004);
    });
  });

  describe('openapi-cn payment/create with request_no', () => {
    it('replays the first answer for a repeat with the same body, paying once', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const payee_id = await approvedPayee(sb);
      const wallet = await balance(sb, 'wallet:USD');
      const first = await api.call('paymentCreate', '/payment/create', pay(payee_id, { request_no: 'REQ-1' }));
      const again = await api.call('paymentCreate', '/payment/create', pay(payee_id, { request_no: 'REQ-1' }));
      expect(again.text).toBe(first.text);
      expect(await sb.store.read(COLLECTIONS.payments, MERCHANT.tenant)).toHaveLength(1);
      expect(wallet - (await balance(sb, 'wallet:USD'))).toBe(10_100);
    });

    it('answers 3003 when the request_no comes back with another body', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const payee_id = await approvedPayee(sb);
      await api.ok('paymentCreate', '/payment/create', pay(payee_id, { request_no: 'REQ-2' }));
      const res = await api.call('paymentCreate', '/payment/create', pay(payee_id, { request_no: 'REQ-2', amount: '200.00' }));
      expect(res.body.code).toBe(3003);
      expect(await sb.store.read(COLLECTIONS.payments, MERCHANT.tenant)).toHaveLength(1);
    });

    it('lets a request_no refused for want of money be used again once it can pay, and keeps it per merchant', async () => {
      const sb = await makeSandbox();
      const payee_id = await approvedPayee(sb);
      const all = (((await balance(sb, 'wallet:USD')) - 100) / 100).toFixed(2);
      expect((await openapi(sb).call('paymentCreate', '/payment/create', pay(payee_id, { request_no: 'REQ-3', amount: '99999999.00' }))).body.code).toBe(3001);
      expect((await openapi(sb).ok('paymentCreate', '/payment/create', pay(payee_id, { request_no: 'REQ-3', amount: all }))).debit_amount).toBe(
        (Number(all) + 1).toFixed(2),
      );
      const theirs = await approvedPayee(sb, 'LOCAL_ACH', SECOND);
      expect((await openapi(sb, SECOND).ok('paymentCreate', '/payment/create', pay(theirs, { request_no: 'REQ-3' }))).payee_id).toBe(theirs);
    });
  });

  describe('openapi-cn payment machine', () => {
    it.each([
      ['100.00', [1, 2], ['PROCESS', 'SUCCEED'], 'paid out'],
      ['100.13', [1, 3], ['PROCESS', 'FAIL'], 'refused by the bank (x.13)'],
      ['100.14', [1, 2, 4], ['PROCESS', 'SUCCEED', 'RETURN'], 'paid, then returned (x.14)'],
    ])('moves a payment of %s pending (0) → %j, one settleDelayMs per step (%j: %s)', async (amount, steps, events) => {
      const sb = await makeSandbox();
      const payee_id = await approvedPayee(sb);
      await holdSettlement(sb);
      const { payment_id, status } = await openapi(sb).ok('paymentCreate', '/payment/create', pay(payee_id, { amount }));
      const seen = [status];
      for (const _ of steps) {
        seen.push((await detail(sb, payment_id)).status);
        await control(sb).advance(60_000);
      }
      expect(seen).toEqual([0, ...steps]);
      expect(((await sb.store.lookup(COLLECTIONS.payments, MERCHANT.tenant, payment_id)) as any).history.map((h: any) => h.event)).toEqual(events);
    });

    it('stays processing until settleDelayMs has passed, then records completed_at', async () => {
      const sb = await makeSandbox();
      const payee_id = await approvedPayee(sb);
      await holdSettlement(sb);
      const { payment_id } = await openapi(sb).ok('paymentCreate', '/payment/create', pay(payee_id));
      await control(sb).advance(59_999);
      expect(await detail(sb, payment_id)).toMatchObject({ status: 1, completed_at: null });
      await control(sb).advance(1);
      expect(await detail(sb, payment_id)).toMatchObject({ status: 2, completed_at: T0 + 60_000, updated_at: T0 + 60_000 });
    });

    it('refunds amount and fee to the wallet when the bank refuses (x.13), with the reason', async () => {
      const sb = await makeSandbox();
      const payee_id = await approvedPayee(sb, 'SWIFT');
      const wallet = await balance(sb, 'wallet:USD');
      const { payment_id } = await openapi(sb).ok('paymentCreate', '/payment/create', pay(payee_id, { amount: '50.13' }));
      expect(await detail(sb, payment_id)).toMatchObject({ status: 3, fail_reason: 'rejected by the beneficiary bank', completed_at: T0 });
      expect([await balance(sb, 'wallet:USD'), await balance(sb, 'transit:USD')]).toEqual([wallet, 0]);
      const txns = (await sb.store.read(COLLECTIONS.walletTxns, MERCHANT.tenant)).filter((t: any) => t.related_id === payment_id);
      expect(txns.map((t: any) => [t.transaction_type, t.in_out_type, t.amount])).toEqual([
        ['payment', 2, 5013],
        ['fee', 2, 1500],
        ['payment', 1, 5013],
        ['fee', 1, 1500],
      ]);
    });

    it('returns the principal to the wallet but keeps the fee when a paid payment comes back (x.14)', async () => {
      const sb = await makeSandbox();
      const payee_id = await approvedPayee(sb, 'SWIFT');
      const [wallet, fees] = [await balance(sb, 'wallet:USD'), await balance(sb, 'fees:USD')];
      const { payment_id } = await openapi(sb).ok('paymentCreate', '/payment/create', pay(payee_id, { amount: '80.14', fee_mode: 'SHA' }));
      expect(await detail(sb, payment_id)).toMatchObject({ status: 4, fail_reason: 'returned by the beneficiary bank', received_amount: '65.14' });
      expect(wallet - (await balance(sb, 'wallet:USD'))).toBe(1500);
      expect((await balance(sb, 'fees:USD')) - fees).toBe(1500);
    });

    const EXPECTED: Record<string, Record<string, string>> = {
      PENDING: { PROCESS: 'PROCESSING' },
      PROCESSING: { SUCCEED: 'SUCCESS', FAIL: 'FAILED' },
      SUCCESS: { RETURN: 'RETURNED' },
      FAILED: {},
      RETURNED: {},
    };
    const PAIRS = PAYMENT_MACHINE.states.flatMap((s) => PAYMENT_MACHINE.events.map((e) => [s, e, EXPECTED[s][e] ?? 'refused'] as const));

    it.each(PAIRS)('table: %s + %s → %s', (state, event, to) => {
      expect(canTransition(PAYMENT_MACHINE, state, event)).toBe(to !== 'refused');
      if (to !== 'refused') expect(PAYMENT_MACHINE.table[state][event]).toBe(to);
    });
  });

  describe('openapi-cn payment money', () => {
    it('keeps wallet + transit + fees + payouts constant across a mix of payments, each account at its exact sum', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const [ach, swift] = [await approvedPayee(sb), await approvedPayee(sb, 'SWIFT')];
      await holdSettlement(sb);
      const accounts = async () =>
        Object.fromEntries(
          (await sb.store.read('_accounts', MERCHANT.tenant))
            .filter((a: any) => /^(wallet|transit|fees|payouts):USD$/.test(a.id))
            .map((a: any) => [a.id.split(':')[0], a.balance]),
        );
      const before = await accounts();
      const total = (a: Record<string, number>) => a.wallet + a.transit + a.fees + a.payouts;
      const mix = [
        [ach, '100.00', 'OUR'],
        [ach, '33.33', 'SHA'],
        [swift, '250.50', 'OUR'],
        [swift, '99.13', 'SHA'],
        [swift, '500.14', 'BEN'],
        [ach, '0.01', 'OUR'],
      ] as const;
      for (const [payee_id, amount, fee_mode] of mix) await api.ok('paymentCreate', '/payment/create', pay(payee_id, { amount, fee_mode }));
      const midway = await accounts();
      expect([total(midway), midway.transit]).toEqual([total(before), 10_000 + 100 + 3_333 + 25_050 + 1_500 + 9_913 + 50_014 + 1 + 100]);
      await control(sb).advance(120_000);
      const after = await accounts();
      expect(total(after)).toBe(total(before));
      // paid: 100+1, 33.33 (32.33 + 1), 250.50+15, 500.14 returned less its 15 fee, 0.01+1; refunded: 99.13.
      expect({ wallet: before.wallet - after.wallet, transit: after.transit, fees: after.fees - before.fees, payouts: after.payouts - before.payouts }).toEqual(
        {
          wallet: 10_100 + 3_333 + 26_550 + 1_500 + 101,
          transit: 0,
          fees: 100 + 100 + 1_500 + 1_500 + 100,
          payouts: 10_000 + 3_233 + 25_050 + 1,
        },
      );
    });
  });

  describe('openapi-cn payment/list and payment/detail', () => {
    it('lists newest first, paged, filtered by status, payee_id and created time', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const [ach, swift] = [await approvedPayee(sb), await approvedPayee(sb, 'SWIFT')];
      const ids: string[] = [];
      for (const [payee_id, amount] of [
        [ach, '10.00'],
        [swift, '20.13'],
        [ach, '30.00'],
      ] as const) {
        ids.push((await api.ok('paymentCreate', '/payment/create', pay(payee_id, { amount }))).payment_id);
        await control(sb).advance(1_000);
      }
      const list = async (filters: Record<string, unknown>) => (await api.ok('paymentList', '/payment/list', filters)).list.map((p: any) => p.payment_id);
      expect(await list({})).toEqual([ids[2], ids[1], ids[0]]);
      expect(await api.ok('paymentList', '/payment/list', { page: 2, page_size: 2 })).toMatchObject({
        total: 3,
        page: 2,
        page_size: 2,
        list: [await detail(sb, ids[0])],
      });
      expect([await list({ status: 3 }), await list({ status: 2 }), await list({ payee_id: ach })]).toEqual([[ids[1]], [ids[2], ids[0]], [ids[2], ids[0]]]);
      expect([
        await list({ start_time: T0 + 1_000 }),
        await list({ end_time: T0 + 1_000 }),
        await list({ start_time: T0 + 500, end_time: T0 + 1_500 }),
      ]).toEqual([[ids[2], ids[1]], [ids[1], ids[0]], [ids[1]]]);
    });

    it("shows neither merchant the other's payments, in list or detail", async () => {
      const sb = await makeSandbox();
      const mine = (await openapi(sb).ok('paymentCreate', '/payment/create', pay(await approvedPayee(sb)))).payment_id;
      expect(await openapi(sb, SECOND).ok('paymentList', '/payment/list')).toEqual({ list: [], total: 0, page: 1, page_size: 20 });
      expect((await openapi(sb, SECOND).call('paymentDetail', '/payment/detail', { payment_id: mine })).body).toEqual({
        code: 1004,
        message: 'resource not found: payment_id not found',
      });
      expect((await openapi(sb).ok('paymentList', '/payment/list')).list.map((p: any) => p.payment_id)).toEqual([mine]);
    });

    it.each([
      ['paymentDetail', '/payment/detail', {}, 1001, 'payment_id'],
      ['paymentDetail', '/payment/detail', { payment_id: 'pmt_0000000000000000' }, 1004, 'payment_id'],
      ['paymentList', '/payment/list', { status: 5 }, 1001, 'status'],
      ['paymentList', '/payment/list', { start_time: 'yesterday' }, 1001, 'start_time'],
      ['paymentList', '/payment/list', { page_size: 101 }, 1001, 'page_size'],
    ])('%s answers %s naming … (%j)', async (operation, path, fields, code, field) => {
      const res = await openapi(await makeSandbox()).call(operation, path, fields);
      expect(res.body).toMatchObject({ code, message: expect.stringContaining(field) });
    });
  });

  describe('openapi-cn Payment Notify', () => {
    const receivers: Receiver[] = [];
    afterEach(async () => {
      await Promise.all(receivers.splice(0).map((r) => r.close()));
    });

    it.each([
      ['100.00', [1, 2]],
      ['100.13', [1, 3]],
      ['100.14', [1, 2, 4]],
    ])('notifies each status change of a %s payment (%j), the last as payment/detail shows it', async (amount, statuses) => {
      const sb = await makeSandbox();
      const payee_id = await approvedPayee(sb);
      const receiver = await startReceiver();
      receivers.push(receiver);
      receiver.respondWith(200, '{"code":0,"message":"success"}');
      await control(sb).patch(`/tenants/${MERCHANT.tenant}`, { webhookUrl: receiver.url }).expect(200);
      const { payment_id } = await openapi(sb).ok('paymentCreate', '/payment/create', pay(payee_id, { amount }));
      const last = await detail(sb, payment_id);
      const walletHooks = 2 + (statuses.includes(3) ? 2 : 0) + (statuses.includes(4) ? 1 : 0);
      const hooks = (await receiver.waitFor(statuses.length + walletHooks)).filter((h) => h.json.type === 'payment');
      expect(hooks.map((h) => h.json.data.status)).toEqual(statuses);
      expect(hooks.at(-1)!.json).toEqual({ customer_id: MERCHANT.customer_id, app_id: MERCHANT.app_id, type: 'payment', data: last });
    });
  });
});
