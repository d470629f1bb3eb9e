/**
 * Finext transactions [DOC shape: kit_number, timestamp ms, signed amount "+10.23", CR…/DR… category,
 * detail, transaction_id, transaction_status 1 approved | 2 voided, origin_type 1 primary | 2 fee,
 * origin_id, txn_date]. They come from top-ups and their fees, and from the network simulation.
 */
import { nextSeq } from '../../core/ids.js';
import { formatSigned, type Minor } from '../../core/money.js';
import type { VendorContext } from '../../core/vendor.js';
import type * as Wire from './contract-types.js';
import { SEQ, TRANSACTIONS, type FinextTransaction } from './model.js';
import { EVENTS, emit } from './webhooks.js';

/**
 * The categories the sandbox writes and card/createTransaction accepts: CR… credits the card, DR… debits
 * it. [DOC] "CR TOP-UP" (the create-card-transaction example) and "DR FEE" (the transactions page);
 * INFERRED: the rest, for network events (Appendix I, Finext's list, is not published).
 */
export const CATEGORIES = {
  topup: 'CR TOP-UP',
  fee: 'DR FEE',
  pos: 'DR POS',
  reversal: 'CR REVERSAL',
  refund: 'CR REFUND',
  creditAdjustment: 'CR ADJUSTMENT',
  debitAdjustment: 'DR ADJUSTMENT',
} as const;

export type Category = (typeof CATEGORIES)[keyof typeof CATEGORIES];

export function isCategory(value: string): value is Category {
  return (Object.values(CATEGORIES) as string[]).includes(value);
}

export interface NewTransaction {
  kit_number: string;
  amount: Minor;
  category: Category;
  detail: string;
  transaction_id?: string;
  origin?: FinextTransaction;
  networkId?: string | null;
}

/**
 * Records transactions and sends them in one New Card Transaction Notification. The first item is a
 * primary transaction (origin_type 1) unless it names its origin; the items after it are its fees.
 */
export function record(ctx: VendorContext, items: NewTransaction[]): FinextTransaction[] {
  const created: FinextTransaction[] = [];
  for (const item of items) {
    const id = item.transaction_id ?? `FX${String(nextSeq(ctx.tx, SEQ.transaction, 1)).padStart(12, '0')}`;
    const origin = item.origin ?? created[0];
    const txn: FinextTransaction = {
      id,
      tenantId: ctx.tenant.id,
      kit_number: item.kit_number,
      timestamp: ctx.now,
      amount: item.amount,
      category: item.category,
      detail: item.detail,
      transaction_id: id,
      transaction_status: 1,
      origin_type: origin ? 2 : 1,
      origin_id: origin?.transaction_id ?? id,
      networkId: item.networkId ?? null,
    };
    ctx.tx.put(TRANSACTIONS, txn);
    created.push(txn);
  }
  emit(ctx, EVENTS.newTransaction, { transactions: created.map(render) });
  return created;
}

/** Voids approved transactions (1 → 2) and sends a Card Transaction Voided Notification. */
export function voidTransactions(ctx: VendorContext, txns: FinextTransaction[]): void {
  const approved = txns.filter((t) => t.transaction_status === 1);
  if (approved.length === 0) return;
  for (const t of approved) ctx.tx.put(TRANSACTIONS, { ...t, transaction_status: 2 });
  emit(ctx, EVENTS.transactionVoided, { transaction_ids: approved.map((t) => t.transaction_id) });
}

export function render(t: FinextTransaction): Wire.Transaction {
  return {
    kit_number: t.kit_number,
    timestamp: t.timestamp,
    amount: formatSigned(t.amount),
    category: t.category,
    detail: t.detail,
    transaction_id: t.transaction_id,
    transaction_status: t.transaction_status,
    origin_type: t.origin_type,
    origin_id: t.origin_id,
    txn_date: new Date(t.timestamp).toISOString().slice(0, 10),
  };
}
