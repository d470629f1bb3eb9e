/** Finext card/getAllTransactions [DOC: /reference/readme/card/get-card-transactions]: one card, whole days. */
import { describe, expect, it } from 'vitest';
import { DAY, LILI111, LILI111_SECOND, LILI12, MERCHANT, SECOND, SIGN, day, finext, simulate } from '../../helpers/finext.js';
import { T0, control, makeSandbox, describeStores } from '../../helpers/sandbox.js';

const TODAY = day(T0);

/** lili111 tops up 5.00 on kit 111111 at T0, lili12 2.00 on its own card; both lists are then queried by day. */
async function withTopups() {
  const sb = await makeSandbox();
  const api = finext(sb);
  await api.topup(LILI111.username, LILI111.kit_number, '5.00');
  await api.topup(LILI12.username, LILI12.kit_number, '2.00');
  const query = (fields: Record<string, unknown> = {}) =>
    api.call('getAllTransactions', { username: LILI111.username, kit_number: LILI111.kit_number, start_date: TODAY, end_date: TODAY, ...fields });
  return { sb, api, query };
}

describeStores('finext card-transactions', () => {
  describe('finext card/getAllTransactions', () => {
    it("lists the one card's transactions of the days asked, without kit_number (the card is the request's)", async () => {
      const { query } = await withTopups();
      const res = await query();
      expect(res.body.code).toBe(10200);
      expect(res.body.data.list).toEqual([
        {
          timestamp: T0,
          amount: '+5.00',
          category: 'CR TOP-UP',
          detail: 'Top-up (unspecified source)',
          transaction_id: expect.any(String),
          transaction_status: 1,
          origin_type: 1,
          origin_id: expect.any(String),
          txn_date: TODAY,
        },
        {
          timestamp: T0,
          amount: '-0.05',
          category: 'DR FEE',
          detail: 'Top-up fee',
          transaction_id: expect.any(String),
          transaction_status: 1,
          origin_type: 2,
          origin_id: res.body.data.list[0].transaction_id,
          txn_date: TODAY,
        },
      ]);
    });

    it('counts whole UTC days: the last millisecond of end_date is in, the next day is not', async () => {
      const { sb, query } = await withTopups();
      await control(sb).advance(DAY - 1);
      await finext(sb).topup(LILI111.username, LILI111.kit_number, '1.00');
      await control(sb).advance(1);
      await finext(sb).topup(LILI111.username, LILI111.kit_number, '3.00');
      expect((await query()).body.data.list.map((t: { amount: string }) => t.amount)).toEqual(['+5.00', '-0.05', '+1.00', '-0.01']);
      expect((await query({ start_date: day(T0 + DAY), end_date: day(T0 + DAY) })).body.data.list.map((t: { amount: string }) => t.amount)).toEqual([
        '+3.00',
        '-0.03',
      ]);
    });

    it('lists a voided authorization with transaction_status 2', async () => {
      const { sb, query } = await withTopups();
      await simulate(sb, 'authorize', { cardId: LILI111.card_id, amount: '4.00' }).expect(200);
      await simulate(sb, 'reverse', { cardId: LILI111.card_id }).expect(200);
      expect((await query()).body.data.list.at(-1)).toMatchObject({ amount: '-4.00', category: 'DR POS', transaction_status: 2 });
    });

    it.each([
      ['2026-03-01', '2026-07-01', 10200],
      ['2026-03-01', '2026-07-02', 10400],
      ['2026-03-01', '2026-03-01', 10200],
      ['2026-03-02', '2026-03-01', 10400],
    ])('from %s to %s answers %i (at most 4 months: the docs say 3, their example asks for 4)', async (start_date, end_date, code) => {
      const { query } = await withTopups();
      const res = await query({ start_date, end_date });
      expect(res.body.code).toBe(code);
      if (code !== 10200) expect(res.body.msg).toContain('end_date');
    });

    it('names the rule in the diagnostic when end_date is before start_date', async () => {
      const { query } = await withTopups();
      const res = await query({ start_date: '2026-03-02', end_date: '2026-03-01' });
      expect(res.body).toEqual({ code: 10400, msg: 'parameter error: end_date must not be before start_date' });
      expect(res.headers['x-sandbox-diagnostic']).toContain('end_date 2026-03-01 is before start_date 2026-03-02');
    });

    it.each([
      ['start_date', '2026/03/01'],
      ['start_date', '2026-3-1'],
      ['end_date', '2026-02-30'],
      ['end_date', 20260301],
      ['start_date', 1772323200000],
      ['kit_number', ''],
    ])('answers 10400 naming %s when it is %j', async (field, value) => {
      const { query } = await withTopups();
      const res = await query({ [field]: value });
      expect(res.body.code).toBe(10400);
      expect(res.body.msg).toContain(field);
    });

    it.each(['kit_number', 'start_date', 'end_date'])('answers 10400 naming %s when it is missing', async (field) => {
      const { query } = await withTopups();
      const res = await query({ [field]: undefined });
      expect(res.body).toEqual({ code: 10400, msg: `parameter error: ${field} must have required property '${field}'` });
    });

    it('answers 10400 when username is missing: the user-form sign needs it', async () => {
      const { query } = await withTopups();
      expect((await query({ username: undefined })).body).toEqual({ code: 10400, msg: 'parameter error: username is required' });
    });

    it.each([
      ['a kit the account does not have', LILI111.username, '2000000999', 'card not found'],
      ["another account's card", LILI12.username, LILI111_SECOND.kit_number, 'card not found'],
      ['an unknown username', 'nobody1', LILI111.kit_number, 'account not found'],
    ])('answers 10404 for %s', async (_case, username, kit_number, msg) => {
      const { query } = await withTopups();
      expect((await query({ username, kit_number })).body).toEqual({ code: 10404, msg });
    });

    it("answers 10404 to the second merchant for the first merchant's card, and lists its own kit 2000001791317913", async () => {
      const sb = await makeSandbox();
      const api = finext(sb, SECOND);
      const fields = { username: 'lili111', start_date: TODAY, end_date: TODAY };
      expect((await api.call('getAllTransactions', { ...fields, kit_number: LILI111.kit_number })).body).toEqual({ code: 10404, msg: 'card not found' });
      expect((await api.call('getAllTransactions', { ...fields, kit_number: LILI111_SECOND.kit_number })).body).toEqual({
        code: 10200,
        msg: 'ok',
        data: { list: [] },
      });
    });

    it('is signed in the user form: the no-user form is refused 10401', async () => {
      const sb = await makeSandbox();
      const base = { api_key: MERCHANT.api_key, request_id: 'g'.repeat(32), timestamp: String(sb.clock.now()), username: LILI111.username };
      const res = await finext(sb).call('getAllTransactions', {
        ...base,
        kit_number: LILI111.kit_number,
        start_date: TODAY,
        end_date: TODAY,
        sign: SIGN.none({ ...base, secret: MERCHANT.secret }),
      });
      expect(res.body).toEqual({ code: 10401, msg: 'sign error' });
      expect(res.headers['x-sandbox-diagnostic']).toContain('user form');
    });
  });
});
