import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox.js';
import { LILI111, LILI12, LILI12_MAILED, SECOND, deliveries, finext, simulate, transactionId } from '../../helpers/finext.js';
import { T0, control, makeSandbox, describeStores } from '../../helpers/sandbox.js';

const HOUR = 3_600_000;

async function withLili111() {
  const sb = await makeSandbox();
  const api = finext(sb);
  const authorize = async (amount: string, extra: Record<string, unknown> = {}) =>
    (await simulate(sb, 'authorize', { cardId: LILI111.kit_number, amount, ...extra }).expect(200)).body.transaction;
  return { sb, api, authorize };
}

const FX = /^FX\d{12}$/;

describeStores('finext transactions', () => {
  describe('finext card/getAllTransactionsOfCards: amounts, categories, status and origin', () => {
    it('lists a top-up as "+10.23" CR and its fee as "-0.10" DR, with ms timestamps and txn_date', async () => {
      const { api } = await withLili111();
      const transaction_id = transactionId();
      await api.topup(LILI111.username, LILI111.kit_number, '10.23', { transaction_id });
      const { list } = await api.transactions();
      expect(list.map((t) => [t.amount, t.category, t.timestamp, t.txn_date])).toEqual([
        ['+10.23', 'CR TOP-UP', T0, '2026-03-01'],
        ['-0.10', 'DR FEE', T0, '2026-03-01'],
      ]);
      expect(list[1].transaction_id).toMatch(FX);
    });

    it('lists a simulated authorization at once as DR POS "-1.00", approved, primary', async () => {
      const { api, authorize } = await withLili111();
      await authorize('1.00', { merchantName: 'COFFEE', mcc: '5814' });
      expect((await api.transactions()).list).toEqual([
        {
          kit_number: LILI111.kit_number,
          timestamp: T0,
          amount: '-1.00',
          category: 'DR POS',
          detail: 'COFFEE (MCC 5814)',
          transaction_id: expect.stringMatching(FX),
          transaction_status: 1,
          origin_type: 1,
          origin_id: expect.stringMatching(FX),
          txn_date: '2026-03-01',
        },
      ]);
      const [t] = (await api.transactions()).list;
      expect(t.origin_id).toBe(t.transaction_id);
    });

    it('voids an authorization on its full reversal (status 1 → 2) and sends a Card Transaction Voided notification', async () => {
      const { sb, api, authorize } = await withLili111();
      await authorize('2.50');
      const [pos] = (await api.transactions()).list;
      await simulate(sb, 'reverse', { cardId: LILI111.kit_number }).expect(200);
      expect((await api.transactions()).list).toEqual([{ ...pos, transaction_status: 2 }]);
      const voided = (await deliveries(sb, 'card_transaction_voided')).map((d) => JSON.parse(d.body).transaction_ids);
      expect(voided).toEqual([[pos.transaction_id]]);
    });

    it('lists a partial reversal as CR REVERSAL tied to the authorization, which stays approved', async () => {
      const { sb, api, authorize } = await withLili111();
      await authorize('5.00');
      await simulate(sb, 'reverse', { cardId: LILI111.kit_number, amount: '2.00' }).expect(200);
      const [pos, reversal] = (await api.transactions()).list;
      expect(pos.transaction_status).toBe(1);
      expect(reversal).toMatchObject({ amount: '+2.00', category: 'CR REVERSAL', origin_type: 2, origin_id: pos.transaction_id, transaction_status: 1 });
      expect(await deliveries(sb, 'card_transaction_voided')).toEqual([]);
    });

    it.each([
      ['for the authorized amount adds nothing', '4.00', []],
      ['for more adds a DR ADJUSTMENT', '6.50', [['-2.50', 'DR ADJUSTMENT']]],
      ['for less adds a CR ADJUSTMENT', '3.25', [['+0.75', 'CR ADJUSTMENT']]],
    ])('a clearing %s', async (_case, cleared, added) => {
      const { sb, api, authorize } = await withLili111();
      await authorize('4.00');
      await simulate(sb, 'clear', { cardId: LILI111.kit_number, amount: cleared }).expect(200);
      const [pos, ...rest] = (await api.transactions()).list;
      expect(rest.map((t) => [t.amount, t.category])).toEqual(added);
      for (const t of rest) expect(t).toMatchObject({ origin_type: 2, origin_id: pos.transaction_id });
    });

    it('a clearing after a partial reversal adjusts against what is still listed, so the lines add up to what the card paid', async () => {
      const { sb, api, authorize } = await withLili111();
      await authorize('8.00');
      await simulate(sb, 'reverse', { cardId: LILI111.kit_number, amount: '3.00' }).expect(200);
      await simulate(sb, 'clear', { cardId: LILI111.kit_number, amount: '5.00' }).expect(200);
      const lines = (await api.transactions()).list.filter((t) => t.transaction_status === 1);
      expect(lines.map((t) => [t.amount, t.category])).toEqual([
        ['-8.00', 'DR POS'],
        ['+3.00', 'CR REVERSAL'],
      ]);
      const cents = lines.reduce((sum, t) => sum + Math.round(Number(t.amount) * 100), 0);
      expect(cents).toBe(-500);
    });

    it('lists a refund as CR REFUND', async () => {
      const { sb, api, authorize } = await withLili111();
      await authorize('4.00');
      const clearing = (await simulate(sb, 'clear', { cardId: LILI111.kit_number, amount: '4.00' }).expect(200)).body.transaction;
      await simulate(sb, 'refund', { cardId: LILI111.kit_number, amount: '1.25', transactionId: clearing.id }).expect(200);
      expect((await api.transactions()).list.map((t) => [t.amount, t.category])).toEqual([
        ['-4.00', 'DR POS'],
        ['+1.25', 'CR REFUND'],
      ]);
    });

    it('lists neither a declined authorization nor one on a blocked card', async () => {
      const { api, authorize } = await withLili111();
      expect((await authorize('50.00')).status).toBe('declined');
      await api.ok('modifyOpStatus', { username: LILI111.username, card_id: LILI111.card_id, op_status: 11, op_cause_type: 1 });
      expect((await authorize('1.00')).declineReason).toMatch(/not active/);
      expect((await api.transactions()).total).toBe(0);
    });
  });

  describe('finext card/getAllTransactionsOfCards: filters', () => {
    /** lili111 tops up at T0, lili12 at T0 + 1 h (each a top-up and a fee). */
    async function twoHours() {
      const sb = await makeSandbox();
      const api = finext(sb);
      await api.topup(LILI111.username, LILI111.kit_number, '1.00');
      await control(sb).advance(HOUR);
      await api.topup(LILI12.username, LILI12.kit_number, '2.00');
      return { sb, api };
    }

    it.each([
      ['both instants, inclusive', T0, T0 + HOUR, 4],
      ['the first instant only', T0, T0, 2],
      ['from 1 ms after the first', T0 + 1, T0 + HOUR, 2],
      ['up to 1 ms before the second', T0, T0 + HOUR - 1, 2],
      ['a range before both', T0 - HOUR, T0 - 1, 0],
    ])('keeps transactions within start_time and end_time (13-digit ms strings): %s', async (_case, start, end, count) => {
      const { api } = await twoHours();
      const data = await api.transactions({ start_time: String(start), end_time: String(end) });
      expect(data.total).toBe(count);
      expect(data.list).toHaveLength(count);
    });

    it('keeps only the cards named in kit_numbers, and every card when none are named', async () => {
      const { api } = await twoHours();
      expect((await api.transactions({ kit_numbers: [LILI12.kit_number] })).list.map((t) => t.kit_number)).toEqual([LILI12.kit_number, LILI12.kit_number]);
      expect((await api.transactions({ kit_numbers: [] })).total).toBe(4);
      expect((await api.transactions({ kit_numbers: undefined })).total).toBe(4);
    });

    it('keeps the named cards within the window together, oldest first whatever the order of kit_numbers', async () => {
      const { api } = await twoHours();
      const lines = (data: { list: Array<{ kit_number: string; amount: string }> }) => data.list.map((t) => [t.kit_number, t.amount]);
      const both = await api.transactions({ kit_numbers: [LILI12.kit_number, '9999999999', LILI111.kit_number] });
      expect(lines(both)).toEqual([
        [LILI111.kit_number, '+1.00'],
        [LILI111.kit_number, '-0.01'],
        [LILI12.kit_number, '+2.00'],
        [LILI12.kit_number, '-0.02'],
      ]);
      expect([both.total, both.hasMore]).toEqual([4, false]);
      const later = await api.transactions({ kit_numbers: [LILI12.kit_number, LILI111.kit_number], start_time: String(T0 + 1), end_time: String(T0 + HOUR) });
      expect(later).toMatchObject({ page: 1, total: 2, hasMore: false });
      expect(lines(later)).toEqual([
        [LILI12.kit_number, '+2.00'],
        [LILI12.kit_number, '-0.02'],
      ]);
      expect(await api.transactions({ kit_numbers: [LILI111.kit_number], start_time: String(T0 + 1), end_time: String(T0 + HOUR) })).toEqual({
        list: [],
        page: 1,
        page_size: 1000,
        total: 0,
        hasMore: false,
      });
    });

    it('answers a page past the filtered matches with none, and their total', async () => {
      const { api } = await twoHours();
      expect(await api.transactions({ page: 2, kit_numbers: [LILI12.kit_number], start_time: String(T0), end_time: String(T0 + HOUR) })).toEqual({
        list: [],
        page: 2,
        page_size: 1000,
        total: 2,
        hasMore: false,
      });
    });

    it('accepts 200 kit_numbers and answers 10400 naming kit_numbers for 201', async () => {
      const { api } = await twoHours();
      const kits = [LILI111.kit_number, ...Array.from({ length: 200 }, (_, i) => String(2000000001 + i))];
      expect((await api.transactions({ kit_numbers: kits.slice(0, 200) })).total).toBe(4);
      const res = await api.call('getAllTransactionsOfCards', { page: 1, start_time: String(T0), end_time: String(T0 + HOUR), kit_numbers: kits });
      expect(res.body.code).toBe(10400);
      expect(res.body.msg).toContain('kit_numbers');
    });

    it.each([
      ['page', 0],
      ['page', '1'],
      ['start_time', 1772323200000],
      ['start_time', '177232320000'],
      ['end_time', '2026-03-01'],
      ['kit_numbers', '2000000001'],
    ])('answers 10400 naming %s when it is %j', async (field, value) => {
      const sb = await makeSandbox();
      const res = await finext(sb).call('getAllTransactionsOfCards', { page: 1, start_time: String(T0), end_time: String(T0), [field]: value });
      expect(res.body.code).toBe(10400);
      expect(res.body.msg).toContain(field);
    });

    it.each(['page', 'start_time', 'end_time'])('answers 10400 naming %s when it is missing', async (field) => {
      const sb = await makeSandbox();
      const res = await finext(sb).call('getAllTransactionsOfCards', { page: 1, start_time: String(T0), end_time: String(T0), [field]: undefined });
      expect(res.body).toEqual({ code: 10400, msg: `parameter error: ${field} must have required property '${field}'` });
    });

    it("shows a merchant only its own cards' transactions", async () => {
      const { sb } = await twoHours();
      const data = await finext(sb, SECOND).transactions();
      expect(data).toEqual({ list: [], page: 1, page_size: 1000, total: 0, hasMore: false });
    });
  });

  describe('finext card/getAllTransactionsOfCards: pages of 1000 from page 1', () => {
    /** 1001 authorizations of 0.01 on lili111's card (it holds 10.22), sent 50 at a time. */
    async function manyTransactions(sb: Sandbox): Promise<void> {
      for (let i = 0; i < 1001; i += 50) {
        const batch = Array.from({ length: Math.min(50, 1001 - i) }, () =>
          simulate(sb, 'authorize', { cardId: LILI111.kit_number, amount: '0.01' }).expect(200),
        );
        await Promise.all(batch);
      }
    }

    it('answers 1000 on page 1, the 1001st on page 2, none on page 3, with the total on each', async () => {
      const sb = await makeSandbox();
      await manyTransactions(sb);
      const api = finext(sb);
      const pages = [await api.transactions({ page: 1 }), await api.transactions({ page: 2 }), await api.transactions({ page: 3 })];
      expect(pages.map((p) => [p.page, p.page_size, p.total, p.hasMore, p.list.length])).toEqual([
        [1, 1000, 1001, true, 1000],
        [2, 1000, 1001, false, 1],
        [3, 1000, 1001, false, 0],
      ]);
      const ids = new Set([...pages[0].list, ...pages[1].list].map((t) => t.transaction_id));
      expect(ids.size).toBe(1001);
      expect(pages[1].list[0].transaction_id).toBe('FX000000001001');
    });
  });

  describe('finext card/balance with the network', () => {
    it('reports what the card can spend: an open authorization is already out, as its DR POS line says', async () => {
      const { api, authorize } = await withLili111();
      await authorize('2.00');
      expect(await api.balance(LILI111.username, LILI111.kit_number)).toBe('8.22');
      expect((await api.cards(LILI111.username))[0].balance).toBe('8.22');
    });
  });

  describe("finext network: kit 111111, held by two accounts of the default merchant (as in the docs' examples)", () => {
    it("presents lili111's active card, not lili12's mailed one, when the network names the kit", async () => {
      const sb = await makeSandbox();
      const txn = (await simulate(sb, 'authorize', { cardId: '111111', amount: '1.00' }).expect(200)).body.transaction;
      expect(txn).toMatchObject({ tenantId: 'finext-default', cardId: LILI111.card_id, status: 'approved' });
    });

    it('refuses the kit with 409 once both cards have been activated, and takes either card by its card_id', async () => {
      const sb = await makeSandbox();
      await finext(sb).ok('activeCard', { username: LILI12_MAILED.username, kit_number: LILI12_MAILED.kit_number, pin: '1213' });
      expect((await simulate(sb, 'authorize', { cardId: '111111', amount: '1.00' })).status).toBe(409);
      const txn = (await simulate(sb, 'authorize', { cardId: LILI12_MAILED.card_id, amount: '0.00' }).expect(200)).body.transaction;
      expect(txn.cardId).toBe(LILI12_MAILED.card_id);
    });
  });
});
