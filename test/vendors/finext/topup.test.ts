import { describe, expect, it } from 'vitest';
import { LILI111, LILI12, MERCHANT, SECOND, activeCard, finext, ledger, ledgerTotal, requestId, setSettings, transactionId } from '../../helpers/finext.js';
import { control, makeSandbox, describeStores } from '../../helpers/sandbox.js';

const CARD = `card:${LILI111.card_id}`;

async function withLili111() {
  const sb = await makeSandbox();
  const api = finext(sb);
  const topup = (amount: string, extra: Record<string, unknown> = {}) => api.topup(LILI111.username, LILI111.kit_number, amount, extra);
  return { sb, api, topup };
}

describeStores('finext topup', () => {
  describe('finext card/topup', () => {
    it.each([
      ['10.22', 1022, 10],
      ['10.2', 1020, 10],
      ['1.50', 150, 2],
      ['1', 100, 1],
      ['10000.00', 1_000_000, 10_000],
    ])('credits "%s" exactly (%i minor units) and charges the 1 %% fee (%i, rounded half up)', async (amount, credited, fee) => {
      const { sb, topup } = await withLili111();
      const before = await ledger(sb);
      expect((await topup(amount)).body).toEqual({ code: 10200, msg: 'ok' });
      const after = await ledger(sb);
      expect(after[CARD] - before[CARD]).toBe(credited - fee);
      expect(before['merchant:USD'] - after['merchant:USD']).toBe(credited);
      expect(after['fees:USD'] - before['fees:USD']).toBe(fee);
    });

    it('shows the credit in the balance: 10.22 + 10.22 − 0.10 fee = "20.34"', async () => {
      const { api, topup } = await withLili111();
      await topup('10.22');
      expect(await api.balance(LILI111.username, LILI111.kit_number)).toBe('20.34');
    });

    it("records the top-up as CR TOP-UP and its fee as DR FEE, origin_type 2 with origin_id the top-up's transaction_id", async () => {
      const { api, topup } = await withLili111();
      const transaction_id = transactionId();
      await topup('10.22', { transaction_id, fund_source: 'Savings' });
      const { list } = await api.transactions();
      expect(list).toEqual([
        expect.objectContaining({
          kit_number: LILI111.kit_number,
          amount: '+10.22',
          category: 'CR TOP-UP',
          transaction_id,
          transaction_status: 1,
          origin_type: 1,
          origin_id: transaction_id,
          detail: 'Top-up (Savings)',
        }),
        expect.objectContaining({
          kit_number: LILI111.kit_number,
          amount: '-0.10',
          category: 'DR FEE',
          transaction_status: 1,
          origin_type: 2,
          origin_id: transaction_id,
        }),
      ]);
    });

    it("charges no fee and records no DR FEE when the merchant's topupFeeBps is 0", async () => {
      const { sb, api, topup } = await withLili111();
      await setSettings(sb, { topupFeeBps: 0 });
      await topup('10.22');
      expect((await api.transactions()).list.map((t) => t.category)).toEqual(['CR TOP-UP']);
      expect(await api.balance(LILI111.username, LILI111.kit_number)).toBe('20.44');
    });

    it.each(['10.223', '-1.00', '1e3', '1,00', '', '.50'])('answers 10400 naming amount for "%s"', async (amount) => {
      const { sb, topup } = await withLili111();
      const before = await ledger(sb);
      const res = await topup(amount);
      expect(res.body.code).toBe(10400);
      expect(res.body.msg).toContain('amount');
      expect(await ledger(sb)).toEqual(before);
    });

    it('answers 10400 for an amount sent as a JSON number', async () => {
      const { topup } = await withLili111();
      const res = await topup(10.22 as unknown as string);
      expect(res.body.code).toBe(10400);
      expect(res.body.msg).toContain('amount');
    });

    it.each([
      [19, 10400],
      [20, 10200],
      [64, 10200],
      [65, 10400],
    ])('takes a transaction_id of %i characters: %i', async (length, code) => {
      const { topup } = await withLili111();
      const res = await topup('1.00', { transaction_id: 't'.repeat(length) });
      expect(res.body.code).toBe(code);
      if (code === 10400) expect(res.body.msg).toContain('transaction_id');
    });

    it.each(['Employment Income', 'Investment Income', 'Business Income', 'Savings', 'Loans', 'Sales of Investment', 'Gifts', 'Others'])(
      'accepts the documented fund_source %s',
      async (fund_source) => {
        const { topup } = await withLili111();
        expect((await topup('1.00', { fund_source })).body.code).toBe(10200);
      },
    );

    it("answers 10400 naming fund_source for one off the list, and accepts none at all (the docs' example omits it)", async () => {
      const { topup } = await withLili111();
      const res = await topup('1.00', { fund_source: 'Lottery' });
      expect(res.body.code).toBe(10400);
      expect(res.body.msg).toContain('fund_source');
      expect((await topup('1.00', { fund_source: undefined })).body.code).toBe(10200);
    });

    it('answers 10404 for an account the merchant does not have', async () => {
      const sb = await makeSandbox();
      expect((await finext(sb).topup('nobody', LILI111.kit_number, '1.00')).body).toEqual({ code: 10404, msg: 'account not found' });
    });
  });

  describe('finext card/topup idempotency (transaction_id)', () => {
    it('credits once when retried with the same transaction_id and fields but a new request_id, timestamp and sign, and answers the same', async () => {
      const { sb, api, topup } = await withLili111();
      const transaction_id = transactionId();
      const first = await topup('10.22', { transaction_id });
      const after = await ledger(sb);
      await control(sb).advance(5_000);
      const retry = await topup('10.22', { transaction_id, request_id: requestId() });
      expect(retry.text).toBe(first.text);
      expect(await ledger(sb)).toEqual(after);
      expect((await api.transactions()).total).toBe(2);
    });

    it('answers 10403 "duplicate transaction_id" to a retry with another amount, and changes nothing', async () => {
      const { sb, api, topup } = await withLili111();
      const transaction_id = transactionId();
      await topup('10.22', { transaction_id });
      const after = await ledger(sb);
      const res = await topup('10.23', { transaction_id });
      expect(res.body).toEqual({ code: 10403, msg: 'duplicate transaction_id' });
      expect(await ledger(sb)).toEqual(after);
      expect((await api.transactions()).total).toBe(2);
    });

    it('lets a top-up refused for its limit be retried with the same transaction_id once the limit allows it', async () => {
      const { sb, api, topup } = await withLili111();
      const transaction_id = transactionId();
      expect((await topup('0.50', { transaction_id })).body.code).toBe(10411);
      await setSettings(sb, { minTopup: 50 });
      expect((await topup('0.50', { transaction_id })).body.code).toBe(10200);
      expect(await api.balance(LILI111.username, LILI111.kit_number)).toBe('10.71');
    });

    it("keeps each merchant's transaction_ids apart", async () => {
      const sb = await makeSandbox();
      const card = await activeCard(sb, SECOND);
      const transaction_id = transactionId();
      expect((await finext(sb).topup(LILI111.username, LILI111.kit_number, '2.00', { transaction_id })).body.code).toBe(10200);
      expect((await finext(sb, SECOND).topup(card.username, card.kit_number, '3.00', { transaction_id })).body.code).toBe(10200);
      expect(await finext(sb, SECOND).balance(card.username, card.kit_number)).toBe('2.97');
    });
  });

  describe('finext card/topup limits and funding', () => {
    it.each([
      ['0.99', 'amount limit exceeded: amount below 1.00'],
      ['10000.01', 'amount limit exceeded: amount above 10000.00'],
    ])('answers 10411 for "%s" outside the default limits (1.00 to 10,000.00)', async (amount, msg) => {
      const { sb, topup } = await withLili111();
      const before = await ledger(sb);
      expect((await topup(amount)).body).toEqual({ code: 10411, msg });
      expect(await ledger(sb)).toEqual(before);
    });

    it.each([
      ['4.99', 10411],
      ['5.00', 10200],
      ['20.00', 10200],
      ['20.01', 10411],
    ])('applies the merchant\'s minTopup 500 / maxTopup 2000: "%s" → %i', async (amount, code) => {
      const { sb, topup } = await withLili111();
      await setSettings(sb, { minTopup: 500, maxTopup: 2000 });
      expect((await topup(amount)).body.code).toBe(code);
    });

    it('answers 10410 when the second merchant (10,000.00) cannot fund a top-up, and changes nothing', async () => {
      const sb = await makeSandbox();
      const card = await activeCard(sb, SECOND);
      const api = finext(sb, SECOND);
      expect((await ledger(sb, SECOND))['merchant:USD']).toBe(1_000_000);
      expect((await api.topup(card.username, card.kit_number, '10000.00')).body.code).toBe(10200);
      const before = await ledger(sb, SECOND);
      expect((await api.topup(card.username, card.kit_number, '1.00')).body).toEqual({ code: 10410, msg: 'insufficient balance' });
      expect(await ledger(sb, SECOND)).toEqual(before);
    });

    it('keeps the money constant: merchant + fees + every card after top-ups, a replacement and a cancellation', async () => {
      const sb = await makeSandbox();
      const api = finext(sb);
      expect(await ledgerTotal(sb)).toBe(100_000_000);
      for (const amount of ['10.22', '1.50', '333.33', '0.99', '7']) await api.topup(LILI111.username, LILI111.kit_number, amount);
      await api.topup(LILI12.username, LILI12.kit_number, '45.67');
      await api.ok('modifyOpStatus', { username: LILI111.username, card_id: LILI111.card_id, op_status: 11, op_cause_type: 2 });
      await api.ok('replaceCard', { username: LILI111.username, kit_number: LILI111.kit_number, replace: 1 });
      await api.ok('cancelCard', { username: LILI12.username, kit_number: LILI12.kit_number });
      expect(await ledgerTotal(sb)).toBe(100_000_000);
      expect((await ledger(sb))['fees:USD']).toBe(10 + 2 + 333 + 7 + 46);
      expect(await ledgerTotal(sb, SECOND)).toBe(1_000_000);
    });
  });

  describe('finext card/topup and the other merchant', () => {
    it("answers 10404 when the second merchant tops up the first merchant's card (its own lili111 holds another kit)", async () => {
      const sb = await makeSandbox();
      const res = await finext(sb, SECOND).topup(LILI111.username, LILI111.kit_number, '1.00');
      expect(res.body).toEqual({ code: 10404, msg: 'card not found' });
      expect((await ledger(sb))[CARD]).toBe(1022);
      expect((await ledger(sb, MERCHANT))['merchant:USD']).toBe(100_000_000 - 1022);
    });
  });
});
