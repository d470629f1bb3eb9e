/**
 * How an order moves money. Starting one takes its principal and fee out of the wallet into transit
 * (one wallet transaction per bill line) and submits it; the scheduled settlement then moves transit on
 * to the card and the fee account, or refunds the wallet line by line, and applies the card machine.
 * A cancel-card order takes nothing up front: its settlement refunds the card's available balance.
 */
import { SandboxError } from '../../core/errors.js';
import { ACCOUNTS, available, transfer, type Account } from '../../core/ledger.js';
import { describeMagic, isMagic, type MagicValue } from '../../core/magic.js';
import { formatAmount, type Minor } from '../../core/money.js';
import { canTransition } from '../../core/state-machine.js';
import type { VendorContext } from '../../core/vendor.js';
import { cardAccount, cardState, isVirtual, moveCard, type Card } from './card-model.js';
import { BILL_TYPE, CARD_STATUS, IN_OUT, ORDER_STATUS, ORDER_TYPE } from './inferred.js';
import { CARD_MACHINE, type CardEvent } from './machines/card.js';
import { COLLECTIONS, LEDGER, settingsOf } from './model.js';
import { moveOrder, newOrderId, type Bill, type BillCategory, type Order } from './order-model.js';
import { walletMove, type WalletTxn } from './wallet-ledger.js';

/** INFERRED sandbox test values: an open-card or recharge order fails when its request_no ends in _FAIL or its amount in .99. */
export const MAGIC_VALUES = (['orderOpenCard', 'orderRecharge'] as const).flatMap((operation) => {
  const opening = operation === 'orderOpenCard';
  const outcome = `order_status ${ORDER_STATUS.FAILED} (failed)${opening ? `; card_status ${CARD_STATUS.FAILED} (failed)` : ''}`;
  const effect = `the order settles as failed: ${opening ? 'the new card is left failed, and ' : ''}the principal and the fee go back to the wallet`;
  return [
    { operation, field: 'request_no', value: '*_FAIL', outcome, description: effect },
    { operation, field: 'amount', value: '*.99', outcome, description: effect },
  ];
}) satisfies MagicValue[];

const OPERATION_OF: Partial<Record<Order['order_type'], string>> = { [ORDER_TYPE.OPEN_CARD]: 'orderOpenCard', [ORDER_TYPE.RECHARGE]: 'orderRecharge' };

/** The remark of an order failed through the control plane (POST /__sandbox/outcomes). */
export const FORCED_FAILURE = 'Failure forced through the sandbox control plane';

/** The wallet transaction type of each bill category. */
const WALLET_TXN_TYPE: Record<BillCategory, WalletTxn['transaction_type']> = {
  open_card: 'open_card',
  open_fee: 'fee',
  card_recharge: 'card_recharge',
  recharge_fee: 'fee',
  card_cancel_refund: 'card_cancel_refund',
};

const FEE_CATEGORIES: readonly BillCategory[] = ['open_fee', 'recharge_fee'];

export interface Debit {
  category: BillCategory;
  amount: Minor;
}

/** What an order is about: everything but its status, bills and bookkeeping. */
export type OrderDraft = Pick<Order, 'request_no' | 'order_type' | 'card_id' | 'card_type' | 'bin_id' | 'holder_id' | 'currency' | 'amount' | 'fee'>;

/** What an order of `type` on `card` is about. */
export function draft(card: Card, type: Order['order_type'], requestNo: string | undefined, amount: Minor, fee: Minor): OrderDraft {
  return {
    request_no: requestNo ?? null,
    order_type: type,
    card_id: card.card_id,
    card_type: card.card_type,
    bin_id: card.bin_id,
    holder_id: card.holder_id,
    currency: card.currency,
    amount,
    fee,
  };
}

/**
 * Writes the order PENDING, takes `debits` from the wallet into transit (3001 if the wallet cannot pay
 * them all), submits it (PROCESSING, Order notify) and schedules its settlement.
 */
export function startOrder(ctx: VendorContext, draft: OrderDraft, debits: Debit[]): Order {
  assertWalletCovers(ctx, draft.currency, debits);
  const orderId = newOrderId(ctx.tx);
  const bills = debits.filter((d) => d.amount > 0).map((d) => moveBill(ctx, draft.currency, orderId, d, 'out'));
  const order: Order = {
    id: orderId,
    tenantId: ctx.tenant.id,
    order_id: orderId,
    status: 'PENDING',
    ...draft,
    remark: '',
    bills,
    created_at: ctx.now,
    updated_at: ctx.now,
    history: [],
  };
  ctx.tx.put(COLLECTIONS.orders, order);
  const submitted = moveOrder(ctx, order, 'SUBMIT');
  ctx.schedule('settleOrder', { orderId }, settingsOf(ctx.tenant).settleDelayMs);
  return submitted;
}

function assertWalletCovers(ctx: VendorContext, currency: string, debits: Debit[]): void {
  const total = debits.reduce((sum, d) => sum + d.amount, 0);
  const wallet = ctx.tx.get<Account>(ACCOUNTS, ctx.tenant.id, LEDGER.wallet(currency));
  if (total > 0 && (!wallet || available(wallet) < total)) {
    throw new SandboxError('insufficient_balance', {
      diagnostic: wallet
        ? `the ${currency} wallet has ${formatAmount(available(wallet))} available; this order needs ${formatAmount(total)} (${debits.map((d) => `${d.category} ${formatAmount(d.amount)}`).join(' + ')})`
        : `merchant ${ctx.tenant.id} has no ${currency} wallet`,
    });
  }
}

