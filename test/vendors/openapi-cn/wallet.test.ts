import { describe, expect, it } from 'vitest';
import { hold, post } from '../../../src/core/ledger.js';
import { parseAmount } from '../../../src/core/money.js';
import { inTenant } from '../../../src/core/runtime.js';
import { getTenant } from '../../../src/core/tenants.js';
import { openapiCn } from '../../../src/vendors/openapi-cn/index.js';
import { LEDGER } from '../../../src/vendors/openapi-cn/model.js';
import type { VendorContext } from '../../../src/core/vendor.js';
import { walletMove, type WalletTxn } from '../../../src/vendors/openapi-cn/wallet-ledger.js';
import { MERCHANT, SECOND, openapi } from '../../helpers/openapi-cn.js';
import { T0, control, makeSandbox, describeStores } from '../../helpers/sandbox.js';
import type { Sandbox } from '../../../src/sandbox.js';

const WALLET_TXNS = 'openapi-cn.walletTransactions';
const minor = (amount: string) => parseAmount(amount, { field: 'amount', positive: false });

/** Runs `fn` as the default merchant, in one committed transaction (what orders and payments do). */
function asMerchant<T>(sb: Sandbox, fn: (ctx: VendorContext) => T, tenant = MERCHANT.tenant): Promise<T> {
  return inTenant(sb.runtime, openapiCn, getTenant(sb.store, tenant)!, fn);
}

type Move = Parameters<typeof walletMove>[1];
const move = (
  currency: string,
  direction: 'in' | 'out',
  amount: number,
  type: Move['type'],
  relatedId: string,
  counterpart = LEDGER.transit(currency),
): Move => ({ currency, direction, amount, type, relatedId, counterpart });

/** Four movements a minute apart: USD 100.00 out, 40.00 back in, 5.00 fee out; HKD 200.00 out. */
async function withMoves() {
  const sb = await makeSandbox();
  const txns: WalletTxn[] = [];
  const plan = [
    move('USD', 'out', 10_000, 'card_recharge', 'ord_1'),
    move('USD', 'in', 4_000, 'card_cancel_refund', 'card_1'),
    move('USD', 'out', 500, 'fee', 'ord_1', LEDGER.fees('USD')),
    move('HKD', 'out', 20_000, 'open_card', 'ord_2'),
  ];
  for (const [i, m] of plan.entries()) {
    if (i > 0) await control(sb).advance(60_000);
    txns.push(await asMerchant(sb, (ctx) => walletMove(ctx, m)));
  }
  const list = async (filter: Record<string, unknown> = {}) =>
    (await openapi(sb).ok('walletTransactionList', '/wallet/transaction/list', filter)) as { list: any[]; total: number };
  return { sb, api: openapi(sb), txns, list };
}

