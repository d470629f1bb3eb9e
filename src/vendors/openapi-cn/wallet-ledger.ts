/**
 * Wallet money, shared by orders, cards and payments: every wallet movement is a ledger posting and a
 * wallet transaction (In Out Type, Transaction Type, Transaction Status), and a Wallet Notify webhook.
 */
import { nextSeq } from '../../core/ids.js';
import { transfer } from '../../core/ledger.js';
import { formatAmount, type Minor } from '../../core/money.js';
import type { VendorContext } from '../../core/vendor.js';
import { IN_OUT, TXN_STATUS, type WALLET_TXN_TYPE } from './inferred.js';
import { COLLECTIONS, LEDGER } from './model.js';
import { EVENTS, notify } from './webhooks.js';

export interface WalletTxn {
  id: string;
  tenantId: string;
  transaction_id: string;
  currency: string;
  in_out_type: 1 | 2;
  transaction_type: (typeof WALLET_TXN_TYPE)[number];
  /** Minor units, always positive; the direction is in_out_type. */
  amount: Minor;
  status: 0 | 1 | 2;
  /** The order, card or payment it belongs to. */
  related_id: string;
  remark: string;
  created_at: number;
}

export function renderWalletTxn(t: WalletTxn) {
  return {
    transaction_id: t.transaction_id,
    currency: t.currency,
    in_out_type: t.in_out_type,
    transaction_type: t.transaction_type,
    amount: formatAmount(t.amount),
    status: t.status,
    related_id: t.related_id,
    remark: t.remark,
    created_at: t.created_at,
  };
}

/**
 * Moves money between the wallet and another ledger account (`counterpart`), recording the wallet
 * transaction. `amount` > 0: out of the wallet (2) when `direction` is 'out', into it (1) when 'in'.
 */
export function walletMove(
  ctx: VendorContext,
  m: { currency: string; direction: 'in' | 'out'; amount: Minor; counterpart: string; type: WalletTxn['transaction_type']; relatedId: string; remark?: string },
): WalletTxn {
  const wallet = LEDGER.wallet(m.currency);
  const [from, to] = m.direction === 'out' ? [wallet, m.counterpart] : [m.counterpart, wallet];
  const ref = `${m.type}:${m.relatedId}`;
  transfer(ctx.tx, { tenantId: ctx.tenant.id, from, to, amount: m.amount, kind: m.type, ref, at: ctx.now });
  const seq = nextSeq(ctx.tx, 'openapi-cn.walletTxn', 1);
  const txn: WalletTxn = {
    id: `wtx_${String(seq).padStart(10, '0')}`,
    tenantId: ctx.tenant.id,
    transaction_id: `wtx_${String(seq).padStart(10, '0')}`,
    currency: m.currency,
    in_out_type: m.direction === 'in' ? IN_OUT.IN : IN_OUT.OUT,
    transaction_type: m.type,
    amount: m.amount,
    status: TXN_STATUS.SUCCESS,
    related_id: m.relatedId,
    remark: m.remark ?? '',
    created_at: ctx.now,
  };
  ctx.tx.put(COLLECTIONS.walletTxns, txn);
  notify(ctx, EVENTS.wallet, renderWalletTxn(txn));
  return txn;
}
