import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox.js';
import { COLLECTIONS } from '../../../src/vendors/openapi-cn/model.js';
import { FUND_SOURCES, PAYMENT_PURPOSES } from '../../../src/vendors/openapi-cn/payee-reference.js';
import { ACH_PAYEE as ACH, MERCHANT, SECOND, openapi } from '../../helpers/openapi-cn.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';
import { T0, control, makeSandbox, describeStores } from '../../helpers/sandbox.js';

const SWIFT = {
  ...ACH,
  payee_type: 'individual',
  name: 'Hans Muster',
  country: 'DE',
  pay_method: 'SWIFT',
  account_name: 'HANS MUSTER',
  account_number: 'DE89370400440532013000',
  swift_code: 'DEUTDEFF',
  routing_code: undefined,
};
const payeeBody = (overrides: Record<string, unknown> = {}) => ({ ...ACH, ...overrides });

const setReview = (sb: Sandbox, reviewDelayMs: number) => control(sb).patch(`/tenants/${MERCHANT.tenant}`, { settings: { reviewDelayMs } }).expect(200);
const status = async (sb: Sandbox, payee_id: string) => (await openapi(sb).ok('payeeDetail', '/payee/detail', { payee_id })).status;

/** A payee of the default merchant brought to `state`; reviews are then held for a minute. */
async function payeeIn(sb: Sandbox, state: 'DRAFT' | 'REVIEWING' | 'APPROVED' | 'REJECTED'): Promise<string> {
  const api = openapi(sb);
  const { payee_id } = await api.ok('payeeCreate', '/payee/create', payeeBody(state === 'REJECTED' ? { account_name: 'PLEASE REJECT ME' } : {}));
  if (state === 'REVIEWING') await setReview(sb, 60_000);
  if (state !== 'DRAFT') await api.ok('payeeApply', '/payee/apply', { payee_id });
  await setReview(sb, 60_000);
  return payee_id;
}