describeStores('openapi-cn wallet', () => {
  describe('openapi-cn wallet/list', () => {
    it('lists the funded USD and HKD wallets, normal, with 100,000.00 and 50,000.00 available', async () => {
      const sb = await makeSandbox();
      const data = await openapi(sb).ok('walletList', '/wallet/list');
      expect(data).toEqual({
        total: 2,
        page: 1,
        page_size: 20,
        list: [
          {
            wallet_id: expect.stringMatching(/^wal_[0-9a-f]{16}$/),
            currency: 'HKD',
            status: 1,
            balance: '50000.00',
            frozen_balance: '0.00',
            total_balance: '50000.00',
            created_at: expect.any(Number),
          },
          {
            wallet_id: expect.stringMatching(/^wal_[0-9a-f]{16}$/),
            currency: 'USD',
            status: 1,
            balance: '100000.00',
            frozen_balance: '0.00',
            total_balance: '100000.00',
            created_at: expect.any(Number),
          },
        ],
      });
    });

    it.each([
      [{ currency: 'HKD' }, ['HKD']],
      [{ currency: 'EUR' }, []],
      [{ status: 1 }, ['HKD', 'USD']],
      [{ status: 2 }, []],
    ])('filters by %j', async (filter, currencies) => {
      const sb = await makeSandbox();
      const data = await openapi(sb).ok('walletList', '/wallet/list', filter);
      expect(data.list.map((w: { currency: string }) => w.currency)).toEqual(currencies);
      expect(data.total).toBe(currencies.length);
    });

    it('pages: page 2 of size 1 holds the USD wallet and the total stays 2', async () => {
      const sb = await makeSandbox();
      const data = await openapi(sb).ok('walletList', '/wallet/list', { page: 2, page_size: 1 });
      expect(data).toMatchObject({ total: 2, page: 2, page_size: 1, list: [{ currency: 'USD' }] });
    });

    it('pages past the end: page 3 of size 1 is empty and the total stays 2', async () => {
      const sb = await makeSandbox();
      const data = await openapi(sb).ok('walletList', '/wallet/list', { page: 3, page_size: 1 });
      expect(data).toEqual({ total: 2, page: 3, page_size: 1, list: [] });
    });

    it.each([
      ['page_size', { page_size: 101 }],
      ['page', { page: 0 }],
      ['currency', { currency: 'usd' }],
      ['status', { status: 3 }],
    ])('answers 1001 naming %s when it is out of range', async (field, fields) => {
      const sb = await makeSandbox();
      const res = await openapi(sb).call('walletList', '/wallet/list', fields);
      expect(res.body.code).toBe(1001);
      expect(res.body.message).toContain(field);
    });

    it("shows each merchant its own wallets: the second merchant's wallet ids are not the first's", async () => {
      const sb = await makeSandbox();
      const mine = await openapi(sb).ok('walletList', '/wallet/list');
      const theirs = await openapi(sb, SECOND).ok('walletList', '/wallet/list');
      expect(theirs.total).toBe(2);
      const ids = new Set(mine.list.map((w: { wallet_id: string }) => w.wallet_id));
      expect(theirs.list.filter((w: { wallet_id: string }) => ids.has(w.wallet_id))).toEqual([]);
    });
  });

  describe('openapi-cn wallet/detail', () => {
    it('answers the same wallet by currency and by wallet_id', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const byCurrency = await api.ok('walletDetail', '/wallet/detail', { currency: 'USD' });
      expect(byCurrency).toMatchObject({ currency: 'USD', status: 1, balance: '100000.00' });
      expect(await api.ok('walletDetail', '/wallet/detail', { wallet_id: byCurrency.wallet_id })).toEqual(byCurrency);
      expect(await api.ok('walletDetail', '/wallet/detail', { wallet_id: byCurrency.wallet_id, currency: 'USD' })).toEqual(byCurrency);
    });

    it('shows the ledger: a direct posting and a hold on the wallet account change balance, frozen and total', async () => {
      const sb = await makeSandbox();
      await asMerchant(sb, ({ tx, tenant, now }) => {
        post(tx, { tenantId: tenant.id, accountId: LEDGER.wallet('USD'), amount: 123_456, kind: 'recharge', ref: 'test', at: now });
        hold(tx, tenant.id, LEDGER.wallet('USD'), 25_000);
      });
      const data = await openapi(sb).ok('walletDetail', '/wallet/detail', { currency: 'USD' });
      expect(data).toMatchObject({ balance: '100984.56', frozen_balance: '250.00', total_balance: '101234.56' });
      expect(await sb.store.lookup('_accounts', MERCHANT.tenant, LEDGER.wallet('USD'))).toMatchObject({ balance: 10_123_456, held: 25_000 });
    });

    it.each([
      [{}, 1001, 'wallet_id'],
      [{ wallet_id: 'wal_0000000000000000' }, 1004, 'wallet_id'],
      [{ currency: 'EUR' }, 1004, 'currency'],
      [{ currency: 'usd' }, 1001, 'currency'],
    ])('answers an error for %j: code %i naming %s', async (fields, code, field) => {
      const sb = await makeSandbox();
      const res = await openapi(sb).call('walletDetail', '/wallet/detail', fields);
      expect(res.body.code).toBe(code);
      expect(res.body.message).toContain(field);
    });

    it('answers 1001 naming currency when it disagrees with the wallet_id', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const { wallet_id } = await api.ok('walletDetail', '/wallet/detail', { currency: 'USD' });
      const res = await api.call('walletDetail', '/wallet/detail', { wallet_id, currency: 'HKD' });
      expect(res.body).toEqual({ code: 1001, message: 'param error: currency does not match wallet_id' });
    });

    it("answers 1004 to the second merchant asking for the first merchant's wallet_id", async () => {
      const sb = await makeSandbox();
      const { wallet_id } = await openapi(sb).ok('walletDetail', '/wallet/detail', { currency: 'USD' });
      const res = await openapi(sb, SECOND).call('walletDetail', '/wallet/detail', { wallet_id });
      expect(res.body).toEqual({ code: 1004, message: 'resource not found: wallet_id not found' });
    });
  });

  describe('openapi-cn wallet/transaction/list', () => {
    it('lists the wallet movements newest first with in/out type, type, amount and time', async () => {
      const { txns, list } = await withMoves();
      const data = await list();
      expect(data.total).toBe(4);
      expect(data.list.map((t) => t.transaction_id)).toEqual(txns.map((t) => t.transaction_id).reverse());
      expect(data.list[1]).toEqual({
        transaction_id: txns[2].transaction_id,
        currency: 'USD',
        in_out_type: 2,
        transaction_type: 'fee',
        amount: '5.00',
        status: 1,
        related_id: 'ord_1',
        remark: '',
        created_at: T0 + 120_000,
      });
    });

    it.each([
      [{ currency: 'HKD' }, [3]],
      [{ in_out_type: 1 }, [1]],
      [{ in_out_type: 2, currency: 'USD' }, [2, 0]],
      [{ transaction_type: 'card_recharge' }, [0]],
      [{ related_id: 'ord_1' }, [2, 0]],
      [{ status: 1 }, [3, 2, 1, 0]],
      [{ status: 0 }, []],
      [{ start_time: T0 + 60_000 }, [3, 2, 1]],
      [{ end_time: T0 + 60_000 }, [1, 0]],
      [{ start_time: T0 + 60_000, end_time: T0 + 120_000 }, [2, 1]],
    ])('filters by %j', async (filter, expected) => {
      const { txns, list } = await withMoves();
      const data = await list(filter);
      expect(data.list.map((t) => t.transaction_id)).toEqual(expected.map((i) => txns[i].transaction_id));
      expect(data.total).toBe(expected.length);
    });

    it('pages: page 2 of size 3 holds the oldest movement, total 4', async () => {
      const { txns, list } = await withMoves();
      const data = await list({ page: 2, page_size: 3 });
      expect(data).toMatchObject({ total: 4, page: 2, page_size: 3 });
      expect(data.list.map((t) => t.transaction_id)).toEqual([txns[0].transaction_id]);
    });

    it.each([
      ['end_time', { start_time: T0 + 1, end_time: T0 }],
      ['transaction_type', { transaction_type: 'refund' }],
      ['in_out_type', { in_out_type: 0 }],
      ['start_time', { start_time: -1 }],
    ])('answers 1001 naming %s', async (field, fields) => {
      const sb = await makeSandbox();
      const res = await openapi(sb).call('walletTransactionList', '/wallet/transaction/list', fields);
      expect(res.body.code).toBe(1001);
      expect(res.body.message).toContain(field);
    });

    it("shows the second merchant none of the first merchant's movements", async () => {
      const { sb } = await withMoves();
      const data = await openapi(sb, SECOND).ok('walletTransactionList', '/wallet/transaction/list');
      expect(data).toEqual({ list: [], total: 0, page: 1, page_size: 20 });
    });

    it("reconciles: each wallet's balance is its opening balance + Σ in − Σ out of its listed transactions", async () => {
      const { api, list } = await withMoves();
      const { list: txns } = await list({ page_size: 100 });
      for (const [currency, opening] of [
        ['USD', 10_000_000],
        ['HKD', 5_000_000],
      ] as const) {
        const net = txns.filter((t) => t.currency === currency).reduce((sum, t) => sum + (t.in_out_type === 1 ? 1 : -1) * minor(t.amount), 0);
        const wallet = await api.ok('walletDetail', '/wallet/detail', { currency });
        expect(minor(wallet.balance)).toBe(opening + net);
      }
    });
  });

  describe('openapi-cn wallet/transaction/detail', () => {
    it('answers the transaction as it was recorded, and as the store holds it', async () => {
      const { sb, api, txns } = await withMoves();
      const data = await api.ok('walletTransactionDetail', '/wallet/transaction/detail', { transaction_id: txns[1].transaction_id });
      expect(data).toEqual({
        transaction_id: txns[1].transaction_id,
        currency: 'USD',
        in_out_type: 1,
        transaction_type: 'card_cancel_refund',
        amount: '40.00',
        status: 1,
        related_id: 'card_1',
        remark: '',
        created_at: T0 + 60_000,
      });
      expect(await sb.store.lookup(WALLET_TXNS, MERCHANT.tenant, txns[1].transaction_id)).toMatchObject({ amount: 4_000, in_out_type: 1 });
    });

    it('answers 1004 for an unknown transaction_id', async () => {
      const sb = await makeSandbox();
      const res = await openapi(sb).call('walletTransactionDetail', '/wallet/transaction/detail', { transaction_id: 'wtx_9999999999' });
      expect(res.body).toEqual({ code: 1004, message: 'resource not found: transaction_id not found' });
    });

    it("answers 1004 to the second merchant for the first merchant's transaction", async () => {
      const { sb, txns } = await withMoves();
      const res = await openapi(sb, SECOND).call('walletTransactionDetail', '/wallet/transaction/detail', { transaction_id: txns[0].transaction_id });
      expect(res.body.code).toBe(1004);
    });

    it('answers 1001 naming transaction_id when it is missing', async () => {
      const sb = await makeSandbox();
      const res = await openapi(sb).call('walletTransactionDetail', '/wallet/transaction/detail');
      expect(res.body).toEqual({ code: 1001, message: "param error: transaction_id must have required property 'transaction_id'" });
    });
  });

  describe('openapi-cn wallet/exchangeRate', () => {
    it.each([
      ['USD', 'HKD', '7.8100'],
      ['HKD', 'USD', '0.1280'],
      ['USD', 'USD', '1.0000'],
      ['CNY', 'HKD', '1.0772'],
      ['EUR', 'GBP', '0.8587'],
      ['SGD', 'CNY', '5.4104'],
    ])('quotes 1 %s = rate %s from the fixed table: %s', async (from_currency, to_currency, rate) => {
      const sb = await makeSandbox();
      const data = await openapi(sb).ok('walletExchangeRate', '/wallet/exchangeRate', { from_currency, to_currency });
      expect(data).toEqual({ from_currency, to_currency, rate, expire_at: T0 + 300_000 });
    });

    it.each([
      ['from_currency', { from_currency: 'JPY', to_currency: 'USD' }, 'from_currency is not a supported currency'],
      ['to_currency', { from_currency: 'USD', to_currency: 'JPY' }, 'to_currency is not a supported currency'],
      ['to_currency', { from_currency: 'USD' }, "to_currency must have required property 'to_currency'"],
      ['from_currency', { from_currency: 'usd', to_currency: 'HKD' }, 'from_currency must match pattern'],
    ])('answers 1001 naming %s', async (_field, fields, message) => {
      const sb = await makeSandbox();
      const res = await openapi(sb).call('walletExchangeRate', '/wallet/exchangeRate', fields);
      expect(res.body.code).toBe(1001);
      expect(res.body.message).toContain(message);
    });
  });
});
