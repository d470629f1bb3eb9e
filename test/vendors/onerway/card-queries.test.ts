import { describe, expect, it } from 'vitest';
import { holdSettlements, onerway, requestId, settle } from '../../helpers/onerway.js';
import { T0, control, makeSandbox, describeStores } from '../../helpers/sandbox.js';

const T0_SECONDS = T0 / 1000;

/** Independent Luhn check (mod 10 over the whole number). */
function luhnValid(digits: string): boolean {
  let sum = 0;
  [...digits].reverse().forEach((ch, i) => {
    let d = Number(ch);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  });
  return sum % 10 === 0;
}

/** Two cards: card A created at T0 and frozen at T0+90 s, card B created at T0+90 s and deposited to at T0+90.5 s. */
async function history() {
  const sb = await makeSandbox();
  const api = onerway(sb);
  const a = await api.activeCard();
  await control(sb).advance(90_000);
  await api.operate({ clientRequestId: 'Q_FREEZE_A', cardId: a, type: 'FREEZE' });
  const b = await api.activeCard();
  await control(sb).advance(500);
  await api.deposit({ clientRequestId: 'Q_DEPOSIT_B', cardId: b, amount: 5 });
  await settle(sb);
  return { sb, api, a, b };
}

describeStores('onerway card-queries', () => {
  describe('onerway card/getOperateRecordList', () => {
    it('lists every record of the merchant newest first, with operateTime in milliseconds', async () => {
      const { api, a, b } = await history();
      const records = await api.records();
      expect(records.map((r) => [r.cardId, r.type])).toEqual([
        [b, 'DEPOSIT'],
        [b, 'CREATE'],
        [a, 'FREEZE'],
        [a, 'CREATE'],
      ]);
      expect(records.map((r) => r.operateTime)).toEqual([T0 + 90_500, T0 + 90_000, T0 + 90_000, T0]);
    });

    it('filters by cardId', async () => {
      const { api, a } = await history();
      expect((await api.records({ cardId: a })).map((r) => r.type)).toEqual(['FREEZE', 'CREATE']);
    });

    it('filters by clientRequestId', async () => {
      const { api, b } = await history();
      const records = await api.records({ clientRequestId: 'Q_DEPOSIT_B' });
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ cardId: b, type: 'DEPOSIT', amount: 5, clientRequestId: 'Q_DEPOSIT_B' });
    });

    it.each([
      ['CREATE', 2],
      ['FREEZE', 1],
      ['DEPOSIT', 1],
      ['UNFREEZE', 0],
    ])('filters by type %s', async (type, count) => {
      const { api } = await history();
      const records = await api.records({ type });
      expect(records).toHaveLength(count);
      expect(records.every((r) => r.type === type)).toBe(true);
    });

    it.each([
      ['startTime after T0', { startTime: T0_SECONDS + 1 }, 3],
      ['startTime at T0+90 s', { startTime: T0_SECONDS + 90 }, 3],
      ['startTime at T0+91 s', { startTime: T0_SECONDS + 91 }, 0],
      ['endTime at T0', { endTime: T0_SECONDS }, 1],
      ['endTime at T0+90 s, covering .500 ms', { endTime: T0_SECONDS + 90 }, 4],
      ['a window of T0+60..T0+90 s', { startTime: T0_SECONDS + 60, endTime: T0_SECONDS + 90 }, 3],
    ])('reads startTime/endTime as seconds: %s → %i records', async (_case, window, count) => {
      const { api } = await history();
      expect(await api.records(window)).toHaveLength(count);
    });

    it('pages with totalRecords, totalPages, pageNum and current', async () => {
      const { api } = await history();
      const res = await api.getOperateRecordList({ pageNum: 2, pageSize: 3 });
      expect(res.body.data).toMatchObject({ totalRecords: 4, totalPages: 2, pageNum: 2, current: 2, pageSize: 3 });
      expect(res.body.data.records.map((r: any) => r.type)).toEqual(['CREATE']);
    });

    it.each([
      ['pageSize', { pageNum: 1, pageSize: 101 }],
      ['pageNum', { pageNum: 0, pageSize: 10 }],
      ['type', { pageNum: 1, pageSize: 10, type: 'WITHDRAW' }],
      ['startTime', { pageNum: 1, pageSize: 10, startTime: -1 }],
    ])('answers 40000 naming %s for %j', async (field, body) => {
      const res = await onerway(await makeSandbox()).getOperateRecordList(body);
      expect(res.body.respCode).toBe('40000');
      expect(res.body.respMsg).toContain(field);
    });
  });

  describe('onerway card/getCardInfo', () => {
    it('describes the card with a masked number that matches the real one', async () => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      const cardId = await api.activeCard();
      const info = (await api.getCardInfo({ cardId })).body.data;
      const { cardNo } = (await api.getCardSensitiveInfo({ cardId })).body.data;
      expect(info).toEqual({
        cardId,
        cardholderId: 300001,
        productId: 1,
        cardStatus: 'ACTIVE',
        maskCardNo: `${cardNo.slice(0, 6)}******${cardNo.slice(-4)}`,
        currency: 'USD',
        createTime: T0,
      });
    });

    it('answers 40000 naming cardId for an unknown card', async () => {
      const res = await onerway(await makeSandbox()).getCardInfo({ cardId: 100001 });
      expect(res.body).toMatchObject({ respCode: '40000', data: null });
      expect(res.body.respMsg).toContain('cardId');
    });
  });

  describe('onerway card/getCardBalance', () => {
    it('answers balance and availableBalance as decimal numbers in the card currency', async () => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      const cardId = await api.activeCard(12.34);
      await api.deposit({ clientRequestId: requestId('DEP'), cardId, amount: 1.01 });
      expect((await api.getCardBalance({ cardId })).body.data).toEqual({ cardId, balance: 13.35, availableBalance: 13.35, currency: 'USD' });
    });

    it('answers 0 while the card is still PROCESSING', async () => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      await holdSettlements(sb);
      const cardId = await api.activeCard(100);
      expect((await api.getCardBalance({ cardId })).body.data).toMatchObject({ balance: 0, availableBalance: 0 });
    });

    it('answers 40000 for an unknown card', async () => {
      const res = await onerway(await makeSandbox()).getCardBalance({ cardId: 100009 });
      expect(res.body.respCode).toBe('40000');
    });
  });

  describe('onerway card/getCardSensitiveInfo', () => {
    it('answers a Luhn-valid 16-digit cardNo, a 3-digit cvv and an MM/YY expiry three years out', async () => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      const cardId = await api.activeCard();
      const data = (await api.getCardSensitiveInfo({ cardId })).body.data;
      expect(data.cardId).toBe(cardId);
      expect(data.cardNo).toMatch(/^428852\d{10}$/);
      expect(luhnValid(data.cardNo)).toBe(true);
      expect(data.cvv).toMatch(/^\d{3}$/);
      expect(data.expiryDate).toBe('03/29');
    });

    it('gives different cards different numbers', async () => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      const ids = [await api.activeCard(), await api.activeCard(), await api.activeCard()];
      const numbers = await Promise.all(ids.map(async (cardId) => (await api.getCardSensitiveInfo({ cardId })).body.data.cardNo));
      expect(new Set(numbers).size).toBe(3);
      expect(numbers.every(luhnValid)).toBe(true);
    });

    it('answers 40000 for an unknown card', async () => {
      const res = await onerway(await makeSandbox()).getCardSensitiveInfo({ cardId: 100009 });
      expect(res.body.respCode).toBe('40000');
    });
  });
});
