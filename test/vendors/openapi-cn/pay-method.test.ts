import { describe, expect, it } from 'vitest';
import { SECOND, openapi } from '../../helpers/openapi-cn.js';
import { makeSandbox, describeStores } from '../../helpers/sandbox.js';

const ALL = ['SWIFT', 'LOCAL_ACH', 'FEDWIRE', 'FPS', 'CHATS', 'SEPA', 'UK_FPS', 'SG_FAST'];
const codes = (data: { list: { pay_method: string }[] }) => data.list.map((m) => m.pay_method);

describeStores('openapi-cn pay-method', () => {
  describe('openapi-cn payMethod/list', () => {
    it('lists every payout rail; SWIFT carries all six currencies and offers every fee mode', async () => {
      const sb = await makeSandbox();
      const data = await openapi(sb).ok('payMethodList', '/payMethod/list');
      expect(data).toMatchObject({ total: ALL.length, page: 1, page_size: 20 });
      expect(codes(data)).toEqual(ALL);
      expect(data.list[0]).toEqual({
        pay_method: 'SWIFT',
        name: 'SWIFT international wire',
        region: 'GLOBAL',
        currencies: ['USD', 'HKD', 'CNY', 'EUR', 'GBP', 'SGD'],
        fee_modes: ['OUR', 'SHA', 'BEN'],
        arrival: '1-3 business days',
      });
    });

    it.each([
      ['HKD', ['SWIFT', 'FPS', 'CHATS']],
      ['USD', ['SWIFT', 'LOCAL_ACH', 'FEDWIRE', 'CHATS']],
      ['GBP', ['SWIFT', 'UK_FPS']],
      ['JPY', []],
    ])('filters by currency %s', async (currency, expected) => {
      const sb = await makeSandbox();
      const data = await openapi(sb).ok('payMethodList', '/payMethod/list', { currency });
      expect(codes(data)).toEqual(expected);
      expect(data.total).toBe(expected.length);
    });

    it('offers local rails with shared fees only', async () => {
      const sb = await makeSandbox();
      const data = await openapi(sb).ok('payMethodList', '/payMethod/list', { currency: 'EUR' });
      expect(data.list.find((m: { pay_method: string }) => m.pay_method === 'SEPA')).toMatchObject({ region: 'EU', currencies: ['EUR'], fee_modes: ['SHA'] });
    });

    it('pages: page 3 of size 3 holds the last two rails, total 8', async () => {
      const sb = await makeSandbox();
      const data = await openapi(sb).ok('payMethodList', '/payMethod/list', { page: 3, page_size: 3 });
      expect(data).toMatchObject({ total: 8, page: 3, page_size: 3 });
      expect(codes(data)).toEqual(['UK_FPS', 'SG_FAST']);
    });

    it.each([
      ['currency', { currency: 'hkd' }],
      ['page', { page: 0 }],
      ['page_size', { page_size: 500 }],
    ])('answers 1001 naming %s when it is not allowed', async (field, fields) => {
      const sb = await makeSandbox();
      const res = await openapi(sb).call('payMethodList', '/payMethod/list', fields);
      expect(res.body.code).toBe(1001);
      expect(res.body.message).toContain(field);
    });

    it('answers the second merchant the same rails and refuses a wrong key with 1002', async () => {
      const sb = await makeSandbox();
      expect(codes(await openapi(sb, SECOND).ok('payMethodList', '/payMethod/list'))).toEqual(ALL);
      const res = await openapi(sb, { ...SECOND, key: '0'.repeat(32) }).call('payMethodList', '/payMethod/list');
      expect(res.body).toEqual({ code: 1002, message: 'auth failed' });
    });
  });
});
