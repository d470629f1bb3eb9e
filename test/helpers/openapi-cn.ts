/** OPEN-API test client: the default merchant's body credentials, any version, contract checks on every answer. */
import request from 'supertest';
import { expect } from 'vitest';
import type { Sandbox } from '../../src/sandbox.js';
import { expectContract } from './sandbox.js';

export const MERCHANT = { tenant: 'openapi-cn-default', customer_id: 10001004, app_id: 100006, key: '0408ab79eb214e7d81d9fd447b5916a2' };
export const SECOND = { tenant: 'openapi-cn-second', customer_id: 10000011, app_id: 100001, key: 'ae9ae3f5ad284ef4836de18aa3d41c47' };
export type Merchant = typeof MERCHANT;

/** A US LOCAL_ACH company payee that payee/create accepts as is. */
export const ACH_PAYEE = {
  payee_type: 'company',
  name: 'Acme Supplies Ltd',
  country: 'US',
  currency: 'USD',
  pay_method: 'LOCAL_ACH',
  account_name: 'ACME SUPPLIES LTD',
  account_number: '000123456789',
  bank_name: 'First Sandbox Bank',
  routing_code: '021000021',
  fund_source: 'BUSINESS_INCOME',
  payment_purpose: 'GOODS_TRADE',
};

/** The two freeze examples of seed 000, exactly as written. */
export const SEED_EXAMPLES = [
  { customer_id: 10000011, app_id: 100001, key: 'ae9ae3f5ad284ef4836de18aa3d41c47', card_id: '9790d83fbb935e1d134e03bb505c2de5' },
  { customer_id: 10001004, app_id: 100006, key: '0408ab79eb214e7d81d9fd447b5916a2', card_id: 'cid_fBWWMWm8aUUYy3sd' },
];

export function openapi(sb: Sandbox, merchant: Merchant = MERCHANT, version = 'v1') {
  /** POSTs `/{version}/openApi/<path>` with the merchant's credentials and checks the contract of the answer. */
  const call = async (operation: string, path: string, fields: Record<string, unknown> = {}) => {
    const body = { customer_id: merchant.customer_id, app_id: merchant.app_id, key: merchant.key, ...fields };
    const res = await request(sb.app).post(`/${version}/openApi${path}`).send(body);
    expect(res.status).toBe(200);
    if (res.body.code === 0) expectContract(`openapi-cn/${operation}.response`, res.body);
    else {
      expectContract('openapi-cn/envelope.error', res.body);
      expect(res.headers['x-sandbox-diagnostic'], 'every refusal explains itself').toBeTruthy();
    }
    return res;
  };
  /** Calls and insists on code 0; answers `data`. */
  const ok = async (operation: string, path: string, fields: Record<string, unknown> = {}) => {
    const res = await call(operation, path, fields);
    expect(res.body, `${operation}: ${res.headers['x-sandbox-diagnostic'] ?? ''}`).toMatchObject({ code: 0, message: 'success' });
    return res.body.data;
  };
  return { call, ok };
}
