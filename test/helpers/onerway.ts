/** Onerway test client: the seed's examples, the default merchant's key, and contract checks on every answer. */
import request from 'supertest';
import type { Sandbox } from '../../src/sandbox.js';
import { control, expectContract } from './sandbox.js';

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
    const res = await request(sb.app)
      .post(`${BASE}${path}`)
      .set('ApiKey', apiKey)
      .send(body as object);
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
    /** The card's status as getCardInfo reports it. */
    async cardStatus(cardId: number): Promise<string> {
      return (await call('getCardInfo', '/card/getCardInfo', { cardId })).body.data.cardStatus as string;
    },
    /** Operate records (newest first) matching `filter`, first page of 100. */
    async records(filter: object = {}): Promise<any[]> {
      return (await call('getOperateRecordList', '/card/getOperateRecordList', { pageNum: 1, pageSize: 100, ...filter })).body.data.records as any[];
    },
  };
}

export const DEFAULT_TENANT = 'onerway-default';
export const SECOND_TENANT = 'onerway-second';

let emails = 0;
/** A valid createCardholder body with a fresh email; `overrides` replace or (as undefined) drop fields. */
export function cardholderBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const body: Record<string, unknown> = {
    clientRequestId: requestId('HOLDER'),
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: `ada.${++emails}@example.com`,
    mobileAreaCode: '+44',
    mobile: '7700900123',
    regionCode: 'GB',
    cityCode: 'GB-LND',
    address: '12 St James Square',
    postCode: 'SW1Y 4JH',
    birthday: '1990-12-10',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

/** Sets a merchant's sandbox knobs (settleDelayMs, status) through the control plane. */
export async function setMerchant(sb: Sandbox, settings: Record<string, unknown>, tenant = DEFAULT_TENANT): Promise<void> {
  await control(sb).patch(`/tenants/${tenant}`, { settings }).expect(200);
}

/** Keeps new operate records P until the clock is advanced by `ms` (POST /__sandbox/clock). */
export const holdSettlements = (sb: Sandbox, ms = 60_000) => setMerchant(sb, { settleDelayMs: ms });

/** Runs every settlement already due (advancing the frozen clock by 0 ms). */
export async function settle(sb: Sandbox): Promise<void> {
  await control(sb).advance(0);
}

/** A ledger account's balance and holds in minor units, read from the store. */
export async function account(sb: Sandbox, id: string, tenant = DEFAULT_TENANT): Promise<{ balance: number; held: number }> {
  const acc = (await sb.store.lookup('_accounts', tenant, id)) as unknown as { balance: number; held: number } | undefined;
  if (!acc) throw new Error(`no account ${id} for ${tenant}`);
  return acc;
}

/** A card-network event through POST /__sandbox/simulate/<action>. */
export function simulate(sb: Sandbox, action: 'authorize' | 'clear' | 'reverse' | 'refund', body: Record<string, unknown>) {
  return control(sb).post(`/simulate/${action}`, { vendor: 'onerway', ...body });
}
