import { describe, expect, it } from 'vitest';
import { SECOND_API_KEY, onerway, requestId, settle, simulate } from '../../helpers/onerway.js';
import { T0, control, makeSandbox, describeStores } from '../../helpers/sandbox.js';

const T0_SECONDS = T0 / 1000;

/** An ACTIVE card with 100.00 on it. */
async function withCard() {
  const sb = await makeSandbox();
  const api = onerway(sb);
  const cardId = await api.activeCard(100);
  await settle(sb);
  const txns = async (filter: object = {}) => (await api.queryTxnList({ pageNum: 1, pageSize: 100, ...filter })).body.data.records as any[];
  const balance = async () => (await api.getCardBalance({ cardId })).body.data as { balance: number; availableBalance: number };
  const authorize = async (amount: number, extra: object = {}) => (await simulate(sb, 'authorize', { cardId, amount, ...extra }).expect(200)).body.transaction;
  return { sb, api, cardId, txns, balance, authorize };
}

describeStores('onerway transactions', () => {
  describe('onerway queryTxnList rendering of network events', () => {
    it('shows an approved authorization as AUTHORIZATION S with an authorizationCode and ms times', async () => {
      const { cardId, txns, authorize } = await withCard();
      const auth = await authorize(25.5, { merchantName: 'ACME BOOKS', mcc: '5942' });
      expect(await txns()).toEqual([
        {
          txnType: 'AUTHORIZATION',
          txnStatus: 'S',
          txnOrderNo: auth.id,
          originTxnOrderNo: null,
          originTxnOrderNoForRefund: null,
          cardId: String(cardId),
          authTime: T0,
          authorizationCode: expect.stringMatching(/^\d{6}$/),
          authMessageDesc: 'Approved',
          transactionAmount: 25.5,
          transactionCurrency: 'USD',
          transactionTime: T0,
          cardAmount: 25.5,
          cardCurrency: 'USD',
          merchantName: 'ACME BOOKS',
          mcc: '5942',
          remark: '',
        },
      ]);
    });

    it('holds an authorization: availableBalance drops, balance does not', async () => {
      const { balance, authorize } = await withCard();
      await authorize(30);
      expect(await balance()).toMatchObject({ balance: 100, availableBalance: 70 });
    });

    it('declines an authorization above the available balance as AUTHORIZATION F, Insufficient balance, holding nothing', async () => {
      const { txns, balance, authorize } = await withCard();
      await authorize(70);
      await authorize(40);
      const [declined] = await txns({ txnStatus: 'F' });
      expect(declined).toMatchObject({
        txnType: 'AUTHORIZATION',
        authorizationCode: null,
        authMessageDesc: 'Insufficient balance',
        remark: 'Insufficient balance',
        transactionAmount: 40,
      });
      expect(await balance()).toMatchObject({ balance: 100, availableBalance: 30 });
    });

    it('declines an authorization on a FROZEN card as AUTHORIZATION F with the card status as the reason', async () => {
      const { sb, api, cardId, txns, balance, authorize } = await withCard();
      await api.operate({ clientRequestId: requestId('FREEZE'), cardId, type: 'FREEZE' });
      await settle(sb);
      await authorize(1);
      expect((await txns())[0]).toMatchObject({ txnType: 'AUTHORIZATION', txnStatus: 'F', authorizationCode: null, authMessageDesc: 'Card status FROZEN' });
      expect(await balance()).toMatchObject({ balance: 100, availableBalance: 100 });
    });

    it('shows a zero-amount authorization as VERIFICATION S, holding nothing', async () => {
      const { txns, balance, authorize } = await withCard();
      await authorize(0);
      expect((await txns())[0]).toMatchObject({ txnType: 'VERIFICATION', txnStatus: 'S', transactionAmount: 0 });
      expect(await balance()).toMatchObject({ balance: 100, availableBalance: 100 });
    });

    it("shows a clearing as CLEARING with originTxnOrderNo = the authorization's txnOrderNo", async () => {
      const { sb, cardId, txns, authorize } = await withCard();
      const auth = await authorize(40);
      await simulate(sb, 'clear', { cardId, amount: 40 }).expect(200);
      const [clearing] = await txns({ txnType: 'CLEARING' });
      expect(clearing).toMatchObject({
        txnStatus: 'S',
        originTxnOrderNo: auth.id,
        originTxnOrderNoForRefund: null,
        transactionAmount: 40,
        authorizationCode: auth.authCode,
      });
    });

    it.each([
      ['a partial clearing', 60, 45, { balance: 55, availableBalance: 55 }],
      ['an exact clearing', 60, 60, { balance: 40, availableBalance: 40 }],
      ['an over-clearing', 60, 75, { balance: 25, availableBalance: 25 }],
    ])('takes %s from the balance and releases the whole hold (auth %d, clear %d)', async (_case, authorized, cleared, after) => {
      const { sb, cardId, balance, authorize } = await withCard();
      await authorize(authorized);
      await simulate(sb, 'clear', { cardId, amount: cleared }).expect(200);
      expect(await balance()).toMatchObject(after);
    });

    it('clears the authorization named by transactionId when several are open', async () => {
      const { sb, cardId, txns, balance, authorize } = await withCard();
      const older = await authorize(10);
      await authorize(20);
      await simulate(sb, 'clear', { cardId, amount: 10, transactionId: older.id }).expect(200);
      expect((await txns({ txnType: 'CLEARING' }))[0].originTxnOrderNo).toBe(older.id);
      expect(await balance()).toMatchObject({ balance: 90, availableBalance: 70 });
    });

    it.each([
      ['a full reversal', undefined, { balance: 100, availableBalance: 100 }, 60],
      ['a partial reversal', 20, { balance: 100, availableBalance: 60 }, 20],
    ])('shows %s as REVERSAL linked to the authorization and releases that much of the hold', async (_case, amount, after, reversed) => {
      const { sb, cardId, txns, balance, authorize } = await withCard();
      const auth = await authorize(60);
      await simulate(sb, 'reverse', { cardId, ...(amount === undefined ? {} : { amount }) }).expect(200);
      expect((await txns({ txnType: 'REVERSAL' }))[0]).toMatchObject({ txnStatus: 'S', originTxnOrderNo: auth.id, transactionAmount: reversed });
      expect(await balance()).toMatchObject(after);
    });

    it('shows a refund as REFUND with originTxnOrderNoForRefund = the clearing, and credits the card', async () => {
      const { sb, cardId, txns, balance, authorize } = await withCard();
      await authorize(50);
      const clearing = (await simulate(sb, 'clear', { cardId, amount: 50 }).expect(200)).body.transaction;
      await simulate(sb, 'refund', { cardId, amount: 20, transactionId: clearing.id }).expect(200);
      expect((await txns({ txnType: 'REFUND' }))[0]).toMatchObject({
        txnStatus: 'S',
        originTxnOrderNo: null,
        originTxnOrderNoForRefund: clearing.id,
        transactionAmount: 20,
      });
      expect(await balance()).toMatchObject({ balance: 70, availableBalance: 70 });
    });
  });

  describe('onerway queryTxnList times', () => {
    it('gives a CLEARING the authTime of its authorization and its own transactionTime', async () => {
      const { sb, cardId, txns, authorize } = await withCard();
      const auth = await authorize(10);
      await control(sb).advance(3_600_000);
      await simulate(sb, 'clear', { cardId, amount: 10, transactionId: auth.id }).expect(200);
      const [clearing] = await txns({ txnType: 'CLEARING' });
      expect(clearing).toMatchObject({ authTime: T0, transactionTime: T0 + 3_600_000, originTxnOrderNo: auth.id });
    });
  });

  describe('onerway queryTxnList filters and paging', () => {
    /** At T0: auth 10 (S), declined auth 500 (F); at T0+120 s: clearing of the first, verification. */
    async function traffic() {
      const ctx = await withCard();
      await ctx.authorize(10);
      await ctx.authorize(500);
      await control(ctx.sb).advance(120_000);
      await simulate(ctx.sb, 'clear', { cardId: ctx.cardId, amount: 10 }).expect(200);
      await ctx.authorize(0);
      return ctx;
    }

    it('lists newest first', async () => {
      const { txns } = await traffic();
      expect((await txns()).map((t) => `${t.txnType}/${t.txnStatus}`)).toEqual(['VERIFICATION/S', 'CLEARING/S', 'AUTHORIZATION/F', 'AUTHORIZATION/S']);
    });

    it.each([
      [{ txnType: 'AUTHORIZATION' }, 2],
      [{ txnType: 'CLEARING' }, 1],
      [{ txnType: 'REFUND' }, 0],
      [{ txnStatus: 'F' }, 1],
      [{ txnStatus: 'S' }, 3],
      // No stored transaction renders as P (the status is approved or declined).
      [{ txnStatus: 'P' }, 0],
      [{ txnType: 'AUTHORIZATION', txnStatus: 'S' }, 1],
    ])('filters by %j', async (filter, count) => {
      const { txns } = await traffic();
      const records = await txns(filter);
      expect(records).toHaveLength(count);
      for (const [k, v] of Object.entries(filter)) expect(records.every((r) => r[k] === v)).toBe(true);
    });

    it.each([
      [{ startTime: T0_SECONDS + 1 }, 2],
      [{ endTime: T0_SECONDS }, 2],
      [{ startTime: T0_SECONDS + 120, endTime: T0_SECONDS + 120 }, 2],
      [{ endTime: T0_SECONDS - 1 }, 0],
    ])('reads startTime/endTime %j as seconds against ms transaction times', async (window, count) => {
      const { txns } = await traffic();
      expect(await txns(window)).toHaveLength(count);
    });

    it.each([
      ['a number', Number],
      ['a string', String],
    ])('filters by cardId given as %s', async (_kind, as) => {
      const { sb, api, cardId, txns } = await traffic();
      const other = await api.activeCard(50);
      await settle(sb);
      await simulate(sb, 'authorize', { cardId: other, amount: 5 }).expect(200);
      expect((await txns({ cardId: as(other) })).map((t) => t.cardId)).toEqual([String(other)]);
      expect(await txns({ cardId: as(cardId) })).toHaveLength(4);
    });

    it('pages with totalRecords, totalPages, pageNum and current', async () => {
      const { api } = await traffic();
      const res = await api.queryTxnList({ pageNum: 2, pageSize: 3 });
      expect(res.body.data).toMatchObject({ totalRecords: 4, totalPages: 2, pageNum: 2, current: 2, pageSize: 3 });
      expect(res.body.data.records.map((t: any) => t.txnType)).toEqual(['AUTHORIZATION']);
    });

    it.each([
      ['txnType', { txnType: 'PURCHASE' }],
      ['txnStatus', { txnStatus: 'SUCCESS' }],
      ['pageSize', { pageSize: 101 }],
    ])('answers 40000 naming %s for %j', async (field, body) => {
      const res = await onerway(await makeSandbox()).queryTxnList({ pageNum: 1, pageSize: 10, ...body });
      expect(res.body.respCode).toBe('40000');
      expect(res.body.respMsg).toContain(field);
    });

    it("shows the second merchant none of the first merchant's transactions", async () => {
      const { sb } = await traffic();
      const res = await onerway(sb, SECOND_API_KEY).queryTxnList({ pageNum: 1, pageSize: 10 });
      expect(res.body.data).toMatchObject({ totalRecords: 0, totalPages: 0, records: [] });
    });
  });
});
