/** POST /__sandbox/outcomes: forcing the outcome of each vendor's pending records, and every refusal. */
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox.js';
import { finext, newAccount, setSettings, submitKyc, mailedCard } from '../helpers/finext.js';
import { SEED_EXAMPLES, account, holdSettlements, onerway, setMerchant } from '../helpers/onerway.js';
import { ACH_PAYEE, SEED_EXAMPLES as OPENAPI_EXAMPLES, openapi } from '../helpers/openapi-cn.js';
import { control, describeStores, makeSandbox, expectContract } from '../helpers/sandbox.js';
import { VENDORS } from '../../src/vendors/index.js';

const pick = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, o[k]]));

const force = (sb: Sandbox, body: Record<string, unknown>) => control(sb).post('/outcomes', body);

/** Everything a forced outcome could touch, to show that a refusal changed nothing. */
const COLLECTIONS = [
  '_tenants',
  '_accounts',
  '_entries',
  '_jobs',
  '_webhook_deliveries',
  '_counters',
  'onerway.cards',
  'onerway.operateRecords',
  'finext.accounts',
  'finext.cards',
  'openapi-cn.cards',
  'openapi-cn.orders',
  'openapi-cn.payees',
  'openapi-cn.payments',
  'openapi-cn.walletTransactions',
];
const state = async (sb: Sandbox) => JSON.stringify(await Promise.all(COLLECTIONS.map((c) => sb.store.read(c))));

const DAY = 86_400_000;
const OPENAPI_CARD = OPENAPI_EXAMPLES[1].card_id;

/** An active Onerway card with a deposit record held at P. */
async function pendingDeposit(sb: Sandbox, clientRequestId = 'DEP_1') {
  const api = onerway(sb);
  const cardId = await api.activeCard();
  await holdSettlements(sb, DAY);
  const { operateRecordId } = (await api.deposit({ clientRequestId, cardId, amount: 50 })).body.data;
  return { api, cardId, operateRecordId: operateRecordId as number };
}

