/**
 * Transactions of cards [DOC: /reference/readme/card/get-card-transaction-of-cards], and how the
 * network simulation shows up in them. INFERRED: the response wrapper `{list, page, page_size, total}`;
 * an authorization is listed at once as "DR POS" (approved); a full reversal voids it (status 2, with a
 * voided notification), a partial one is a "CR REVERSAL"; a clearing for another amount adds the
 * difference as an adjustment; a refund is "CR REFUND"; declines and verifications are not listed
 * (Finext's statuses have no place for them).
 */
import type { CardTxn } from '../../../core/ledger.js';
import { defineOperation, type VendorContext } from '../../types.js';
import type * as Wire from '../contract-types.js';
import { TRANSACTIONS, type FinextTransaction } from '../model.js';
import { record, render, voidTransactions } from '../transactions.js';

export const PAGE_SIZE = 1000;

export const getAllTransactionsOfCards = defineOperation<Wire.GetAllTransactionsOfCardsRequest, Wire.GetAllTransactionsOfCardsResponse>({
  name: 'getAllTransactionsOfCards',
  path: '/card/getAllTransactionsOfCards',
  handler({ tx, tenant, body }) {
    const kits = body.kit_numbers?.length ? new Set(body.kit_numbers) : undefined;
    const from = Number(body.start_time);
    const to = Number(body.end_time);
    const all = tx
      .list<FinextTransaction>(TRANSACTIONS, tenant.id)
      .filter((t) => (!kits || kits.has(t.kit_number)) && t.timestamp >= from && t.timestamp <= to);
    const list = all.slice((body.page - 1) * PAGE_SIZE, body.page * PAGE_SIZE).map(render);
    return { list, page: body.page, page_size: PAGE_SIZE, total: all.length };
  },
});

function byNetworkId(ctx: VendorContext, networkId: string | null): FinextTransaction | undefined {
  if (!networkId) return undefined;
  return ctx.tx.list<FinextTransaction>(TRANSACTIONS, ctx.tenant.id).find((t) => t.networkId === networkId);
}

/** An approved line and the approved lines that name it as their origin. */
function linesOf(ctx: VendorContext, origin: FinextTransaction): FinextTransaction[] {
  return ctx.tx.list<FinextTransaction>(TRANSACTIONS, ctx.tenant.id).filter((t) => t.transaction_status === 1 && (t.id === origin.id || t.origin_id === origin.transaction_id));
}

/** Renders one network transaction for a Finext card with this kit number. */
export function onNetworkTransaction(ctx: VendorContext, kitNumber: string, txn: CardTxn): void {
  if (txn.status !== 'approved') return;
  const line = { kit_number: kitNumber, networkId: txn.id };
  const origin = byNetworkId(ctx, txn.originId);
  switch (txn.kind) {
    case 'authorization':
      record(ctx, [{ ...line, amount: -txn.amount, category: 'DR POS', detail: `${txn.merchantName} (MCC ${txn.mcc})` }]);
      return;
    case 'clearing': {
      // The lines already listed for the authorization (it, and any partial reversals) must add up to
      // what was cleared: the adjustment is the rest.
      const listed = origin ? linesOf(ctx, origin).reduce((sum, t) => sum + t.amount, 0) : 0;
      const difference = -txn.amount - listed;
      if (difference !== 0) record(ctx, [{ ...line, origin, amount: difference, category: difference > 0 ? 'CR ADJUSTMENT' : 'DR ADJUSTMENT', detail: `Settlement adjustment ${txn.merchantName}` }]);
      return;
    }
    case 'reversal':
      if (origin && txn.amount === -origin.amount) voidTransactions(ctx, [origin]);
      else record(ctx, [{ ...line, origin, amount: txn.amount, category: 'CR REVERSAL', detail: `Partial reversal ${txn.merchantName}` }]);
      return;
    case 'refund':
      record(ctx, [{ ...line, origin, amount: txn.amount, category: 'CR REFUND', detail: `Refund ${txn.merchantName}` }]);
      return;
    case 'verification':
      return;
  }
}
