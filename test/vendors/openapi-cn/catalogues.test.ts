/**
 * The sandbox's inferred catalogues agree with themselves: every value a list offers is accepted by
 * every operation that takes it. One test per catalogue; each reads the list over HTTP, so a value
 * added to a list without its rules elsewhere fails here.
 */
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox.js';
import { openapi } from '../../helpers/openapi-cn.js';
import { control, makeSandbox, describeStores } from '../../helpers/sandbox.js';

type Api = ReturnType<typeof openapi>;
interface Rail {
  pay_method: string;
  region: string;
  currencies: string[];
  fee_modes: string[];
}

/** A bank in the rail's region, with the bank identifier that region routes on. */
const BANKS: Record<string, Record<string, string>> = {
  GLOBAL: { country: 'DE', swift_code: 'DEUTDEFF' },
  US: { country: 'US', routing_code: '021000021' },
  HK: { country: 'HK', routing_code: '004' },
  EU: { country: 'FR', swift_code: 'BNPAFRPP' },
  GB: { country: 'GB', routing_code: '200000' },
  SG: { country: 'SG', routing_code: '7171' },
};

const payee = (rail: Rail, currency: string, fields: Record<string, string> = {}) => ({
  payee_type: 'company',
  name: `${rail.pay_method} ${currency} payee`,
  currency,
  pay_method: rail.pay_method,
  account_name: 'SANDBOX TRADING LTD',
  account_number: 'FR7630006000011234567890189',
  bank_name: 'Sandbox Bank',
  fund_source: 'BUSINESS_INCOME',
  payment_purpose: 'GOODS_TRADE',
  ...BANKS[rail.region],
  ...fields,
});

/** Every entry of a paged list, page by page (page_size 2, so the paging itself is exercised). */
async function everyEntry(api: Api, operation: string, path: string, fields: Record<string, unknown> = {}): Promise<any[]> {
  const all: any[] = [];
  for (let p = 1; ; p++) {
    const data = await api.ok(operation, path, { ...fields, page: p, page_size: 2 });
    expect(data, `${path} pages like every list`).toMatchObject({ total: expect.any(Number), page: p, page_size: 2 });
    expect(data.list.length, `${path} page ${p}`).toBe(Math.min(2, data.total - all.length));
    all.push(...data.list);
    if (all.length >= data.total) return all;
  }
}

async function approved(sb: Sandbox, body: Record<string, unknown>): Promise<string> {
  const api = openapi(sb);
  const { payee_id } = await api.ok('payeeCreate', '/payee/create', body);
  await api.ok('payeeApply', '/payee/apply', { payee_id });
  await control(sb).advance(0);
  expect((await api.ok('payeeDetail', '/payee/detail', { payee_id })).status).toBe(2);
  return payee_id;
}