describeStores('outcomes', () => {
  describe('GET /__sandbox/outcomes', () => {
    it('lists, per vendor, the kinds of pending record and the outcomes each can be forced to', async () => {
      const sb = await makeSandbox();
      const { body } = await control(sb).get('/outcomes').expect(200);
      // Every registered vendor with outcomes is listed (registered-vendors.test.ts checks each against its module)…
      expect(Object.keys(body.vendors)).toEqual(VENDORS.filter((v) => v.outcomes).map((v) => v.slug));
      // …and the package vendors' kinds are exactly these.
      expect(pick(body.vendors, ['onerway', 'finext', 'openapi-cn'])).toEqual({
        onerway: [{ kind: 'operateRecord', id: 'operateRecordId', outcomes: ['success', 'failed'] }],
        finext: [
          { kind: 'kyc', id: 'username', outcomes: ['approved', 'resubmit', 'rejected'] },
          { kind: 'card', id: 'card_id', outcomes: ['mailed'] },
          { kind: 'topup', id: 'transaction_id', outcomes: ['success', 'failed'] },
        ],
        'openapi-cn': [
          { kind: 'order', id: 'order_id', outcomes: ['success', 'failed'] },
          { kind: 'payee', id: 'payee_id', outcomes: ['approved', 'rejected'] },
          { kind: 'payment', id: 'payment_id', outcomes: ['success', 'failed', 'returned'] },
        ],
      });
    });
  });

  describe('onerway operateRecord', () => {
    it('fails a P deposit now: F with the forced remark, amount and fee back to the merchant, an operate webhook, and the later settlement does nothing', async () => {
      const sb = await makeSandbox();
      const { api, cardId, operateRecordId } = await pendingDeposit(sb);
      const merchant = (await account(sb, 'merchant:USD')).balance;
      const res = await force(sb, { vendor: 'onerway', kind: 'operateRecord', id: operateRecordId, outcome: 'failed' }).expect(200);
      expect(res.body).toMatchObject({
        vendor: 'onerway',
        kind: 'operateRecord',
        id: String(operateRecordId),
        tenant: 'onerway-default',
        outcome: 'failed',
        record: { operateRecordId, status: 'F', remark: 'Failure forced through the sandbox control plane' },
      });
      expect((await account(sb, 'merchant:USD')).balance - merchant).toBe(5_050);
      await control(sb).advance(DAY);
      expect((await api.records({ cardId, type: 'DEPOSIT' }))[0]).toMatchObject({ status: 'F' });
      expect((await api.getCardBalance({ cardId })).body.data).toMatchObject({ balance: 100 });
      const hooks = (await control(sb).get('/webhooks?tenant=onerway-default&event=issuing.cardOperateEvent').expect(200)).body.deliveries;
      expect(hooks.filter((d: any) => JSON.parse(d.body).data.operateRecordId === operateRecordId).map((d: any) => JSON.parse(d.body).data.status)).toEqual([
        'F',
      ]);
    });

    it('succeeds a record whose clientRequestId asked to fail (_FAIL): the forced outcome wins', async () => {
      const sb = await makeSandbox();
      const { api, cardId, operateRecordId } = await pendingDeposit(sb, 'DEP_FAIL');
      await force(sb, { vendor: 'onerway', kind: 'operateRecord', id: operateRecordId, outcome: 'success' }).expect(200);
      expect((await api.records({ cardId, type: 'DEPOSIT' }))[0]).toMatchObject({ status: 'S' });
      expect((await api.getCardBalance({ cardId })).body.data).toMatchObject({ balance: 150 });
    });

    it('fails a P createCard: the card is left FAILED', async () => {
      const sb = await makeSandbox();
      await holdSettlements(sb, DAY);
      await onerway(sb).createCard(SEED_EXAMPLES.createCard);
      const [record] = await onerway(sb).records({ cardId: 100001 });
      await force(sb, { vendor: 'onerway', kind: 'operateRecord', id: record.operateRecordId, outcome: 'failed' }).expect(200);
      expect(await onerway(sb).cardStatus(100001)).toBe('FAILED');
    });

    it('refuses success (409) when the card no longer allows the operation, and changes nothing', async () => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      const cardId = await api.activeCard();
      await holdSettlements(sb, DAY);
      const freeze = (await api.operate({ clientRequestId: 'FRZ_1', cardId, type: 'FREEZE' })).body.data.operateRecordId;
      const terminate = (await api.operate({ clientRequestId: 'TRM_1', cardId, type: 'TERMINATE' })).body.data.operateRecordId;
      await force(sb, { vendor: 'onerway', kind: 'operateRecord', id: terminate, outcome: 'success' }).expect(200);
      const before = await state(sb);
      const res = await force(sb, { vendor: 'onerway', kind: 'operateRecord', id: freeze, outcome: 'success' }).expect(409);
      expect(res.body.error).toMatchObject({
        code: 'invalid_state',
        field: 'outcome',
        message: expect.stringContaining('Card status TERMINATED does not allow FREEZE'),
      });
      expect(await state(sb)).toBe(before);
    });
  });

  describe('openapi-cn order, payee, payment', () => {
    const hold = (sb: Sandbox) =>
      control(sb)
        .patch('/tenants/openapi-cn-default', { settings: { settleDelayMs: DAY, reviewDelayMs: DAY } })
        .expect(200);

    it('settles a PROCESSING open-card order now as success, and another as failed (card FAILED, wallet refunded)', async () => {
      const sb = await makeSandbox();
      await hold(sb);
      const api = openapi(sb);
      const holder_id = (await api.ok('cardDetail', '/card/detail', { card_id: OPENAPI_CARD })).holder_id;
      const ok = await api.ok('orderOpenCard', '/order/openCard', { bin_id: 'bin_v_usd', holder_id, amount: '10.00' });
      const ko = await api.ok('orderOpenCard', '/order/openCard', { bin_id: 'bin_v_usd', holder_id, amount: '10.00' });
      const res = await force(sb, { vendor: 'openapi-cn', kind: 'order', id: ok.order_id, outcome: 'success' }).expect(200);
      expectContract('openapi-cn/orderDetail.response', { code: 0, message: 'success', data: res.body.record });
      await force(sb, { vendor: 'openapi-cn', kind: 'order', id: ko.order_id, outcome: 'failed' }).expect(200);
      expect((await api.ok('cardDetail', '/card/detail', { card_id: ok.card_id })).card_status).toBe(1);
      expect((await api.ok('cardDetail', '/card/detail', { card_id: ko.card_id })).card_status).toBe(5);
      expect(await api.ok('orderDetail', '/order/detail', { order_id: ko.order_id })).toMatchObject({
        order_status: 3,
        remark: 'Failure forced through the sandbox control plane',
      });
    });

    it('decides a payee under review, overriding its account name', async () => {
      const sb = await makeSandbox();
      await hold(sb);
      const api = openapi(sb);
      const { payee_id } = await api.ok('payeeCreate', '/payee/create', { ...ACH_PAYEE, account_name: 'PLEASE REJECT' });
      await api.ok('payeeApply', '/payee/apply', { payee_id });
      const res = await force(sb, { vendor: 'openapi-cn', kind: 'payee', id: payee_id, outcome: 'approved' }).expect(200);
      expect(res.body.record).toMatchObject({ payee_id, status: 2 });
      await control(sb).advance(DAY);
      expect((await api.ok('payeeDetail', '/payee/detail', { payee_id })).status).toBe(2);
    });

    it('pays and returns a pending payment at once (returned), the principal back in the wallet', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const { payee_id } = await api.ok('payeeCreate', '/payee/create', ACH_PAYEE);
      await api.ok('payeeApply', '/payee/apply', { payee_id });
      await hold(sb);
      const { payment_id } = await api.ok('paymentCreate', '/payment/create', {
        payee_id,
        amount: '100.00',
        currency: 'USD',
        fee_mode: 'OUR',
        reason: 'GOODS_PURCHASE',
      });
      const res = await force(sb, { vendor: 'openapi-cn', kind: 'payment', id: payment_id, outcome: 'returned' }).expect(200);
      expect(res.body.record).toMatchObject({ payment_id, status: 4, fail_reason: 'returned by the beneficiary bank' });
      await control(sb).advance(2 * DAY);
      expect((await api.ok('paymentDetail', '/payment/detail', { payment_id })).status).toBe(4);
    });
  });

  describe('finext kyc and card', () => {
    it('rejects a submitted review now, like POST /__sandbox/finext/kyc', async () => {
      const sb = await makeSandbox();
      await setSettings(sb, { kycReviewDelayMs: DAY });
      const { username } = await newAccount(sb);
      await submitKyc(sb, username);
      const res = await force(sb, { vendor: 'finext', kind: 'kyc', id: username, outcome: 'rejected' }).expect(200);
      expect(res.body.record).toEqual({ username, kyc_status: 4, kyc_reject_reason: 'Review failed', next_review: null });
      expect(await finext(sb).kycStatus(username)).toBe(4);
    });

    it('mails a card being prepared now (22 → 10)', async () => {
      const sb = await makeSandbox();
      await setSettings(sb, { mailDelayMs: DAY });
      const { username, card_id } = await mailedCard(sb);
      expect(await finext(sb).opStatus(username, card_id)).toBe(22);
      const res = await force(sb, { vendor: 'finext', kind: 'card', id: card_id, outcome: 'mailed' }).expect(200);
      expect(res.body.record).toMatchObject({ card_id, op_status: 10 });
      expect(await finext(sb).opStatus(username, card_id)).toBe(10);
    });
  });

  describe('refusals change nothing', () => {
    it.each([
      ['an unknown vendor', { vendor: 'visa' }, 400, 'vendor', /vendor must be one of onerway, finext, openapi-cn/],
      ['an unknown kind', { kind: 'card' }, 400, 'kind', /onerway kind must be one of operateRecord/],
      ['an outcome the kind does not have', { outcome: 'approved' }, 400, 'outcome', /must be one of success, failed/],
      ['no outcome', { outcome: undefined }, 400, 'outcome', /must be one of/],
      ['no id', { id: undefined }, 400, 'id', /operateRecordId/],
      ['an unknown id', { id: 999 }, 404, 'id', /no onerway operateRecord with operateRecordId 999/],
      ['another tenant', { tenant: 'onerway-second' }, 404, 'id', /of tenant onerway-second/],
    ])('refuses %s', async (_name, change, status, field, message) => {
      const sb = await makeSandbox();
      const { operateRecordId } = await pendingDeposit(sb);
      const before = await state(sb);
      const res = await force(sb, { vendor: 'onerway', kind: 'operateRecord', id: operateRecordId, outcome: 'failed', ...change }).expect(status);
      expect(res.body.error).toMatchObject({ field, message: expect.stringMatching(message) });
      expect(res.headers['x-sandbox-diagnostic']).toBeTruthy();
      expect(await state(sb)).toBe(before);
    });

    it('refuses a record that is no longer pending (409)', async () => {
      const sb = await makeSandbox();
      const { operateRecordId } = await pendingDeposit(sb);
      await force(sb, { vendor: 'onerway', kind: 'operateRecord', id: operateRecordId, outcome: 'success' }).expect(200);
      const before = await state(sb);
      const res = await force(sb, { vendor: 'onerway', kind: 'operateRecord', id: operateRecordId, outcome: 'failed' }).expect(409);
      expect(res.body.error).toMatchObject({ code: 'invalid_state', message: expect.stringMatching(/no longer pending \(status S\)/) });
      expect(await state(sb)).toBe(before);
    });

    it('refuses a record that settled on its own before it was forced', async () => {
      const sb = await makeSandbox();
      const { operateRecordId } = await pendingDeposit(sb);
      await setMerchant(sb, { settleDelayMs: 0 });
      await control(sb).advance(DAY);
      await force(sb, { vendor: 'onerway', kind: 'operateRecord', id: operateRecordId, outcome: 'failed' }).expect(409);
    });
  });

  describe('POST /__sandbox/<vendor>/<kind>/<id>', () => {
    it("forces one record of any vendor's kind and answers it as the vendor shows it", async () => {
      const sb = await makeSandbox();
      const { operateRecordId } = await pendingDeposit(sb);
      const res = await control(sb).post(`/onerway/operateRecord/${operateRecordId}`, { outcome: 'success' }).expect(200);
      expect(res.body).toMatchObject({ operateRecordId, status: 'S' });
      expect((await control(sb).post(`/onerway/operateRecord/${operateRecordId}`, { outcome: 'failed' }).expect(409)).body.error.code).toBe('invalid_state');
    });

    it('refuses an unknown kind, outcome or record with the field named, and leaves everything as it was', async () => {
      const sb = await makeSandbox();
      const { operateRecordId } = await pendingDeposit(sb);
      const before = await state(sb);
      expect((await control(sb).post(`/onerway/card/${operateRecordId}`, { outcome: 'success' }).expect(400)).body.error.field).toBe('kind');
      expect((await control(sb).post(`/onerway/operateRecord/${operateRecordId}`, { outcome: 'maybe' }).expect(400)).body.error.field).toBe('outcome');
      expect((await control(sb).post('/onerway/operateRecord/1', { outcome: 'success' }).expect(404)).body.error.field).toBe('id');
      expect((await control(sb).post('/finext/kyc/lili12', { outcome: 'rejected', reason: 7 }).expect(400)).body.error.field).toBe('reason');
      await control(sb).post('/nobody/kyc/lili12', { outcome: 'rejected' }).expect(404);
      expect(await state(sb)).toBe(before);
    });
  });
});
