import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { API_KEY, BASE, DEFAULT_TENANT, SECOND_API_KEY, account, cardholderBody, onerway, requestId, settle } from '../../helpers/onerway.js';
import { makeSandbox, describeStores } from '../../helpers/sandbox.js';
import type { Sandbox } from '../../../src/sandbox.js';

/** Everything a repeated request could have changed. */
const footprint = async (sb: Sandbox) => ({
  cards: (await sb.store.read('onerway.cards')).length,
  records: (await sb.store.read('onerway.operateRecords')).length,
  holders: (await sb.store.read('onerway.cardholders')).length,
  entries: (await sb.store.read('_entries')).length,
  merchant: (await account(sb, 'merchant:USD')).balance,
});

async function withCard() {
  const sb = await makeSandbox();
  const api = onerway(sb);
  const cardId = await api.activeCard();
  await settle(sb);
  return { sb, api, cardId };
}

type Api = ReturnType<typeof onerway>;
type Send = (api: Api, cardId: number, id: string, change?: object) => Promise<request.Response>;
const MUTATIONS: Array<[string, Send, object]> = [
  ['createCard', (api, _c, id, change) => api.createCard({ clientRequestId: id, cardholderId: 300001, productId: 1, amount: 10, ...change }), { amount: 11 }],
  ['deposit', (api, cardId, id, change) => api.deposit({ clientRequestId: id, cardId, amount: 10, ...change }), { amount: 10.01 }],
  ['operate', (api, cardId, id, change) => api.operate({ clientRequestId: id, cardId, type: 'FREEZE', ...change }), { type: 'TERMINATE' }],
];

describeStores('onerway idempotency', () => {
  describe('onerway clientRequestId idempotency', () => {
    it.each(MUTATIONS)('%s: the same id and body replay the first answer byte for byte and change nothing', async (_op, send) => {
      const { sb, api, cardId } = await withCard();
      const first = await send(api, cardId, 'IDEM_1');
      expect(first.body.respCode).toBe('20000');
      await settle(sb);
      const before = await footprint(sb);
      const again = await send(api, cardId, 'IDEM_1');
      expect(again.text).toBe(first.text);
      await settle(sb);
      expect(await footprint(sb)).toEqual(before);
    });

    it.each(MUTATIONS)('%s: answers 80010 when the id is reused with another body, and changes nothing', async (_op, send, change) => {
      const { sb, api, cardId } = await withCard();
      await send(api, cardId, 'IDEM_2');
      await settle(sb);
      const before = await footprint(sb);
      const res = await send(api, cardId, 'IDEM_2', change);
      expect(res.body).toEqual({ respCode: '80010', respMsg: 'Duplicate data', data: null });
      expect(await footprint(sb)).toEqual(before);
    });

    it('replays the same body sent with its keys in another order', async () => {
      const { api, cardId } = await withCard();
      const first = await api.deposit({ clientRequestId: 'IDEM_ORDER', cardId, amount: 10 });
      const again = await api.deposit({ amount: 10, cardId, clientRequestId: 'IDEM_ORDER' });
      expect(again.text).toBe(first.text);
    });

    it("answers 80010 when a createCard's id is reused on a deposit", async () => {
      const { api, cardId } = await withCard();
      await api.createCard({ clientRequestId: 'IDEM_ACROSS', cardholderId: 300001, productId: 1, amount: 10 });
      const res = await api.deposit({ clientRequestId: 'IDEM_ACROSS', cardId, amount: 10 });
      expect(res.body.respCode).toBe('80010');
    });

    it('replays createCardholder and updateCardholder and answers 80010 on another body', async () => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      const body = cardholderBody({ clientRequestId: 'IDEM_HOLDER' });
      const first = await api.createCardholder(body);
      expect((await api.createCardholder(body)).text).toBe(first.text);
      expect((await api.createCardholder({ ...body, firstName: 'Other' })).body.respCode).toBe('80010');
      expect(await sb.store.read('onerway.cardholders', DEFAULT_TENANT)).toHaveLength(2);
    });

    it('creates one card when two identical createCards arrive at once', async () => {
      const sb = await makeSandbox();
      const body = { clientRequestId: 'IDEM_RACE', cardholderId: 300001, productId: 1, amount: 10 };
      const post = () => request(sb.app).post(`${BASE}/card/createCard`).set('ApiKey', API_KEY).send(body);
      const [a, b] = await Promise.all([post(), post()]);
      expect(a.body.respCode).toBe('20000');
      expect(b.text).toBe(a.text);
      expect((await sb.store.read('onerway.cards')).length).toBe(1);
      expect((await sb.store.read('onerway.operateRecords')).length).toBe(1);
    });

    it('writes one record when two identical deposits arrive at once', async () => {
      const { sb, cardId } = await withCard();
      const body = { clientRequestId: 'IDEM_RACE_DEP', cardId, amount: 10 };
      const post = () => request(sb.app).post(`${BASE}/card/deposit`).set('ApiKey', API_KEY).send(body);
      const [a, b] = await Promise.all([post(), post(), post()]);
      expect(b.text).toBe(a.text);
      await settle(sb);
      expect((await onerway(sb).records({ clientRequestId: 'IDEM_RACE_DEP' })).length).toBe(1);
      expect((await onerway(sb).getCardBalance({ cardId })).body.data.balance).toBe(110);
    });

    it('does not keep a refused request, so the same id succeeds once the card allows it', async () => {
      const { sb, api, cardId } = await withCard();
      expect((await api.operate({ clientRequestId: 'IDEM_RETRY', cardId, type: 'UNFREEZE' })).body.respCode).toBe('40000');
      await api.operate({ clientRequestId: requestId('FREEZE'), cardId, type: 'FREEZE' });
      await settle(sb);
      const res = await api.operate({ clientRequestId: 'IDEM_RETRY', cardId, type: 'UNFREEZE' });
      expect(res.body.respCode).toBe('20000');
      expect(await api.cardStatus(cardId)).toBe('ACTIVE');
    });

    it('does not keep a request refused for a bad parameter, so the corrected body may reuse its id', async () => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      expect((await api.createCard({ clientRequestId: 'IDEM_FIX', cardholderId: 300001, productId: 1, amount: 1.001 })).body.respCode).toBe('40000');
      const res = await api.createCard({ clientRequestId: 'IDEM_FIX', cardholderId: 300001, productId: 1, amount: 1 });
      expect(res.body.respCode).toBe('20000');
    });

    it("keeps ids per merchant: the second merchant may reuse the first merchant's id", async () => {
      const sb = await makeSandbox();
      const first = await onerway(sb).createCard({ clientRequestId: 'IDEM_SHARED', cardholderId: 300001, productId: 1, amount: 10 });
      const second = await onerway(sb, SECOND_API_KEY).createCard({ clientRequestId: 'IDEM_SHARED', cardholderId: 300002, productId: 1, amount: 10 });
      expect(second.body.respCode).toBe('20000');
      expect(second.body.data.cardId).not.toBe(first.body.data.cardId);
      expect((await sb.store.read('onerway.cards')).length).toBe(2);
    });
  });
});