/** One bill line: the wallet movement between the wallet and transit (or the card, for a cancel refund). */
function moveBill(ctx: VendorContext, currency: string, orderId: string, d: Debit, direction: 'in' | 'out', counterpart = LEDGER.transit(currency)): Bill {
  walletMove(ctx, { currency, direction, amount: d.amount, counterpart, type: WALLET_TXN_TYPE[d.category], relatedId: orderId, remark: d.category });
  return {
    bill_type: FEE_CATEGORIES.includes(d.category) ? BILL_TYPE.FEE : BILL_TYPE.PRINCIPAL,
    in_out_type: direction === 'in' ? IN_OUT.IN : IN_OUT.OUT,
    category: d.category,
    amount: d.amount,
    currency,
  };
}

/** Why the order fails, or '' if it succeeds. */
function failureOf(order: Order, card: Card, event: CardEvent): string {
  if (order.order_type === ORDER_TYPE.CANCEL_CARD) return '';
  const magic = MAGIC_VALUES.find(
    (m) => m.operation === OPERATION_OF[order.order_type] && isMagic(m, m.field === 'amount' ? formatAmount(order.amount) : order.request_no),
  );
  if (magic) return `Simulated failure (${magic.field} ${describeMagic(magic)})`;
  return refusal(card, event);
}

function refusal(card: Card, event: CardEvent): string {
  return canTransition(CARD_MACHINE, cardState(card), event) ? '' : `Card status ${cardState(card)} does not allow ${event}`;
}

function successEvent(order: Order, card: Card): CardEvent {
  if (order.order_type === ORDER_TYPE.CANCEL_CARD) return 'CANCEL_SETTLED';
  if (order.order_type === ORDER_TYPE.RECHARGE) return 'RECHARGE';
  return isVirtual(card) ? 'OPENED_VIRTUAL' : 'OPENED_PHYSICAL';
}

/** The scheduled settlement of one order: PROCESSING → SUCCESS | FAILED, with its money and card moves. */
export function settleOrder(ctx: VendorContext, { orderId }: { orderId: string }): void {
  const order = ctx.tx.get<Order>(COLLECTIONS.orders, ctx.tenant.id, orderId);
  if (!order || order.status !== 'PROCESSING') return;
  const card = ctx.tx.get<Card>(COLLECTIONS.cards, ctx.tenant.id, order.card_id)!;
  settle(ctx, order, card, failureOf(order, card, successEvent(order, card)));
}

/**
 * Control plane: settles a PROCESSING order now as `success` or `failed`, whatever its magic values say
 * (its scheduled settlement then finds it settled). Refused when the order is settled, when a cancel-card
 * order is to fail (the sandbox has no failed cancellation) or when the card no longer allows success.
 */
export function forceOrder(ctx: VendorContext, order: Order, outcome: string): Order {
  if (order.status !== 'PROCESSING')
    throw new SandboxError('invalid_state', {
      field: 'id',
      diagnostic: `order ${order.order_id} is no longer pending (${order.status}); only a PROCESSING order can be forced`,
    });
  const card = ctx.tx.get<Card>(COLLECTIONS.cards, ctx.tenant.id, order.card_id)!;
  if (outcome === 'failed' && order.order_type === ORDER_TYPE.CANCEL_CARD) {
    throw new SandboxError('invalid_state', {
      field: 'outcome',
      diagnostic: `order ${order.order_id} cancels a card, which cannot fail in the sandbox; force "success"`,
    });
  }
  const blocked = order.order_type === ORDER_TYPE.CANCEL_CARD ? '' : refusal(card, successEvent(order, card));
  if (outcome === 'success' && blocked)
    throw new SandboxError('invalid_state', { field: 'outcome', diagnostic: `${blocked}, so order ${order.order_id} can only fail; force "failed"` });
  return settle(ctx, order, card, outcome === 'success' ? '' : FORCED_FAILURE);
}

/** Settles the order: failed with `remark` (everything refunded), or succeeded (the card credited or cancelled). */
function settle(ctx: VendorContext, order: Order, card: Card, remark: string): Order {
  const event = successEvent(order, card);
  if (remark) {
    // INFERRED: a failed order charges nothing; every line it took goes back to the wallet.
    const refunds = order.bills.map((b) => moveBill(ctx, order.currency, order.order_id, b, 'in'));
    if (order.order_type === ORDER_TYPE.OPEN_CARD) moveCard(ctx, card, 'OPEN_FAILED');
    return moveOrder(ctx, order, 'FAIL', { remark, bills: [...order.bills, ...refunds] });
  }
  if (order.order_type === ORDER_TYPE.CANCEL_CARD) {
    // INFERRED: what the card can spend is refunded; open authorizations stay held for their clearings.
    const refund = available(cardAccount(ctx.tx, card));
    const bills =
      refund > 0 ? [moveBill(ctx, order.currency, order.order_id, { category: 'card_cancel_refund', amount: refund }, 'in', LEDGER.card(card.card_id))] : [];
    moveCard(ctx, card, event);
    return moveOrder(ctx, order, 'SUCCEED', { amount: refund, bills });
  }
  const at = ctx.now;
  const ref = `order:${order.order_id}`;
  const transit = LEDGER.transit(order.currency);
  for (const [account, amount] of [
    [LEDGER.card(card.card_id), order.amount],
    [LEDGER.fees(order.currency), order.fee],
  ] as const) {
    transfer(ctx.tx, { tenantId: ctx.tenant.id, from: transit, to: account, amount, kind: 'order_settle', ref, at });
  }
  moveCard(ctx, card, event);
  return moveOrder(ctx, order, 'SUCCEED');
}
