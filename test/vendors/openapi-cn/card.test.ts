/** openapi-cn Card module: list, detail, active, freeze, unfreeze, cancel, and the Card notify. */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { CARD_STATUS, CARD_TYPE } from '../../../src/vendors/openapi-cn/inferred.js';
import { MERCHANT, SECOND, SEED_EXAMPLES, openapi } from '../../helpers/openapi-cn.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';
import { T0, control, makeSandbox, describeStores } from '../../helpers/sandbox.js';
import type { Sandbox } from '../../../src/sandbox.js';

const EXAMPLE = SEED_EXAMPLES[1].card_id;
const SECOND_EXAMPLE = SEED_EXAMPLES[0].card_id;
const hold = (sb: Sandbox) =>
  control(sb)
    .patch(`/tenants/${MERCHANT.tenant}`, { settings: { settleDelayMs: 60_000 } })
    .expect(200);

async function setup() {
  const sb = await makeSandbox();
  const api = openapi(sb);
  /** The first seeded card of this type and status (card/list). */
  const seeded = async (card_type: number, card_status: number) =>
    (await api.ok('cardList', '/card/list', { card_type, card_status })).list[0] as { card_id: string; holder_id: string };
  const status = async (card_id: string) => (await api.ok('cardDetail', '/card/detail', { card_id })).card_status as number;
  /** A new physical card, settled: INACTIVE until card/active. */
  const newPhysical = async () =>
    (
      await api.ok('orderOpenCard', '/order/openCard', {
        bin_id: 'bin_p_usd',
        holder_id: (await seeded(CARD_TYPE.PHYSICAL, CARD_STATUS.ACTIVE)).holder_id,
        amount: '20.00',
      })
    ).card_id as string;
  return { sb, api, seeded, status, newPhysical };
}

