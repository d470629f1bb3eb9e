import { describe, expect, it } from 'vitest';
import { DEFAULT_TENANT, SECOND_API_KEY, SECOND_TENANT, account, onerway, requestId, settle } from '../../helpers/onerway.js';
import { makeSandbox, describeStores } from '../../helpers/sandbox.js';

const OPENING = 100_000_000;
const createBody = (overrides: object = {}) => ({ clientRequestId: requestId('CREATE'), cardholderId: 300001, productId: 1, amount: 100, ...overrides });

async function withCard(amount = 100) {
  const sb = await makeSandbox();
  const api = onerway(sb);
  const cardId = await api.activeCard(amount);
  await settle(sb);
  return { sb, api, cardId };
}

describeStores('onerway card-operations', () => {
  describe('onerway card/createCard', () => {
    it("answers the new cardId and settles a CREATE record S with the product's CREATE fee", async () => {
      const { api, cardId } = await withCard(100);
      expect(cardId).toBe(100001);
      const [record] = await api.records({ cardId });
      expect(record).toMatchObject({ type: 'CREATE', status: 'S', remark: '', amount: 100, currency: 'USD' });
      expect(record.feeList).toEqual([{ feeType: 'CREATE', feeAmount: 1, feeCurrency: 'USD' }]);
    });

    it('activates the card with the initial deposit on it and takes amount + fee from the merchant', async () => {
      const { sb, api, cardId } = await withCard(100);
      expect(await api.cardStatus(cardId)).toBe('ACTIVE');
      expect((await api.getCardBalance({ cardId })).body.data).toEqual({ cardId, balance: 100, availableBalance: 100, currency: 'USD' });
      expect((await account(sb, 'merchant:USD')).balance).toBe(OPENING - 10_000 - 100);
      expect((await account(sb, 'fees:USD')).balance).toBe(100);
    });

    it("charges product 2's own CREATE fee of 2.00", async () => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      const { body } = await api.createCard(createBody({ productId: 2, amount: 20 }));
      const [record] = await api.records({ cardId: body.data.cardId });
      expect(record.feeList).toEqual([{ feeType: 'CREATE', feeAmount: 2, feeCurrency: 'USD' }]);
      expect((await account(sb, 'merchant:USD')).balance).toBe(OPENING - 2_000 - 200);
    });

    it('answers 80001 for a cardholder the merchant does not have', async () => {
      const sb = await makeSandbox();
      const res = await onerway(sb).createCard(createBody({ cardholderId: 399999 }));
      expect(res.body).toEqual({ respCode: '80001', respMsg: 'Cardholder not found', data: null });
      expect((await sb.store.read('onerway.cards')).length).toBe(0);
    });

    it('answers 40000 naming productId for an unknown card product', async () => {
      const sb = await makeSandbox();
      const res = await onerway(sb).createCard(createBody({ productId: 3 }));
      expect(res.body.respCode).toBe('40000');
      expect(res.body.respMsg).toContain('productId');
      expect((await sb.store.read('onerway.cards')).length).toBe(0);
    });

    it.each([
      ['zero', 0],
      ['negative', -5],
      ['three decimals', 100.123],
      ['a string', '100.00'],
      ['null', null],
      ['missing', undefined],
    ])('answers 40000 naming amount when it is %s', async (_kind, amount) => {
      const sb = await makeSandbox();
      const res = await onerway(sb).createCard(createBody({ amount }));
      expect(res.body.respCode).toBe('40000');
      expect(res.body.respMsg).toContain('amount');
      expect((await sb.store.read('onerway.cards')).length).toBe(0);
    });

    it.each([
      [1, 0.99, '80009'],
      [1, 1, '20000'],
      [1, 10_000, '20000'],
      [1, 10_000.01, '80008'],
      [2, 19.99, '80009'],
      [2, 20, '20000'],
      [2, 50_000.01, '80008'],
    ])("answers product %i's limits: amount %d → %s", async (productId, amount, respCode) => {
      const sb = await makeSandbox();
      const res = await onerway(sb).createCard(createBody({ productId, amount }));
      expect(res.body.respCode).toBe(respCode);
      expect((await sb.store.read('onerway.cards')).length).toBe(respCode === '20000' ? 1 : 0);
    });

    it('answers 80007 when the merchant cannot pay amount + fee, and takes nothing', async () => {
      const sb = await makeSandbox();
      const second = onerway(sb, SECOND_API_KEY);
      const res = await second.createCard(createBody({ cardholderId: 300002, amount: 500 }));
      expect(res.body).toEqual({ respCode: '80007', respMsg: 'Merchant balance not enough', data: null });
      expect((await account(sb, 'merchant:USD', SECOND_TENANT)).balance).toBe(50_000);
      expect((await sb.store.read('onerway.cards')).length).toBe(0);
    });

    it('lets the merchant spend its balance to the cent on amount + fee', async () => {
      const sb = await makeSandbox();
      const res = await onerway(sb, SECOND_API_KEY).createCard(createBody({ cardholderId: 300002, amount: 499 }));
      expect(res.body.respCode).toBe('20000');
      await settle(sb);
      expect((await account(sb, 'merchant:USD', SECOND_TENANT)).balance).toBe(0);
    });

    it('answers 80011 to a sixth live product-1 card for one cardholder', async () => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      for (let i = 0; i < 5; i++) expect((await api.createCard(createBody({ amount: 1 }))).body.respCode).toBe('20000');
      const res = await api.createCard(createBody({ amount: 1 }));
      expect(res.body).toEqual({ respCode: '80011', respMsg: 'Cardholder card count limit', data: null });
      expect((await sb.store.read('onerway.cards')).length).toBe(5);
    });

    it("counts each product's own cards: five product-1 cards leave room for product 2", async () => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      for (let i = 0; i < 5; i++) expect((await api.createCard(createBody({ amount: 1 }))).body.respCode).toBe('20000');
      expect((await api.createCard(createBody({ productId: 2, amount: 20 }))).body.respCode).toBe('20000');
      expect((await api.createCard(createBody({ amount: 1 }))).body.respCode).toBe('80011');
    });

    it("does not count terminated or failed cards towards the cardholder's limit", async () => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      for (let i = 0; i < 4; i++) await api.createCard(createBody({ amount: 1 }));
      await api.createCard(createBody({ amount: 1, clientRequestId: 'LIMIT_FAIL' }));
      const last = (await api.createCard(createBody({ amount: 1 }))).body.data.cardId;
      expect((await api.operate({ clientRequestId: requestId('TERM'), cardId: last, type: 'TERMINATE' })).body.respCode).toBe('20000');
      expect((await api.createCard(createBody({ amount: 1 }))).body.respCode).toBe('20000');
    });

    it.each(['clientRequestId', 'cardholderId', 'productId'])('answers 40000 naming %s when it is missing', async (field) => {
      const res = await onerway(await makeSandbox()).createCard(createBody({ [field]: undefined }));
      expect(res.body.respCode).toBe('40000');
      expect(res.body.respMsg).toContain(field);
    });

    it("issues card ids in sequence and card numbers on the product's BIN", async () => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      const a = (await api.createCard(createBody())).body.data.cardId;
      const b = (await api.createCard(createBody({ productId: 2, amount: 20 }))).body.data.cardId;
      expect([a, b]).toEqual([100001, 100002]);
      expect((await api.getCardSensitiveInfo({ cardId: a })).body.data.cardNo).toMatch(/^428852/);
      expect((await api.getCardSensitiveInfo({ cardId: b })).body.data.cardNo).toMatch(/^535429/);
    });
  });

  describe('onerway card/operate', () => {
    it.each([
      ['FREEZE', [], 'FROZEN'],
      ['UNFREEZE', ['FREEZE'], 'ACTIVE'],
      ['TERMINATE', [], 'TERMINATED'],
      ['TERMINATE', ['FREEZE'], 'TERMINATED'],
    ])('%s (after %j) answers an operateRecordId whose record settles S and leaves the card %s', async (type, before, status) => {
      const { api, cardId } = await withCard();
      for (const t of before) await api.operate({ clientRequestId: requestId(t), cardId, type: t });
      const res = await api.operate({ clientRequestId: requestId(type), cardId, type });
      expect(res.body.respCode).toBe('20000');
      const [record] = await api.records({ cardId, type });
      expect(record).toMatchObject({ operateRecordId: res.body.data.operateRecordId, status: 'S', amount: null, feeList: [] });
      expect(await api.cardStatus(cardId)).toBe(status);
    });

    it.each(['DELETE', 'freeze', 'DEPOSIT', 'CREATE', ''])('answers 40000 naming type for type %j and writes no record', async (type) => {
      const { api, cardId } = await withCard();
      const res = await api.operate({ clientRequestId: requestId('BAD'), cardId, type });
      expect(res.body.respCode).toBe('40000');
      expect(res.body.respMsg).toContain('type');
      expect(await api.records({ cardId })).toHaveLength(1);
    });

    it('answers 40000 to UNFREEZE on an ACTIVE card and writes no record', async () => {
      const { api, cardId } = await withCard();
      const res = await api.operate({ clientRequestId: requestId('UNF'), cardId, type: 'UNFREEZE' });
      expect(res.body.respCode).toBe('40000');
      expect(res.body.respMsg).toMatch(/ACTIVE does not allow UNFREEZE/);
      expect(await api.records({ cardId, type: 'UNFREEZE' })).toEqual([]);
    });

    it('answers 40000 naming cardId for a card the merchant does not have', async () => {
      const res = await onerway(await makeSandbox()).operate({ clientRequestId: 'OP_X', cardId: 199999, type: 'FREEZE' });
      expect(res.body.respCode).toBe('40000');
      expect(res.body.respMsg).toContain('cardId');
    });

    it("returns a terminated card's balance to the merchant", async () => {
      const { sb, api, cardId } = await withCard(250);
      const merchant = (await account(sb, 'merchant:USD')).balance;
      await api.operate({ clientRequestId: requestId('TERM'), cardId, type: 'TERMINATE' });
      await settle(sb);
      expect((await api.getCardBalance({ cardId })).body.data).toMatchObject({ balance: 0, availableBalance: 0 });
      expect((await account(sb, 'merchant:USD')).balance).toBe(merchant + 25_000);
    });
  });

  describe('onerway card/deposit', () => {
    it.each([
      ['ACTIVE', []],
      ['FROZEN', ['FREEZE']],
    ])('adds the amount to a card that is %s and answers an operateRecordId', async (_status, before) => {
      const { api, cardId } = await withCard(100);
      for (const t of before) await api.operate({ clientRequestId: requestId(t), cardId, type: t });
      const res = await api.deposit({ clientRequestId: requestId('DEP'), cardId, amount: 50.25 });
      expect(res.body.respCode).toBe('20000');
      expect((await api.records({ type: 'DEPOSIT' }))[0]).toMatchObject({ operateRecordId: res.body.data.operateRecordId, status: 'S', amount: 50.25 });
      expect((await api.getCardBalance({ cardId })).body.data).toMatchObject({ balance: 150.25, availableBalance: 150.25 });
    });

    it('answers 40000 on a TERMINATED card and takes nothing from the merchant', async () => {
      const { sb, api, cardId } = await withCard();
      await api.operate({ clientRequestId: requestId('TERM'), cardId, type: 'TERMINATE' });
      await settle(sb);
      const merchant = (await account(sb, 'merchant:USD')).balance;
      const res = await api.deposit({ clientRequestId: requestId('DEP'), cardId, amount: 10 });
      expect(res.body.respCode).toBe('40000');
      expect((await account(sb, 'merchant:USD')).balance).toBe(merchant);
    });

    it.each([
      [1, 100, 1],
      [1, 1.5, 0.02],
      [1, 1.49, 0.01],
      [1, 12.34, 0.12],
      [1, 10_000, 100],
      [2, 20, 0.3],
      [2, 33.33, 0.5],
    ])('charges product %i a DEPOSIT fee on %d of %d (basis points, half up)', async (productId, amount, fee) => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      const cardId = (await api.createCard(createBody({ productId, amount: 20 }))).body.data.cardId;
      await api.deposit({ clientRequestId: requestId('DEP'), cardId, amount });
      const [record] = await api.records({ type: 'DEPOSIT' });
      expect(record.feeList).toEqual([{ feeType: 'DEPOSIT', feeAmount: fee, feeCurrency: 'USD' }]);
    });

    it('takes amount + fee from the merchant and books the fee to the fees account', async () => {
      const { sb, api, cardId } = await withCard(100);
      const merchant = (await account(sb, 'merchant:USD')).balance;
      const fees = (await account(sb, 'fees:USD')).balance;
      await api.deposit({ clientRequestId: requestId('DEP'), cardId, amount: 200 });
      await settle(sb);
      expect((await account(sb, 'merchant:USD')).balance).toBe(merchant - 20_000 - 200);
      expect((await account(sb, 'fees:USD')).balance).toBe(fees + 200);
    });

    it.each([
      [0.99, '80009'],
      [10_000.01, '80008'],
    ])("answers product 1's limit for a deposit of %d with %s", async (amount, respCode) => {
      const { api, cardId } = await withCard();
      const res = await api.deposit({ clientRequestId: requestId('DEP'), cardId, amount });
      expect(res.body.respCode).toBe(respCode);
      expect(await api.records({ type: 'DEPOSIT' })).toEqual([]);
    });

    it.each([0, -1, 1.001, '10'])('answers 40000 naming amount for a deposit of %j', async (amount) => {
      const { api, cardId } = await withCard();
      const res = await api.deposit({ clientRequestId: requestId('DEP'), cardId, amount });
      expect(res.body.respCode).toBe('40000');
      expect(res.body.respMsg).toContain('amount');
    });

    it('answers 80007 when the second merchant cannot pay the deposit and its fee', async () => {
      const sb = await makeSandbox();
      const second = onerway(sb, SECOND_API_KEY);
      const cardId = (await second.createCard(createBody({ cardholderId: 300002, amount: 400 }))).body.data.cardId;
      const res = await second.deposit({ clientRequestId: requestId('DEP'), cardId, amount: 99 });
      expect(res.body.respCode).toBe('80007');
      expect((await account(sb, 'merchant:USD', SECOND_TENANT)).balance).toBe(50_000 - 40_000 - 100);
    });

    it('answers 40000 naming cardId for a card of another merchant', async () => {
      const { sb, cardId } = await withCard();
      const res = await onerway(sb, SECOND_API_KEY).deposit({ clientRequestId: requestId('DEP'), cardId, amount: 10 });
      expect(res.body.respCode).toBe('40000');
      expect(res.body.respMsg).toContain('cardId');
      expect((await account(sb, `card:${cardId}`, DEFAULT_TENANT)).balance).toBe(10_000);
    });
  });
});
