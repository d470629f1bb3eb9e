/**
 * Every request example of Onerway's issuing pages (docs.onerway.com/issuing/issuing-api/…), sent as
 * the page prints it (the raw text, `100.00` included) against a fresh default scenario after
 * POST /__sandbox/reset, answers as the page documents. The pages give no timestamps, so the clock
 * stays at the tests' T0.
 *
 * card/operate and card/deposit name card 100001, the card the page's own createCard example answers;
 * they run after the examples before them on the page, since a default scenario already holding card
 * 100001 would make that createCard answer 100002.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox.js';
import { API_KEY, BASE } from '../../helpers/onerway.js';
import { control, expectContract, makeSandbox, describeStores } from '../../helpers/sandbox.js';

interface Example {
  page: string;
  operation: string;
  path: string;
  body: string;
  /** Examples on the same page that produce what this one names (run first, each checked). */
  after?: string[];
}

const EXAMPLES: Record<string, Example> = {
  createCard: {
    page: 'cards/card-operations',
    operation: 'createCard',
    path: '/card/createCard',
    body: '{\n"clientRequestId": "REQ_20260101_001",\n"cardholderId": 300001,\n"productId": 1,\n"amount": 100.00\n}',
  },
  operate: {
    page: 'cards/card-operations',
    operation: 'operate',
    path: '/card/operate',
    after: ['createCard'],
    body: '{\n"clientRequestId": "REQ_20260101_002",\n"cardId": 100001,\n"type": "FREEZE"\n}',
  },
  deposit: {
    page: 'cards/card-operations',
    operation: 'deposit',
    path: '/card/deposit',
    after: ['createCard', 'operate'],
    body: '{\n"clientRequestId": "REQ_20260101_003",\n"cardId": 100001,\n"amount": 50.00\n}',
  },
  getOperateRecordList: {
    page: 'cards/card-queries',
    operation: 'getOperateRecordList',
    path: '/card/getOperateRecordList',
    after: ['createCard', 'operate', 'deposit'],
    body: '{\n  "cardId": 100001,\n  "type": "DEPOSIT",\n  "pageNum": 1,\n  "pageSize": 10\n}',
  },
  queryTxnList: {
    page: 'transaction-api',
    operation: 'queryTxnList',
    path: '/queryTxnList',
    body: '{\n  "txnType": "AUTHORIZATION",\n  "pageNum": 1,\n  "pageSize": 10\n}',
  },
  regionList: { page: 'common-api', operation: 'regionList', path: '/common/regionList', body: '{}' },
  cityList: { page: 'common-api', operation: 'cityList', path: '/common/cityList', body: '{\n"regionCode": "CN",\n"parentCode": "GD"\n}' },
  mobileAreaCodeList: { page: 'common-api', operation: 'mobileAreaCodeList', path: '/common/mobileAreaCodeList', body: '{}' },
};

/** Posts the example's text as written, with the docs' headers, and checks the answer's contract. */
async function send(sb: Sandbox, example: Example) {
  const res = await request(sb.app)
    .post(`${BASE}${example.path}`)
    .set('Content-Type', 'application/json;charset=UTF-8')
    .set('ApiKey', API_KEY)
    .send(example.body);
  expect(res.status).toBe(200);
  expect(res.body.respCode, `${example.operation}: ${res.headers['x-sandbox-diagnostic'] ?? ''}`).toBe('20000');
  expectContract(`onerway/${example.operation}.response`, res.body);
  return res;
}

/** A fresh default scenario (reset through the control plane), with the example's predecessors run. */
async function ready(name: string): Promise<Sandbox> {
  const sb = await makeSandbox();
  await control(sb).post('/reset').expect(200);
  for (const before of EXAMPLES[name].after ?? []) await send(sb, EXAMPLES[before]);
  return sb;
}

const ok = (data: unknown) => ({ respCode: '20000', respMsg: 'success', data });

describeStores('onerway documented-examples', () => {
  describe('onerway documented examples', () => {
    it('card/createCard answers {"cardId":100001}', async () => {
      const res = await send(await ready('createCard'), EXAMPLES.createCard);
      expect(res.text).toBe(JSON.stringify(ok({ cardId: 100001 })));
    });

    it('card/operate FREEZE answers {"operateRecordId":200001}', async () => {
      const res = await send(await ready('operate'), EXAMPLES.operate);
      expect(res.text).toBe(JSON.stringify(ok({ operateRecordId: 200001 })));
    });

    it('card/deposit answers {"operateRecordId":200002}', async () => {
      const res = await send(await ready('deposit'), EXAMPLES.deposit);
      expect(res.text).toBe(JSON.stringify(ok({ operateRecordId: 200002 })));
    });

    it("card/getOperateRecordList answers the page of card 100001's one DEPOSIT record (totalRecords 1)", async () => {
      const res = await send(await ready('getOperateRecordList'), EXAMPLES.getOperateRecordList);
      expect(res.body).toEqual(
        ok({
          totalRecords: 1,
          pageSize: 10,
          current: 1,
          pageNum: 1,
          totalPages: 1,
          records: [
            {
              operateRecordId: 200002,
              cardId: 100001,
              clientRequestId: 'REQ_20260101_003',
              type: 'DEPOSIT',
              status: 'S',
              remark: expect.any(String),
              amount: 50,
              currency: 'USD',
              operateTime: expect.any(Number),
              feeList: [{ feeType: 'DEPOSIT', feeAmount: 0.5, feeCurrency: 'USD' }],
            },
          ],
        }),
      );
    });

    it('queryTxnList answers the paging wrapper of AUTHORIZATION records', async () => {
      const res = await send(await ready('queryTxnList'), EXAMPLES.queryTxnList);
      expect(res.body.data).toMatchObject({ pageSize: 10, current: 1, pageNum: 1, records: expect.any(Array) });
      expect(res.body.data.records.every((r: { txnType: string }) => r.txnType === 'AUTHORIZATION')).toBe(true);
    });

    it('common/regionList begins with the documented CN, US, HK', async () => {
      const res = await send(await ready('regionList'), EXAMPLES.regionList);
      expect(res.body.data.slice(0, 3)).toEqual([
        { regionCode: 'CN', regionName: 'China' },
        { regionCode: 'US', regionName: 'United States' },
        { regionCode: 'HK', regionName: 'Hong Kong' },
      ]);
    });

    it('common/cityList for CN under GD answers exactly Shenzhen (SZ) and Guangzhou (GZ)', async () => {
      const res = await send(await ready('cityList'), EXAMPLES.cityList);
      expect(res.body).toEqual(
        ok([
          { regionCode: 'CN', parentCode: 'GD', cityCode: 'SZ', cityName: 'Shenzhen' },
          { regionCode: 'CN', parentCode: 'GD', cityCode: 'GZ', cityName: 'Guangzhou' },
        ]),
      );
    });

    it('common/mobileAreaCodeList begins with the documented CN +86 and US +1', async () => {
      const res = await send(await ready('mobileAreaCodeList'), EXAMPLES.mobileAreaCodeList);
      expect(res.body.data.slice(0, 2)).toEqual([
        { regionCode: 'CN', regionName: 'China', areaCode: '+86' },
        { regionCode: 'US', regionName: 'United States', areaCode: '+1' },
      ]);
    });
  });
});
