/** Onerway test client: the seed's examples, the default merchant's key, and contract checks on every answer. */
import request from 'supertest';
import type { Sandbox } from '../../src/sandbox.js';
import { expectContract } from './sandbox.js';

export const BASE = '/api/v1/merchant';
export const API_KEY = 'onerway-test-apikey-0001';
export const SECOND_API_KEY = 'onerway-test-apikey-0002';
export const WEBHOOK_SECRET = 'whsec_onerway_test_0001';

/** The three requests of seed 002, exactly as written. */
export const SEED_EXAMPLES = {
  createCard: { clientRequestId: 'REQ_20260101_001', cardholderId: 300001, productId: 1, amount: 100.0 },
  operate: { clientRequestId: 'REQ_20260101_002', cardId: 100001, type: 'FREEZE' },
  deposit: { clientRequestId: 'REQ_20260101_003', cardId: 100001, amount: 50.0 },
};

let counter = 0;
export function requestId(prefix = 'REQ'): string {
  return `${prefix}_${Date.now()}_${++counter}`;
}

export function onerway(sb: Sandbox, apiKey: string = API_KEY) {
  /** POSTs and checks the answer against the operation's contract (success) or the error envelope. */
  const call = async (operation: string, path: string, body: unknown) => {
    const res = await request(sb.app).post(`${BASE}${path}`).set('ApiKey', apiKey).send(body as object);
    if (res.body?.respCode === '20000') expectContract(`onerway/${operation}.response`, res.body);
    else expectContract('onerway/envelope.error', res.body);
    return res;
  };
  return {
    call,
    createCardholder: (body: object) => call('createCardholder', '/cardholder/createCardholder', body),
    updateCardholder: (body: object) => call('updateCardholder', '/cardholder/updateCardholder', body),
    getCardholder: (body: object) => call('getCardholder', '/cardholder/getCardholder', body),
    getCardholderList: (body: object) => call('getCardholderList', '/cardholder/getCardholderList', body),
    createCard: (body: object) => call('createCard', '/card/createCard', body),
    operate: (body: object) => call('operate', '/card/operate', body),
    deposit: (body: object) => call('deposit', '/card/deposit', body),
    getOperateRecordList: (body: object) => call('getOperateRecordList', '/card/getOperateRecordList', body),
    getCardInfo: (body: object) => call('getCardInfo', '/card/getCardInfo', body),
    getCardBalance: (body: object) => call('getCardBalance', '/card/getCardBalance', body),
    getCardSensitiveInfo: (body: object) => call('getCardSensitiveInfo', '/card/getCardSensitiveInfo', body),
    queryTxnList: (body: object) => call('queryTxnList', '/queryTxnList', body),
    regionList: () => call('regionList', '/common/regionList', {}),
    cityList: (body: object) => call('cityList', '/common/cityList', body),
    mobileAreaCodeList: () => call('mobileAreaCodeList', '/common/mobileAreaCodeList', {}),
    /** Creates an ACTIVE card for cardholder 300001 (product 1) and returns its id. */
    async activeCard(amount = 100): Promise<number> {
      const res = await call('createCard', '/card/createCard', { clientRequestId: requestId('CREATE'), cardholderId: 300001, productId: 1, amount });
      if (res.body.respCode !== '20000') throw new Error(`createCard failed: ${res.text}`);
      return res.body.data.cardId as number;
    },
  };
}