describeStores('openapi-cn payee', () => {
  describe('openapi-cn payee lookup lists', () => {
    it.each([
      ['payeeFundSourceList', '/payee/fundSourceList', FUND_SOURCES],
      ['payeePaymentPurposeList', '/payee/paymentPurposeList', PAYMENT_PURPOSES],
    ])('%s answers the static {code, name} list', async (operation, path, list) => {
      const data = await openapi(await makeSandbox()).ok(operation, path);
      expect(data).toEqual({ list, total: list.length, page: 1, page_size: 20 });
      expect(data.list.length).toBeGreaterThan(3);
    });

    it('accepts every listed fund source and payment purpose on payee/create', async () => {
      const api = openapi(await makeSandbox());
      const { list: sources } = await api.ok('payeeFundSourceList', '/payee/fundSourceList');
      const { list: purposes } = await api.ok('payeePaymentPurposeList', '/payee/paymentPurposeList');
      for (const [i, source] of sources.entries()) {
        await api.ok('payeeCreate', '/payee/create', payeeBody({ fund_source: source.code, payment_purpose: purposes[i % purposes.length].code }));
      }
      expect((await api.ok('payeeList', '/payee/list')).total).toBe(sources.length);
    });
  });

  describe('openapi-cn payee/create', () => {
    it.each([
      ['LOCAL_ACH', ACH, { swift_code: null, routing_code: '021000021' }],
      ['SWIFT', SWIFT, { swift_code: 'DEUTDEFF', routing_code: null }],
      ['FPS', { ...ACH, country: 'HK', currency: 'HKD', pay_method: 'FPS', routing_code: '004' }, { swift_code: null, routing_code: '004' }],
    ])('creates a %s payee as a draft (status 0) that payee/detail shows', async (_rail, body, bankIds) => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const created = await api.ok('payeeCreate', '/payee/create', body);
      expect(created).toEqual({ payee_id: expect.stringMatching(/^pye_[0-9a-f]{16}$/), status: 0 });
      const detail = await api.ok('payeeDetail', '/payee/detail', created);
      expect(detail).toEqual({
        ...JSON.parse(JSON.stringify(body)),
        ...bankIds,
        payee_id: created.payee_id,
        status: 0,
        reject_reason: null,
        created_at: T0,
        updated_at: T0,
      });
      expect(await sb.store.lookup(COLLECTIONS.payees, MERCHANT.tenant, created.payee_id)).toMatchObject({ state: 'DRAFT', history: [] });
    });

    it.each(['payee_type', 'name', 'country', 'currency', 'pay_method', 'account_name', 'account_number', 'bank_name', 'fund_source', 'payment_purpose'])(
      'answers 1001 naming %s when it is missing',
      async (field) => {
        const sb = await makeSandbox();
        const res = await openapi(sb).call('payeeCreate', '/payee/create', payeeBody({ [field]: undefined }));
        expect(res.body).toMatchObject({ code: 1001, message: expect.stringContaining(field) });
        expect(await sb.store.read(COLLECTIONS.payees, MERCHANT.tenant)).toEqual([]);
      },
    );

    it.each([
      ['payee_type', { payee_type: 'robot' }],
      ['pay_method', { pay_method: 'WIRE' }],
      ['currency', { currency: 'usd' }],
      ['fund_source', { fund_source: 'LOTTERY' }],
      ['payment_purpose', { payment_purpose: 'GAMBLING' }],
      ['currency', { currency: 'EUR' }],
      ['country', { country: 'GB' }],
      ['routing_code', { routing_code: undefined }],
      ['routing_code', { routing_code: '004' }],
      ['swift_code', { ...SWIFT, swift_code: undefined }],
      ['swift_code', { ...SWIFT, swift_code: 'deut' }],
      ['routing_code', { country: 'HK', currency: 'HKD', pay_method: 'FPS', routing_code: '021000021' }],
      ['currency', { country: 'HK', currency: 'USD', pay_method: 'FPS', routing_code: '004' }],
    ])('answers 1001 naming %s (%j)', async (field, overrides) => {
      const res = await openapi(await makeSandbox()).call('payeeCreate', '/payee/create', payeeBody(overrides));
      expect(res.body).toMatchObject({ code: 1001, message: expect.stringContaining(field) });
    });
  });

  describe('openapi-cn payee/apply and the review', () => {
    it('moves a draft to reviewing (1), then approves it once reviewDelayMs has passed', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      await setReview(sb, 60_000);
      const { payee_id } = await api.ok('payeeCreate', '/payee/create', payeeBody());
      expect(await api.ok('payeeApply', '/payee/apply', { payee_id })).toEqual({ payee_id, status: 1 });
      await control(sb).advance(59_999);
      expect(await status(sb, payee_id)).toBe(1);
      await control(sb).advance(1);
      expect(await api.ok('payeeDetail', '/payee/detail', { payee_id })).toMatchObject({ status: 2, reject_reason: null, updated_at: T0 + 60_000 });
    });

    it('approves at once by default, before the next request', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const { payee_id } = await api.ok('payeeCreate', '/payee/create', payeeBody());
      await api.ok('payeeApply', '/payee/apply', { payee_id });
      expect(await status(sb, payee_id)).toBe(2);
    });

    it.each(['REJECT', 'please reject', 'Acme Rejects'])('rejects (3) with a reason when the account name contains %j', async (account_name) => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const { payee_id } = await api.ok('payeeCreate', '/payee/create', payeeBody({ account_name }));
      await api.ok('payeeApply', '/payee/apply', { payee_id });
      expect(await api.ok('payeeDetail', '/payee/detail', { payee_id })).toMatchObject({
        status: 3,
        reject_reason: 'account name does not match the bank account',
      });
      expect(((await sb.store.lookup(COLLECTIONS.payees, MERCHANT.tenant, payee_id)) as any).history.map((h: any) => h.to)).toEqual(['REVIEWING', 'REJECTED']);
    });

    it('re-applies a rejected payee once its account name is fixed, clearing the reason', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const payee_id = await payeeIn(sb, 'REJECTED');
      await setReview(sb, 0);
      await api.ok('payeeEdit', '/payee/edit', { payee_id, account_name: 'ACME SUPPLIES LTD' });
      await api.ok('payeeApply', '/payee/apply', { payee_id });
      expect(await api.ok('payeeDetail', '/payee/detail', { payee_id })).toMatchObject({ status: 2, reject_reason: null });
    });
  });

  describe('openapi-cn payee machine, pair by pair through the API', () => {
    const send = {
      EDIT: (sb: Sandbox, payee_id: string) => openapi(sb).call('payeeEdit', '/payee/edit', { payee_id, bank_name: 'Second Sandbox Bank' }),
      APPLY: (sb: Sandbox, payee_id: string) => openapi(sb).call('payeeApply', '/payee/apply', { payee_id }),
      DELETE: (sb: Sandbox, payee_id: string) => openapi(sb).call('payeeDelete', '/payee/delete', { payee_id }),
      PAY: (sb: Sandbox, payee_id: string) =>
        openapi(sb).call('paymentCreate', '/payment/create', { payee_id, amount: '10.00', currency: 'USD', fee_mode: 'OUR', reason: 'OTHER' }),
    };
    const PAIRS = [
      ['DRAFT', 'EDIT', 0],
      ['DRAFT', 'APPLY', 1],
      ['DRAFT', 'DELETE', 'deleted'],
      ['DRAFT', 'PAY', 'refused'],
      ['REVIEWING', 'EDIT', 'refused'],
      ['REVIEWING', 'APPLY', 'refused'],
      ['REVIEWING', 'DELETE', 'refused'],
      ['REVIEWING', 'PAY', 'refused'],
      ['APPROVED', 'EDIT', 'refused'],
      ['APPROVED', 'APPLY', 'refused'],
      ['APPROVED', 'DELETE', 'refused'],
      ['APPROVED', 'PAY', 2],
      ['REJECTED', 'EDIT', 0],
      ['REJECTED', 'APPLY', 1],
      ['REJECTED', 'DELETE', 'deleted'],
      ['REJECTED', 'PAY', 'refused'],
    ] as const;
    const WIRE = { DRAFT: 0, REVIEWING: 1, APPROVED: 2, REJECTED: 3 } as const;

    it.each(PAIRS)('%s + %s → %s', async (state, event, to) => {
      const sb = await makeSandbox();
      const payee_id = await payeeIn(sb, state);
      expect(await status(sb, payee_id)).toBe(WIRE[state]);
      const res = await send[event](sb, payee_id);
      expect(res.body.code).toBe(to === 'refused' ? 2002 : 0);
      if (to === 'deleted') expect(await sb.store.lookup(COLLECTIONS.payees, MERCHANT.tenant, payee_id)).toBeUndefined();
      else expect(await status(sb, payee_id)).toBe(to === 'refused' ? WIRE[state] : to);
      expect(await sb.store.read(COLLECTIONS.payments, MERCHANT.tenant)).toHaveLength(event === 'PAY' && to !== 'refused' ? 1 : 0);
    });
  });

  describe('openapi-cn payee/edit', () => {
    it('changes only the fields it is given and moves updated_at', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const { payee_id } = await api.ok('payeeCreate', '/payee/create', payeeBody());
      const before = await api.ok('payeeDetail', '/payee/detail', { payee_id });
      await control(sb).advance(1_000);
      expect(await api.ok('payeeEdit', '/payee/edit', { payee_id, name: 'Acme Holdings', payment_purpose: 'LOGISTICS' })).toEqual({ payee_id, status: 0 });
      expect(await api.ok('payeeDetail', '/payee/detail', { payee_id })).toEqual({
        ...before,
        name: 'Acme Holdings',
        payment_purpose: 'LOGISTICS',
        updated_at: T0 + 1_000,
      });
    });

    it("answers 1001 when the change breaks the rail's rules, and changes nothing", async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const { payee_id } = await api.ok('payeeCreate', '/payee/create', payeeBody());
      const res = await api.call('payeeEdit', '/payee/edit', { payee_id, pay_method: 'SWIFT', name: 'Changed' });
      expect(res.body).toMatchObject({ code: 1001, message: expect.stringContaining('swift_code') });
      expect((await api.ok('payeeDetail', '/payee/detail', { payee_id })).name).toBe('Acme Supplies Ltd');
    });

    it('moves a switch of rail through when the new bank id comes with it', async () => {
      const api = openapi(await makeSandbox());
      const { payee_id } = await api.ok('payeeCreate', '/payee/create', payeeBody());
      await api.ok('payeeEdit', '/payee/edit', { payee_id, pay_method: 'SWIFT', swift_code: 'CHASUS33' });
      expect(await api.ok('payeeDetail', '/payee/detail', { payee_id })).toMatchObject({ pay_method: 'SWIFT', swift_code: 'CHASUS33' });
    });
  });

  describe('openapi-cn payee operations on unknown payees', () => {
    it.each([
      ['payeeDetail', '/payee/detail'],
      ['payeeEdit', '/payee/edit'],
      ['payeeApply', '/payee/apply'],
      ['payeeDelete', '/payee/delete'],
    ])("%s answers 1004 for an unknown payee_id and for another merchant's payee, and 1001 without one", async (operation, path) => {
      const sb = await makeSandbox();
      const { payee_id } = await openapi(sb, SECOND).ok('payeeCreate', '/payee/create', payeeBody());
      const api = openapi(sb);
      expect((await api.call(operation, path, { payee_id: 'pye_0000000000000000' })).body).toEqual({
        code: 1004,
        message: 'resource not found: payee_id not found',
      });
      expect((await api.call(operation, path, { payee_id })).body.code).toBe(1004);
      expect((await api.call(operation, path)).body).toMatchObject({ code: 1001, message: expect.stringContaining('payee_id') });
      expect(await sb.store.lookup(COLLECTIONS.payees, SECOND.tenant, payee_id)).toMatchObject({ state: 'DRAFT' });
    });
  });

  describe('openapi-cn payee/list', () => {
    it('lists newest first, paged, and filters by status, type, currency and name', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const a = (await api.ok('payeeCreate', '/payee/create', payeeBody())).payee_id;
      const b = (await api.ok('payeeCreate', '/payee/create', SWIFT)).payee_id;
      const c = (
        await api.ok('payeeCreate', '/payee/create', {
          ...ACH,
          country: 'HK',
          currency: 'HKD',
          pay_method: 'FPS',
          routing_code: '004',
          name: 'Kowloon Trading',
        })
      ).payee_id;
      await api.ok('payeeApply', '/payee/apply', { payee_id: a });
      const ids = async (filters: Record<string, unknown>) => (await api.ok('payeeList', '/payee/list', filters)).list.map((p: any) => p.payee_id);
      expect(await api.ok('payeeList', '/payee/list', { page: 2, page_size: 2 })).toMatchObject({ total: 3, page: 2, page_size: 2, list: [{ payee_id: a }] });
      expect(await ids({})).toEqual([c, b, a]);
      expect([await ids({ status: 2 }), await ids({ status: 0 })]).toEqual([[a], [c, b]]);
      expect([await ids({ payee_type: 'individual' }), await ids({ currency: 'HKD' }), await ids({ name: 'kowloon' }), await ids({ name: 'HANS' })]).toEqual([
        [b],
        [c],
        [c],
        [b],
      ]);
    });

    it("shows neither merchant the other's payees", async () => {
      const sb = await makeSandbox();
      const mine = (await openapi(sb).ok('payeeCreate', '/payee/create', payeeBody())).payee_id;
      const theirs = (await openapi(sb, SECOND).ok('payeeCreate', '/payee/create', payeeBody())).payee_id;
      expect((await openapi(sb).ok('payeeList', '/payee/list')).list.map((p: any) => p.payee_id)).toEqual([mine]);
      expect((await openapi(sb, SECOND).ok('payeeList', '/payee/list')).list.map((p: any) => p.payee_id)).toEqual([theirs]);
    });

    it.each([
      ['status', 4],
      ['payee_type', 'robot'],
      ['page_size', 101],
    ])('answers 1001 naming %s when it is %j', async (field, value) => {
      const res = await openapi(await makeSandbox()).call('payeeList', '/payee/list', { [field]: value });
      expect(res.body).toMatchObject({ code: 1001, message: expect.stringContaining(field) });
    });
  });

  describe('openapi-cn Payee Notify', () => {
    const receivers: Receiver[] = [];
    afterEach(async () => {
      await Promise.all(receivers.splice(0).map((r) => r.close()));
    });

    async function wired() {
      const sb = await makeSandbox();
      const receiver = await startReceiver();
      receivers.push(receiver);
      receiver.respondWith(200, '{"code":0,"message":"success"}');
      await control(sb).patch(`/tenants/${MERCHANT.tenant}`, { webhookUrl: receiver.url }).expect(200);
      return { sb, api: openapi(sb), receiver };
    }

    it('notifies every status change (reviewing, approved) with the payee as payee/detail shows it, signed with the key', async () => {
      const { sb, api, receiver } = await wired();
      const { payee_id } = await api.ok('payeeCreate', '/payee/create', payeeBody());
      await api.ok('payeeApply', '/payee/apply', { payee_id });
      const detail = await api.ok('payeeDetail', '/payee/detail', { payee_id });
      const hooks = await receiver.waitFor(2);
      expect(hooks.map((h) => [h.json.type, h.json.data.status])).toEqual([
        ['payee', 1],
        ['payee', 2],
      ]);
      expect(hooks[1].json).toEqual({ customer_id: MERCHANT.customer_id, app_id: MERCHANT.app_id, type: 'payee', data: detail });
      expect(hooks[1].headers['x-signature']).toBe(createHmac('sha256', MERCHANT.key).update(hooks[1].body).digest('hex'));
      await control(sb).advance(0);
      expect(receiver.received).toHaveLength(2);
    });

    it('notifies a rejection with its reason, and the edit that returns the payee to draft', async () => {
      const { api, receiver } = await wired();
      const { payee_id } = await api.ok('payeeCreate', '/payee/create', payeeBody({ account_name: 'REJECT' }));
      await api.ok('payeeApply', '/payee/apply', { payee_id });
      await api.ok('payeeEdit', '/payee/edit', { payee_id, account_name: 'ACME' });
      await api.ok('payeeEdit', '/payee/edit', { payee_id, bank_name: 'Other Bank' });
      const hooks = await receiver.waitFor(3);
      expect(hooks.map((h) => [h.json.data.status, h.json.data.reject_reason])).toEqual([
        [1, null],
        [3, 'account name does not match the bank account'],
        [0, null],
      ]);
    });
  });
});
