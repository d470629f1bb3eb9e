/**
 * Transactions of cards [DOC: /reference/readme/card/get-card-transaction-of-cards, `{list, total,
 * hasMore}`], of one card [DOC: /reference/readme/card/get-card-transactions], and how the network
 * simulation shows up in them. INFERRED: `page` and `page_size` beside the documented wrapper;
 * an authorization is listed at once as "DR POS" (approved); a full reversal voids it (status 2, with a
 * voided notification), a partial one is a "CR REVERSAL"; a clearing for another amount adds the
 * difference as an adjustment; a refund is "CR REFUND"; declines and verifications are not listed
 * (Finext's statuses have no place for them).
 */
import type { CardTxn } from '../../../core/ledger.js';
import { invalidParam } from '../../../core/errors.js';
import type { Minor } from '../../../core/money.js';
import { defineOperation, type VendorContext } from '../../../core/vendor.js';
import type * as Wire from '../contract-types.js';
import { findAll, findFirst } from '../../../core/records.js';
import { TRANSACTIONS, findAccount, findCardByKit, type FinextTransaction } from '../model.js';
import { record, render, voidTransactions } from '../transactions.js';
import { listPage, timeRange } from '../../../core/listing.js';

export const PAGE_SIZE = 1000;

export const getAllTransactionsOfCards = defineOperation<Wire.GetAllTransactionsOfCardsRequest, Wire.GetAllTransactionsOfCardsResponse>({
  name: 'getAllTransactionsOfCards',
  path: '/card/getAllTransactionsOfCards',
  readOnly: true,
  handler({ tx, tenant, body }) {
    const where = {
      kit_number: body.kit_numbers?.length ? { in: body.kit_numbers } : undefined,
      timestamp: timeRange(Number(body.start_time), Number(body.end_time)),
    };
    const { items, total, more } = listPage<FinextTransaction>(tx, TRANSACTIONS, tenant.id, where, body.page, PAGE_SIZE, { oldestFirst: true });
    return { list: items.map(render), page: body.page, page_size: PAGE_SIZE, total, hasMore: more };
  },
});

/**
 * INFERRED: the docs allow "up to three months" but their own example asks for 2023-01-02 to 2023-05-02,
 * so the sandbox refuses only a range longer than four calendar months.
 */
export const MAX_RANGE_MONTHS = 4;
const DAY = 86_400_000;

function monthsPast(start: string, end: string): boolean {
  const [sy, sm, sd] = start.split('-').map(Number) as [number, number, number];
  const [ey, em, ed] = end.split('-').map(Number) as [number, number, number];
  const months = ey * 12 + em - (sy * 12 + sm);
  return months > MAX_RANGE_MONTHS || (months === MAX_RANGE_MONTHS && ed > sd);
}

export const getAllTransactions = defineOperation<Wire.GetAllTransactionsRequest, Wire.GetAllTransactionsResponse>({
  name: 'getAllTransactions',
  path: '/card/getAllTransactions',
  readOnly: true,
  handler({ tx, tenant, body }) {
    const { start_date, end_date } = body;
    if (end_date < start_date) throw invalidParam('end_date', 'must not be before start_date', `end_date ${end_date} is before start_date ${start_date}`);
    if (monthsPast(start_date, end_date))
      throw invalidParam(
        'end_date',
        `must be at most ${MAX_RANGE_MONTHS} months after start_date`,
        `end_date ${end_date} is more than ${MAX_RANGE_MONTHS} months after start_date ${start_date}`,
      );
    const card = findCardByKit(tx, tenant, findAccount(tx, tenant, body.username), body.kit_number);
    // INFERRED: whole UTC days, the days txn_date names. Instants are whole ms (the clock truncates), so end_date's last is the next day's first less 1.
    const from = Date.parse(`${start_date}T00:00:00Z`);
    const to = Date.parse(`${end_date}T00:00:00Z`) + DAY - 1;
    const list = findAll<FinextTransaction>(tx, tenant, TRANSACTIONS, { kit_number: card.kit_number, timestamp: { from, to } }).map((t) => {
      const { kit_number: _card, ...item } = render(t);
      return item;
    });
    return { list };
  },
});

function byNetworkId(ctx: VendorContext, networkId: string | null): FinextTransaction | undefined {
  if (!networkId) return undefined;
  return findFirst<FinextTransaction>(ctx.tx, ctx.tenant, TRANSACTIONS, { networkId });
}

/** What the approved lines listed for `origin` add up to: it, if approved, and the approved lines that name it as their origin. */
function listedAmount(ctx: VendorContext, origin: FinextTransaction): Minor {
  const naming = findAll<FinextTransaction>(ctx.tx, ctx.tenant, TRANSACTIONS, { transaction_status: 1, origin_id: origin.transaction_id });
  const lines = origin.transaction_status === 1 && !naming.some((t) => t.id === origin.id) ? [origin, ...naming] : naming;
  return lines.reduce((sum, t) => sum + t.amount, 0);
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
      const listed = origin ? listedAmount(ctx, origin) : 0;
      const difference = -txn.amount - listed;
      if (difference !== 0)
        record(ctx, [
          {
            ...line,
            origin,
            amount: difference,
            category: difference > 0 ? 'CR ADJUSTMENT' : 'DR ADJUSTMENT',
            detail: `Settlement adjustment ${txn.merchantName}`,
          },
        ]);
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