describeStores('openapi-cn card', () => {
  describe('openapi-cn card/list', () => {
    it("lists the merchant's three seeded cards newest first, masked, with balances", async () => {
      const { api } = await setup();
      const data = await api.ok('cardList', '/card/list');
      expect(data).toMatchObject({ total: 3, page: 1, page_size: 20 });
      expect(data.list.map((c: any) => [c.card_type, c.card_status, c.bin_id, c.balance])).toEqual([
        [CARD_TYPE.PHYSICAL, CARD_STATUS.FROZEN, 'bin_p_usd', '20.00'],
        [CARD_TYPE.VIRTUAL, CARD_STATUS.ACTIVE, 'bin_v_usd', '100.00'],
        [CARD_TYPE.PHYSICAL, CARD_STATUS.ACTIVE, 'bin_p_usd', '50.00'],
      ]);
      expect(data.list.map((c: any) => c.card_number)).toEqual(data.list.map(() => expect.stringMatching(/^\d{6}\*{6}\d{4}$/)));
    });

    it('lists by created_at, newest first: cards opened at the same instant in the order they were opened', async () => {
      const { api } = await setup();
      const { holder_id } = await api.ok('cardDetail', '/card/detail', { card_id: EXAMPLE });
      const opened: string[] = [];
      for (const bin_id of ['bin_v_usd', 'bin_v_hkd']) opened.push((await api.ok('orderOpenCard', '/order/openCard', { bin_id, holder_id })).card_id);
      const data = await api.ok('cardList', '/card/list');
      expect(data.total).toBe(5);
      expect(data.list.slice(0, 2).map((c: any) => [c.card_id, c.created_at])).toEqual(opened.map((id) => [id, T0]));
      expect(data.list[2].created_at).toBeLessThan(T0);
    });

    it.each([
      [{ card_status: CARD_STATUS.FROZEN }, 1],
      [{ card_status: CARD_STATUS.CANCELLED }, 0],
      [{ card_type: CARD_TYPE.PHYSICAL }, 2],
      [{ card_type: CARD_TYPE.VIRTUAL }, 1],
      [{ bin_id: 'bin_v_usd' }, 1],
      [{ bin_id: 'bin_p_usd', card_status: CARD_STATUS.ACTIVE }, 1],
      [{ page: 2, page_size: 2 }, 1],
    ])('filters by %j (%i card(s) on the page)', async (filter, count) => {
      const { api } = await setup();
      const data = await api.ok('cardList', '/card/list', filter);
      expect(data.list).toHaveLength(count);
      for (const [field, value] of Object.entries(filter).filter(([f]) => !f.startsWith('page'))) {
        expect(data.list.every((c: any) => c[field] === value)).toBe(true);
      }
    });

    it('filters by holder_id: the example holder holds the example card and the virtual one', async () => {
      const { api } = await setup();
      const { holder_id } = await api.ok('cardDetail', '/card/detail', { card_id: EXAMPLE });
      const data = await api.ok('cardList', '/card/list', { holder_id });
      expect(data.list.map((c: any) => c.card_type).sort()).toEqual([CARD_TYPE.VIRTUAL, CARD_TYPE.PHYSICAL]);
    });

    it('answers 1001 naming page_size when it is over 100', async () => {
      const { api } = await setup();
      expect((await api.call('cardList', '/card/list', { page_size: 101 })).body).toEqual({ code: 1001, message: 'param error: page_size must be <= 100' });
    });

    it('shows each merchant only its own cards', async () => {
      const sb = await makeSandbox();
      const mine = (await openapi(sb).ok('cardList', '/card/list')).list.map((c: any) => c.card_id);
      const theirs = (await openapi(sb, SECOND).ok('cardList', '/card/list')).list.map((c: any) => c.card_id);
      expect(mine).toContain(EXAMPLE);
      expect(theirs).toContain(SECOND_EXAMPLE);
      expect(mine.filter((id: string) => theirs.includes(id))).toEqual([]);
    });
  });

  describe('openapi-cn card/detail', () => {
    it('renders the example card without sensitive data, its balance from the ledger', async () => {
      const { api } = await setup();
      const card = await api.ok('cardDetail', '/card/detail', { card_id: EXAMPLE });
      expect(card).toEqual({
        card_id: EXAMPLE,
        card_number: expect.stringMatching(/^531658\*{6}\d{4}$/),
        card_type: CARD_TYPE.PHYSICAL,
        card_status: CARD_STATUS.ACTIVE,
        bin_id: 'bin_p_usd',
        holder_id: expect.stringMatching(/^hid_/),
        currency: 'USD',
        balance: '50.00',
        hold_amount: '0.00',
        created_at: expect.any(Number),
        updated_at: expect.any(Number),
      });
      expect(JSON.stringify(card)).not.toMatch(/cvv|expir|\d{16}/i);
    });

    it('shows an open authorization as held, not available', async () => {
      const { sb, api } = await setup();
      await control(sb).post('/simulate/authorize', { vendor: 'openapi-cn', cardId: EXAMPLE, amount: '12.34' }).expect(200);
      expect(await api.ok('cardDetail', '/card/detail', { card_id: EXAMPLE })).toMatchObject({ balance: '37.66', hold_amount: '12.34' });
    });

    it.each([
      [{ card_id: 'cid_unknown0000000' }, { code: 2001, message: 'card not found: card_id not found' }],
      [{ card_id: SECOND_EXAMPLE }, { code: 2001, message: 'card not found: card_id not found' }],
      [{}, { code: 1001, message: "param error: card_id must have required property 'card_id'" }],
    ])('answers %j with %j', async (fields, answer) => {
      const { api } = await setup();
      expect((await api.call('cardDetail', '/card/detail', fields)).body).toEqual(answer);
    });
  });

  describe('openapi-cn card/active', () => {
    it('activates a physical card awaiting activation: INACTIVE → ACTIVE, no data in the answer', async () => {
      const { api, status, newPhysical } = await setup();
      const cardId = await newPhysical();
      expect(await status(cardId)).toBe(CARD_STATUS.INACTIVE);
      expect((await api.call('cardActive', '/card/active', { card_id: cardId })).body).toEqual({ code: 0, message: 'success' });
      expect(await status(cardId)).toBe(CARD_STATUS.ACTIVE);
    });

    it.each([
      ['an ACTIVE physical card', CARD_TYPE.PHYSICAL, CARD_STATUS.ACTIVE, 2002],
      ['a virtual card (physical cards only)', CARD_TYPE.VIRTUAL, CARD_STATUS.ACTIVE, 2003],
    ])('refuses %s with %i', async (_name, type, cardStatus, code) => {
      const { api, seeded, status } = await setup();
      const { card_id } = await seeded(type, cardStatus);
      expect((await api.call('cardActive', '/card/active', { card_id })).body.code).toBe(code);
      expect(await status(card_id)).toBe(cardStatus);
    });
  });

  describe('openapi-cn card/freeze and card/unfreeze (physical cards only [SEED])', () => {
    it('freezes an ACTIVE physical card and unfreezes it again', async () => {
      const { api, status } = await setup();
      await api.ok('cardFreeze', '/card/freeze', { card_id: EXAMPLE });
      expect(await status(EXAMPLE)).toBe(CARD_STATUS.FROZEN);
      expect((await api.call('cardUnfreeze', '/card/unfreeze', { card_id: EXAMPLE })).body).toEqual({ code: 0, message: 'success' });
      expect(await status(EXAMPLE)).toBe(CARD_STATUS.ACTIVE);
    });

    it.each([
      ['cardFreeze', '/card/freeze', 'virtual cards cannot be frozen'],
      ['cardUnfreeze', '/card/unfreeze', 'virtual cards cannot be unfrozen'],
    ])('%s answers 2003 for a virtual card and leaves it ACTIVE', async (operation, path, detail) => {
      const { api, seeded, status } = await setup();
      const { card_id } = await seeded(CARD_TYPE.VIRTUAL, CARD_STATUS.ACTIVE);
      expect((await api.call(operation, path, { card_id })).body).toEqual({ code: 2003, message: `operation not supported for virtual card: ${detail}` });
      expect(await status(card_id)).toBe(CARD_STATUS.ACTIVE);
    });

    it.each([
      ['cardFreeze', '/card/freeze', CARD_STATUS.FROZEN],
      ['cardUnfreeze', '/card/unfreeze', CARD_STATUS.ACTIVE],
    ])('%s answers 2002 when the physical card is already in that state', async (operation, path, cardStatus) => {
      const { api, seeded } = await setup();
      const { card_id } = await seeded(CARD_TYPE.PHYSICAL, cardStatus);
      expect((await api.call(operation, path, { card_id })).body).toEqual({
        code: 2002,
        message: expect.stringMatching(/^card status not allowed: card status \w+ does not allow \w+$/),
      });
    });

    it('answers 2001 for an unknown card and 1001 without card_id', async () => {
      const { api } = await setup();
      expect((await api.call('cardFreeze', '/card/freeze', { card_id: 'nope' })).body.code).toBe(2001);
      expect((await api.call('cardUnfreeze', '/card/unfreeze', {})).body).toEqual({
        code: 1001,
        message: "param error: card_id must have required property 'card_id'",
      });
    });
  });

  describe('openapi-cn card/cancel', () => {
    it('starts a cancel order: the card is CANCELLING until the order settles', async () => {
      const { sb, api, status } = await setup();
      await hold(sb);
      const data = await api.ok('cardCancel', '/card/cancel', { card_id: EXAMPLE });
      expect(data).toEqual({ order_id: expect.stringMatching(/^ord_\d{12}$/), card_id: EXAMPLE, card_status: CARD_STATUS.CANCELLING });
      expect((await api.ok('orderDetail', '/order/detail', { order_id: data.order_id })).order_status).toBe(1);
      await control(sb).advance(60_000);
      expect(await status(EXAMPLE)).toBe(CARD_STATUS.CANCELLED);
    });

    it('refunds the card\'s remaining balance to the wallet as an "in" card_cancel_refund transaction', async () => {
      const { sb, api } = await setup();
      const { order_id } = await api.ok('cardCancel', '/card/cancel', { card_id: EXAMPLE });
      expect(await api.ok('orderDetail', '/order/detail', { order_id })).toMatchObject({
        order_type: 3,
        order_status: 2,
        amount: '50.00',
        fee: '0.00',
        bills: [{ bill_type: 1, in_out_type: 1, category: 'card_cancel_refund', amount: '50.00', currency: 'USD' }],
      });
      const txns = (await sb.store.read('openapi-cn.walletTransactions', MERCHANT.tenant)).filter((t: any) => t.related_id === order_id);
      expect(txns).toMatchObject([{ in_out_type: 1, transaction_type: 'card_cancel_refund', amount: 5_000, currency: 'USD' }]);
      expect((await api.ok('cardDetail', '/card/detail', { card_id: EXAMPLE })).balance).toBe('0.00');
    });

    it('keeps an open authorization held on the cancelled card and refunds only the available rest', async () => {
      const { sb, api } = await setup();
      await control(sb).post('/simulate/authorize', { vendor: 'openapi-cn', cardId: EXAMPLE, amount: '10.00' }).expect(200);
      const { order_id } = await api.ok('cardCancel', '/card/cancel', { card_id: EXAMPLE });
      expect((await api.ok('orderDetail', '/order/detail', { order_id })).amount).toBe('40.00');
      expect(await api.ok('cardDetail', '/card/detail', { card_id: EXAMPLE })).toMatchObject({ balance: '0.00', hold_amount: '10.00' });
    });

    it('cancels a FROZEN physical card and an ACTIVE virtual one alike', async () => {
      const { api, seeded, status } = await setup();
      for (const [type, cardStatus] of [
        [CARD_TYPE.PHYSICAL, CARD_STATUS.FROZEN],
        [CARD_TYPE.VIRTUAL, CARD_STATUS.ACTIVE],
      ]) {
        const { card_id } = await seeded(type, cardStatus);
        await api.ok('cardCancel', '/card/cancel', { card_id });
        expect(await status(card_id)).toBe(CARD_STATUS.CANCELLED);
      }
    });

    it("answers 2002 to a second cancel, and 2001 to another merchant's card", async () => {
      const { api } = await setup();
      await api.ok('cardCancel', '/card/cancel', { card_id: EXAMPLE });
      expect((await api.call('cardCancel', '/card/cancel', { card_id: EXAMPLE })).body.code).toBe(2002);
      expect((await api.call('cardCancel', '/card/cancel', { card_id: SECOND_EXAMPLE })).body.code).toBe(2001);
    });

    it('replays the first answer to a repeated request_no', async () => {
      const { api } = await setup();
      const first = await api.call('cardCancel', '/card/cancel', { card_id: EXAMPLE, request_no: 'CANCEL-1' });
      const again = await api.call('cardCancel', '/card/cancel', { card_id: EXAMPLE, request_no: 'CANCEL-1' });
      expect(again.body).toEqual(first.body);
      expect((await api.ok('orderList', '/order/list', { order_type: 3 })).total).toBe(1);
    });
  });

  describe('openapi-cn Card notify', () => {
    const receivers: Receiver[] = [];
    afterEach(async () => {
      await Promise.all(receivers.splice(0).map((r) => r.close()));
    });

    async function wired() {
      const { sb, api } = await setup();
      const receiver = await startReceiver();
      receivers.push(receiver);
      receiver.respondWith(200, '{"code":0,"message":"success"}');
      await control(sb).patch(`/tenants/${MERCHANT.tenant}`, { webhookUrl: receiver.url }).expect(200);
      return { sb, api, receiver };
    }

    it('sends a card event with the card as card/detail renders it, signed X-Signature = HMAC-SHA256(key, body)', async () => {
      const { api, receiver } = await wired();
      await api.ok('cardFreeze', '/card/freeze', { card_id: EXAMPLE });
      const [hook] = await receiver.waitFor(1);
      expect(hook.json).toEqual({
        customer_id: MERCHANT.customer_id,
        app_id: MERCHANT.app_id,
        type: 'card',
        data: await api.ok('cardDetail', '/card/detail', { card_id: EXAMPLE }),
      });
      expect(hook.json.data).toMatchObject({ card_status: CARD_STATUS.FROZEN, updated_at: T0 });
      expect(hook.headers['x-signature']).toBe(createHmac('sha256', MERCHANT.key).update(hook.body).digest('hex'));
    });

    it('sends one card event per status change of a cancellation: CANCELLING, then CANCELLED', async () => {
      const { sb, api, receiver } = await wired();
      await api.ok('cardCancel', '/card/cancel', { card_id: EXAMPLE });
      await control(sb).advance(0);
      const hooks = await receiver.waitFor(5);
      const cardHooks = hooks.filter((h) => h.json.type === 'card');
      expect(cardHooks.map((h) => h.json.data.card_status)).toEqual([CARD_STATUS.CANCELLING, CARD_STATUS.CANCELLED]);
      expect(cardHooks[1].json.data.balance).toBe('0.00');
    });

    it('sends nothing for a refused freeze', async () => {
      const { sb, api, receiver } = await wired();
      const { card_id } = (await api.ok('cardList', '/card/list', { card_type: CARD_TYPE.VIRTUAL })).list[0];
      expect((await api.call('cardFreeze', '/card/freeze', { card_id })).body.code).toBe(2003);
      await control(sb).advance(0);
      expect(receiver.received).toEqual([]);
      expect((await control(sb).get(`/webhooks?tenant=${MERCHANT.tenant}`)).body.deliveries).toEqual([]);
    });
  });
});