describeStores('openapi-cn catalogues', () => {
  describe('openapi-cn inferred catalogues', () => {
    it('payMethod/list: payee/create accepts every rail in every currency it lists', async () => {
      const api = openapi(await makeSandbox());
      const rails: Rail[] = await everyEntry(api, 'payMethodList', '/payMethod/list');
      expect(rails.map((r) => r.pay_method)).toEqual(['SWIFT', 'LOCAL_ACH', 'FEDWIRE', 'FPS', 'CHATS', 'SEPA', 'UK_FPS', 'SG_FAST']);
      for (const rail of rails) {
        for (const currency of rail.currencies) {
          const res = await api.call('payeeCreate', '/payee/create', payee(rail, currency));
          expect(res.body.code, `${rail.pay_method} ${currency}: ${res.headers['x-sandbox-diagnostic'] ?? ''}`).toBe(0);
          expect(await api.ok('payeeDetail', '/payee/detail', { payee_id: res.body.data.payee_id })).toMatchObject({ pay_method: rail.pay_method, currency });
        }
      }
    });

    it('payMethod/list: payment/create accepts every fee mode a rail lists, in each wallet currency the rail carries', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const wallets = new Set((await everyEntry(api, 'walletList', '/wallet/list')).map((w) => w.currency as string));
      let paid = 0;
      for (const rail of (await api.ok('payMethodList', '/payMethod/list')).list as Rail[]) {
        for (const currency of rail.currencies.filter((c) => wallets.has(c))) {
          const payee_id = await approved(sb, payee(rail, currency));
          for (const fee_mode of rail.fee_modes) {
            const res = await api.call('paymentCreate', '/payment/create', { payee_id, amount: '100.00', currency, fee_mode, reason: 'OTHER' });
            expect(res.body.code, `${rail.pay_method} ${currency} ${fee_mode}: ${res.headers['x-sandbox-diagnostic'] ?? ''}`).toBe(0);
            paid++;
          }
        }
      }
      expect(paid).toBeGreaterThanOrEqual(9);
    });

    it.each([
      ['payeeFundSourceList', '/payee/fundSourceList', 'fund_source'],
      ['payeePaymentPurposeList', '/payee/paymentPurposeList', 'payment_purpose'],
    ])('%s: payee/create and payee/edit accept every code it lists', async (operation, path, field) => {
      const api = openapi(await makeSandbox());
      const swift = { pay_method: 'SWIFT', region: 'GLOBAL', currencies: ['USD'], fee_modes: [] };
      const { payee_id } = await api.ok('payeeCreate', '/payee/create', payee(swift, 'USD'));
      for (const { code } of await everyEntry(api, operation, path)) {
        await api.ok('payeeCreate', '/payee/create', payee(swift, 'USD', { [field]: code }));
        await api.ok('payeeEdit', '/payee/edit', { payee_id, [field]: code });
        expect((await api.ok('payeeDetail', '/payee/detail', { payee_id }))[field]).toBe(code);
      }
    });

    it('payment/reasonList: payment/create accepts every reason it lists', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const payee_id = await approved(sb, payee({ pay_method: 'LOCAL_ACH', region: 'US', currencies: ['USD'], fee_modes: [] }, 'USD'));
      const reasons = await everyEntry(api, 'paymentReasonList', '/payment/reasonList');
      for (const { code } of reasons) {
        expect((await api.ok('paymentCreate', '/payment/create', { payee_id, amount: '5.00', currency: 'USD', fee_mode: 'SHA', reason: code })).reason).toBe(
          code,
        );
      }
      expect(reasons.length).toBeGreaterThan(3);
    });

    it('bin/list: order/openCard accepts every enabled BIN it lists, for a new holder', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const { holder_id } = await api.ok('holderCreate', '/holder/create', {
        first_name: 'Ada',
        last_name: 'Lovelace',
        email: 'ada.catalogue@example.com',
        mobile_area_code: '+44',
        mobile: '7700900123',
        country: 'GB',
        city: 'London',
        address: '12 St James Sq',
      });
      const bins = await everyEntry(api, 'binList', '/bin/list', { status: 1 });
      expect(bins.length).toBeGreaterThanOrEqual(4);
      for (const bin of bins) {
        const res = await api.call('orderOpenCard', '/order/openCard', { bin_id: bin.bin_id, holder_id });
        expect(res.body.code, `${bin.bin_id}: ${res.headers['x-sandbox-diagnostic'] ?? ''}`).toBe(0);
      }
    });

    it('wallet/exchangeRate quotes every currency that wallet/list, bin/list and payMethod/list offer, both ways against USD', async () => {
      const api = openapi(await makeSandbox());
      const offered = new Set<string>([
        ...(await everyEntry(api, 'walletList', '/wallet/list')).map((w) => w.currency as string),
        ...(await everyEntry(api, 'binList', '/bin/list')).map((b) => b.currency as string),
        ...(await everyEntry(api, 'payMethodList', '/payMethod/list')).flatMap((m: Rail) => m.currencies),
      ]);
      expect(offered.size).toBeGreaterThanOrEqual(6);
      for (const currency of offered) {
        await api.ok('walletExchangeRate', '/wallet/exchangeRate', { from_currency: 'USD', to_currency: currency });
        await api.ok('walletExchangeRate', '/wallet/exchangeRate', { from_currency: currency, to_currency: 'USD' });
      }
    });

    it.each([
      ['binList', '/bin/list', ['bin_type', 'bin_mode', 'status', 'currency']],
      ['walletList', '/wallet/list', ['currency', 'status']],
      ['cardList', '/card/list', ['card_status', 'card_type', 'bin_id', 'holder_id']],
      ['walletTransactionList', '/wallet/transaction/list', ['currency', 'in_out_type', 'transaction_type', 'status']],
      ['holderList', '/holder/list', ['email']],
    ])('%s filters by every value its own entries show, and selects exactly the entries that carry it', async (operation, path, fields) => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const [{ holder_id }] = (await api.ok('holderList', '/holder/list')).list;
      for (const [bin_id, request_no] of [
        ['bin_v_usd', 'OPEN_1'],
        ['bin_v_hkd', 'OPEN_2'],
        ['bin_v_usd', 'OPEN_3_FAIL'],
      ]) {
        await api.ok('orderOpenCard', '/order/openCard', { bin_id, holder_id, amount: '100.00', request_no });
      }
      await control(sb).advance(0);
      const all = await everyEntry(api, operation, path);
      expect(all.length).toBeGreaterThan(1);
      for (const field of fields) {
        const values = [...new Set(all.map((e) => e[field] as unknown))];
        for (const value of values) {
          const picked = await everyEntry(api, operation, path, { [field]: value });
          expect(picked, `${path} ${field}=${String(value)}`).toEqual(all.filter((e) => e[field] === value));
        }
      }
    });
  });
});
