/**
 * The order record (open card, recharge, cancel card) with its bills, its renderings (order/list,
 * order/detail and the Order notify), and the one way its status changes: moveOrder.
 */
import { nextSeq } from '../../core/ids.js';
import { formatAmount, type Minor } from '../../core/money.js';
import { applyTransition, type HistoryEntry } from '../../core/state-machine.js';
import type { Transaction } from '../../core/store.js';
import type { Tenant } from '../../core/tenants.js';
import type { VendorContext } from '../../core/vendor.js';
import type { CardType } from './card-model.js';
import type * as Wire from './contract-types.js';
import { BILL_TYPE, IN_OUT, ORDER_STATUS, ORDER_TYPE } from './inferred.js';
import { ORDER_MACHINE, type OrderEvent, type OrderState } from './machines/order.js';
import { COLLECTIONS, findOwned } from './model.js';
import { EVENTS, notify } from './webhooks.js';

export type OrderView = Wire.OrderDetailResponse['data'];
export type OrderSummary = Wire.OrderListResponse['data']['list'][number];
export type OrderType = (typeof ORDER_TYPE)[keyof typeof ORDER_TYPE];

/**
 * INFERRED: Bill Category (the seed names it; "open fee, recharge fee" per VENDORS.md §A.4). Each bill
 * line is one wallet movement of the order: principal or fee, out of the wallet or back into it.
 */
export const BILL_CATEGORY = ['open_card', 'open_fee', 'card_recharge', 'recharge_fee', 'card_cancel_refund'] as const;
export type BillCategory = (typeof BILL_CATEGORY)[number];

export interface Bill {
  bill_type: (typeof BILL_TYPE)[keyof typeof BILL_TYPE];
  in_out_type: (typeof IN_OUT)[keyof typeof IN_OUT];
  category: BillCategory;
  amount: Minor;
  currency: string;
}

export interface Order {
  id: string;
  tenantId: string;
  order_id: string;
  request_no: string | null;
  order_type: OrderType;
  status: OrderState;
  card_id: string;
  card_type: CardType;
  bin_id: string;
  holder_id: string;
  currency: string;
  /** The principal: the card's (initial) recharge, or what a cancellation refunded. */
  amount: Minor;
  fee: Minor;
  remark: string;
  bills: Bill[];
  created_at: number;
  updated_at: number;
  history: HistoryEntry<OrderState, OrderEvent>[];
}

/** INFERRED: order ids are "ord_" + a 12-digit sequence, unique across merchants. */
export function newOrderId(tx: Transaction): string {
  return `ord_${String(nextSeq(tx, 'openapi-cn.order', 1)).padStart(12, '0')}`;
}

export function renderOrderSummary(o: Order): OrderSummary {
  return {
    order_id: o.order_id,
    request_no: o.request_no,
    order_type: o.order_type,
    order_status: ORDER_STATUS[o.status],
    card_id: o.card_id,
    card_type: o.card_type,
    bin_id: o.bin_id,
    holder_id: o.holder_id,
    currency: o.currency,
    amount: formatAmount(o.amount),
    fee: formatAmount(o.fee),
    remark: o.remark,
    created_at: o.created_at,
    updated_at: o.updated_at,
  };
}

export function renderOrder(o: Order): OrderView {
  return { ...renderOrderSummary(o), bills: o.bills.map((b) => ({ ...b, amount: formatAmount(b.amount) })) };
}

/** The merchant's order, or 1004 naming order_id. */
export function findOrder(tx: Transaction, tenant: Tenant, orderId: unknown): Order {
  return findOwned<Order>(tx, tenant, COLLECTIONS.orders, orderId, 'order_id');
}

/** Applies `event` to the order, writes it with `changes`, and sends the Order notify (order/detail's rendering). */
export function moveOrder(ctx: VendorContext, order: Order, event: OrderEvent, changes: Partial<Order> = {}): Order {
  const moved: Order = { ...applyTransition(ORDER_MACHINE, order, 'status', event, ctx.now), ...changes, updated_at: ctx.now };
  ctx.tx.put(COLLECTIONS.orders, moved);
  notify(ctx, EVENTS.order, renderOrder(moved));
  return moved;
}
