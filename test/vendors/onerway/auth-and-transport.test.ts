import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { API_KEY, BASE, SECOND_API_KEY, SEED_EXAMPLES, onerway, setMerchant } from '../../helpers/onerway.js';
import { expectContract, makeSandbox, describeStores } from '../../helpers/sandbox.js';

const CREATE_CARD = `${BASE}/card/createCard`;

/** The error envelope's checks every rejection shares: contract, data null, a diagnostic header. */
function expectRejected(res: request.Response, status: number, respCode: string): void {
  expectContract('onerway/envelope.error', res.body);
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ respCode, data: null });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['x-sandbox-diagnostic']).toBeTruthy();
}

describeStores('onerway auth-and-transport', () => {
  describe('onerway ApiKey authentication', () => {
    it('answers HTTP 401 with 81000 and data null when the ApiKey header is missing', async () => {
      const sb = await makeSandbox();
      const res = await request(sb.app).post(CREATE_CARD).send(SEED_EXAMPLES.createCard);
      expectRejected(res, 401, '81000');
      expect(res.body.respMsg).toBe('Unauthorized Merchant');
      expect(res.headers['x-sandbox-diagnostic']).toMatch(/missing ApiKey/);
      expect((await sb.store.read('onerway.cards')).length).toBe(0);
    });

    it('answers HTTP 401 with 81000 for a key that belongs to no merchant, without echoing the key', async () => {
      const sb = await makeSandbox();
      const res = await request(sb.app).post(CREATE_CARD).set('ApiKey', 'onerway-live-apikey-9999').send(SEED_EXAMPLES.createCard);
      expectRejected(res, 401, '81000');
      expect(res.headers['x-sandbox-diagnostic']).not.toContain('onerway-live-apikey-9999');
      expect((await sb.store.read('onerway.cards')).length).toBe(0);
    });

    it("accepts the older docs' X-ONERWAY-APIKEY header", async () => {
      const sb = await makeSandbox();
      const res = await request(sb.app).post(CREATE_CARD).set('X-ONERWAY-APIKEY', API_KEY).send(SEED_EXAMPLES.createCard);
      expectContract('onerway/createCard.response', res.body);
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ cardId: 100001 });
    });

    it('answers 80004 to a merchant whose status is INACTIVE, and only to that merchant', async () => {
      const sb = await makeSandbox();
      await setMerchant(sb, { status: 'INACTIVE' });
      const res = await request(sb.app).post(CREATE_CARD).set('ApiKey', API_KEY).send(SEED_EXAMPLES.createCard);
      expectRejected(res, 200, '80004');
      expect(res.body.respMsg).toBe('Merchant status is invalid');
      const other = await onerway(sb, SECOND_API_KEY).regionList();
      expect(other.body.respCode).toBe('20000');
    });
  });

  describe('onerway tenant isolation', () => {
    it("answers 40000 when the second merchant asks for the first merchant's card", async () => {
      const sb = await makeSandbox();
      const cardId = await onerway(sb).activeCard();
      const second = onerway(sb, SECOND_API_KEY);
      for (const res of [await second.getCardInfo({ cardId }), await second.getCardBalance({ cardId }), await second.getCardSensitiveInfo({ cardId })]) {
        expect(res.body).toMatchObject({ respCode: '40000', data: null });
      }
      expect((await second.operate({ clientRequestId: 'ISO_1', cardId, type: 'FREEZE' })).body.respCode).toBe('40000');
      expect(await onerway(sb).cardStatus(cardId)).toBe('ACTIVE');
    });

    it("answers 80001 when the first merchant uses the second merchant's cardholder 300002", async () => {
      const api = onerway(await makeSandbox());
      expect((await api.getCardholder({ cardholderId: 300002 })).body.respCode).toBe('80001');
      const res = await api.createCard({ clientRequestId: 'ISO_2', cardholderId: 300002, productId: 1, amount: 10 });
      expect(res.body.respCode).toBe('80001');
    });

    it("lists only the calling merchant's operate records and transactions", async () => {
      const sb = await makeSandbox();
      await onerway(sb).activeCard();
      const second = onerway(sb, SECOND_API_KEY);
      expect((await second.getOperateRecordList({ pageNum: 1, pageSize: 10 })).body.data.totalRecords).toBe(0);
      expect((await second.getCardholderList({ pageNum: 1, pageSize: 10 })).body.data.records.map((h: any) => h.cardholderId)).toEqual([300002]);
    });
  });

  describe('onerway transport errors', () => {
    it('answers 40004 for an unknown path under the base, before looking at the key', async () => {
      const sb = await makeSandbox();
      const res = await request(sb.app).post(`${BASE}/card/closeCard`).send({});
      expectRejected(res, 200, '40004');
      expect(res.body.respMsg).toBe('NoHandlerFoundException');
    });

    it.each(['get', 'put', 'delete'] as const)('answers 40005 to %s on a known path', async (method) => {
      const sb = await makeSandbox();
      const res = await request(sb.app)[method](CREATE_CARD).set('ApiKey', API_KEY);
      expectRejected(res, 200, '40005');
      expect(res.body.respMsg).toBe('HttpRequestMethodNotSupported');
    });

    it('answers 40013 to a body that is not JSON', async () => {
      const sb = await makeSandbox();
      const res = await request(sb.app).post(CREATE_CARD).set('ApiKey', API_KEY).set('Content-Type', 'application/json').send('{"clientRequestId": "A",');
      expectRejected(res, 200, '40013');
      expect(res.body.respMsg).toBe('HttpMessageNotReadable');
    });

    it.each([
      ['an array', '[{"clientRequestId":"A"}]'],
      ['a string', '"createCard"'],
      ['null', 'null'],
    ])('answers 40013 to a JSON body that is %s, not an object', async (_kind, text) => {
      const sb = await makeSandbox();
      const res = await request(sb.app).post(CREATE_CARD).set('ApiKey', API_KEY).set('Content-Type', 'application/json').send(text);
      expectRejected(res, 200, '40013');
    });

    it('answers 40015 to a text/plain body, even when the text is JSON', async () => {
      const sb = await makeSandbox();
      const res = await request(sb.app)
        .post(CREATE_CARD)
        .set('ApiKey', API_KEY)
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify(SEED_EXAMPLES.createCard));
      expectRejected(res, 200, '40015');
      expect(res.body.respMsg).toBe('HttpMediaTypeNotSupported');
      expect((await sb.store.read('onerway.cards')).length).toBe(0);
    });

    it('accepts the documented Content-Type application/json;charset=UTF-8', async () => {
      const sb = await makeSandbox();
      const res = await request(sb.app)
        .post(CREATE_CARD)
        .set('ApiKey', API_KEY)
        .set('Content-Type', 'application/json;charset=UTF-8')
        .send(JSON.stringify(SEED_EXAMPLES.createCard));
      expect(res.body).toEqual({ respCode: '20000', respMsg: 'success', data: { cardId: 100001 } });
    });

    it('answers 40013 in JSON, never a 500 or an HTML page, to a body over 1 MiB', async () => {
      const sb = await makeSandbox();
      const body = JSON.stringify({ ...SEED_EXAMPLES.createCard, padding: 'x'.repeat(1024 * 1024) });
      const res = await request(sb.app).post(CREATE_CARD).set('ApiKey', API_KEY).set('Content-Type', 'application/json').send(body);
      expectRejected(res, 200, '40013');
      expect(res.text).not.toMatch(/<html|<!DOCTYPE/i);
      expect((await sb.store.read('onerway.cards')).length).toBe(0);
    });
  });

  describe('onerway transport: encoded bodies', () => {
    it('answers 40013 for a gzip body that does not inflate, never 80000', async () => {
      const sb = await makeSandbox();
      const res = await request(sb.app)
        .post('/api/v1/merchant/card/getCardInfo')
        .set('ApiKey', API_KEY)
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .send('not gzip at all');
      expect(res.body).toEqual({ respCode: '40013', respMsg: 'HttpMessageNotReadable', data: null });
      expect(res.headers['x-sandbox-diagnostic']).toMatch(/unreadable body/);
    });
  });
});
