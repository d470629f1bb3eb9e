/**
 * Wallet (钱包列表 / 钱包详情 / 交易流水列表 / 交易详情 / 获取兑换汇率). One wallet per currency; its money
 * is the ledger account LEDGER.wallet(currency), so a wallet shows whatever the ledger holds, and its
 * transactions are the ones walletMove (wallet-ledger.ts) records. Paths and fields are INFERRED
 * (VENDORS.md §A.3); the rate table is in wallet-rates.ts.
 */
import { createHash } from 'node:crypto';
import { SandboxError, invalidParam } from '../../../core/errors.js';
import { ACCOUNTS, available, getAccount, type Account } from '../../../core/ledger.js';
import { formatAmount } from '../../../core/money.js';
import { findFirst } from '../../../core/records.js';
import type { Transaction } from '../../../core/store.js';
import type { Tenant } from '../../../core/tenants.js';
import { defineOperation } from '../../../core/vendor.js';
import type * as Wire from '../contract-types.js';
import { WALLET_STATUS, PATHS } from '../inferred.js';
import { COLLECTIONS, LEDGER, byCreated, findOwned, inTimeRange, recordPage } from '../model.js';
import { renderWalletTxn, type WalletTxn } from '../wallet-ledger.js';
import { RATE_QUOTE_TTL_MS, exchangeRate } from '../wallet-rates.js';

export interface Wallet {
  id: string;
  tenantId: string;
  wallet_id: string;
  currency: string;
  status: (typeof WALLET_STATUS)[keyof typeof WALLET_STATUS];
  created_at: number;
}

const WALLET_ACCOUNT = LEDGER.wallet('');

/** A wallet record for every wallet ledger account the scenario opened (fixtures.ts funds them). */
export function seedWallets(tx: Transaction, tenantId: string, refDate: number): void {
  for (const account of tx.list<Account>(ACCOUNTS, tenantId).filter((a) => a.id.startsWith(WALLET_ACCOUNT))) {
    // INFERRED: wallet ids are "wal_" + 16 hex, stable per merchant and currency so the scenario is deterministic.
    const walletId = `wal_${createHash('sha256').update(`${tenantId}:${account.currency}`).digest('hex').slice(0, 16)}`;
    tx.put<Wallet>(COLLECTIONS.wallets, {
      id: walletId,
      tenantId,
      wallet_id: walletId,
      currency: account.currency,
      status: WALLET_STATUS.NORMAL,
      created_at: refDate,
    });
  }
}

/** The merchant's wallet in `currency`, or undefined. */
export function walletOf(tx: Transaction, tenant: Tenant, currency: string): Wallet | undefined {
  return findFirst<Wallet>(tx, tenant, COLLECTIONS.wallets, { currency });
}

/** INFERRED: 钱包详情 takes wallet_id or currency (at least one; when both, they must agree). */
function findWallet(tx: Transaction, tenant: Tenant, body: Wire.WalletDetailRequest): Wallet {
  const { wallet_id: walletId, currency } = body;
  if (walletId === undefined && currency === undefined) throw invalidParam('wallet_id', 'or currency is required');
  if (walletId === undefined) {
    const wallet = walletOf(tx, tenant, currency!);
    if (!wallet)
      throw new SandboxError('resource_not_found', {
        field: 'currency',
        detail: 'currency not found',
        diagnostic: `merchant ${tenant.id} has no ${currency} wallet`,
      });
    return wallet;
  }
  const wallet = findOwned<Wallet>(tx, tenant, COLLECTIONS.wallets, walletId, 'wallet_id');
  if (currency !== undefined && wallet.currency !== currency)
    throw invalidParam('currency', 'does not match wallet_id', `wallet ${wallet.wallet_id} holds ${wallet.currency}, not ${currency}`);
  return wallet;
}

function renderWallet(tx: Transaction, w: Wallet) {
  const account = getAccount(tx, w.tenantId, LEDGER.wallet(w.currency));
  return {
    wallet_id: w.wallet_id,
    currency: w.currency,
    status: w.status,
    balance: formatAmount(available(account)),
    frozen_balance: formatAmount(account.held),
    total_balance: formatAmount(account.balance),
    created_at: w.created_at,
  };
}

export const walletList = defineOperation<Wire.WalletListRequest, Wire.WalletListResponse>({
  name: 'walletList',
  path: PATHS.walletList,
  readOnly: true,
  handler({ tx, tenant, body }) {
    const where = { currency: body.currency, status: body.status };
    return recordPage(tx, tenant, COLLECTIONS.wallets, where, body, (w: Wallet) => renderWallet(tx, w));
  },
});

export const walletDetail = defineOperation<Wire.WalletDetailRequest, Wire.WalletDetailResponse>({
  name: 'walletDetail',
  path: PATHS.walletDetail,
  readOnly: true,
  handler({ tx, tenant, body }) {
    return renderWallet(tx, findWallet(tx, tenant, body));
  },
});

export const walletTransactionList = defineOperation<Wire.WalletTransactionListRequest, Wire.WalletTransactionListResponse>({
  name: 'walletTransactionList',
  path: PATHS.walletTransactionList,
  readOnly: true,
  handler({ tx, tenant, body }) {
    const where = {
      currency: body.currency,
      in_out_type: body.in_out_type,
      transaction_type: body.transaction_type,
      status: body.status,
      related_id: body.related_id === undefined ? undefined : String(body.related_id),
      created_at: inTimeRange(body),
    };
    return recordPage(tx, tenant, COLLECTIONS.walletTxns, where, body, renderWalletTxn, { order: byCreated({ field: 'id', descending: true }) });
  },
});

export const walletTransactionDetail = defineOperation<Wire.WalletTransactionDetailRequest, Wire.WalletTransactionDetailResponse>({
  name: 'walletTransactionDetail',
  path: PATHS.walletTransactionDetail,
  readOnly: true,
  handler: ({ tx, tenant, body }) => renderWalletTxn(findOwned<WalletTxn>(tx, tenant, COLLECTIONS.walletTxns, body.transaction_id, 'transaction_id')),
});

export const walletExchangeRate = defineOperation<Wire.WalletExchangeRateRequest, Wire.WalletExchangeRateResponse>({
  name: 'walletExchangeRate',
  path: PATHS.walletExchangeRate,
  readOnly: true,
  handler({ now, body }) {
    const rate = exchangeRate(body.from_currency, body.to_currency);
    return { from_currency: body.from_currency, to_currency: body.to_currency, rate, expire_at: now + RATE_QUOTE_TTL_MS };
  },
});

export const walletOperations = [walletList, walletDetail, walletTransactionList, walletTransactionDetail, walletExchangeRate];
