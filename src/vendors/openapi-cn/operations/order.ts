/**
 * Order (开卡 / 卡充值 / 订单列表 / 订单详情). Opening a card and recharging one are asynchronous orders
 * (order-flow.ts): the wallet pays principal + fee at once, the order is PROCESSING, and the scheduled
 * settlement credits the card or refunds the wallet. Paths, fields and rules are INFERRED (VENDORS.md
 * §A.3, §A.6); `request_no`, the client's order number, makes a repeat replay the first answer.
 */
import { SandboxError, invalidParam } from '../../../core/errors.js';
import { seededFaker } from '../../../core/faker.js';
import { nextSeq } from '../../../core/ids.js';
import { formatAmount, parseAmount, type Minor } from '../../../core/money.js';
import type { VendorContext } from '../../../core/vendor.js';
import { defineOperation } from '../../../core/vendor.js';
import { assertCardAllows, createCard, findCard, type Card } from '../card-model.js';
import type * as Wire from '../contract-types.js';
import { CARD_STATUS, ORDER_STATUS, ORDER_TYPE, PATHS } from '../inferred.js';
import { COLLECTIONS, byCreated, inTimeRange, recordPage, withCode } from '../model.js';
import { draft, settleOrder, startOrder } from '../order-flow.js';
import { findOrder, renderOrder, renderOrderSummary } from '../order-model.js';
import { findBin, findUsableBin, rechargeFee, type Bin } from './bin.js';
import { findHolder } from './holder.js';

/** INFERRED: the statuses of a holder's cards that count against the BIN's card_limit: all but cancelled and failed. */
const LIVE_STATUSES = Object.values(CARD_STATUS).filter((s) => s !== CARD_STATUS.CANCELLED && s !== CARD_STATUS.FAILED);

export const orderOpenCard = defineOperation<Wire.OrderOpenCardRequest, Wire.OrderOpenCardResponse>({
  name: 'orderOpenCard',
  path: PATHS.orderOpenCard,
  idempotencyKey: 'request_no',
  handler(ctx) {
    const { tx, tenant, now, body } = ctx;
    const bin = findUsableBin(tx, tenant, body.bin_id);
    const holder = findHolder(tx, tenant, body.holder_id);
    if (body.currency !== undefined && body.currency !== bin.currency) throw invalidParam('currency', `must be the BIN's currency ${bin.currency}`);
    // INFERRED: the initial recharge may be 0 (a card opened empty); when given it keeps the BIN's recharge limits.
    const amount = body.amount === undefined ? 0 : parseAmount(body.amount, { field: 'amount', positive: false });
    if (amount > 0) assertRechargeLimits(bin, amount);
    assertCardLimit(ctx, bin, holder.holder_id);
    const card = createCard(tx, tenant.id, seededFaker(nextSeq(tx, 'openapi-cn.card'), now), {
      bin,
      holderId: holder.holder_id,
      at: now,
      status: CARD_STATUS.OPENING,
    });
    const order = startOrder(ctx, draft(card, ORDER_TYPE.OPEN_CARD, body.request_no, amount, bin.open_fee), [
      { category: 'open_card', amount },
      { category: 'open_fee', amount: bin.open_fee },
    ]);
    return { order_id: order.order_id, card_id: card.card_id, order_status: ORDER_STATUS[order.status] };
  },
});

export const orderRecharge = defineOperation<Wire.OrderRechargeRequest, Wire.OrderRechargeResponse>({
  name: 'orderRecharge',
  path: PATHS.orderRecharge,
  idempotencyKey: 'request_no',
  handler(ctx) {
    const { tx, tenant, body } = ctx;
    const card = findCard(tx, tenant, body.card_id);
    const amount = parseAmount(body.amount, { field: 'amount' });
    assertCardAllows(card, 'RECHARGE');
    const bin = findBin(tx, tenant, card.bin_id);
    assertRechargeLimits(bin, amount);
    const fee = rechargeFee(bin, amount);
    const order = startOrder(ctx, draft(card, ORDER_TYPE.RECHARGE, body.request_no, amount, fee), [
      { category: 'card_recharge', amount },
      { category: 'recharge_fee', amount: fee },
    ]);
    return { order_id: order.order_id, card_id: card.card_id, order_status: ORDER_STATUS[order.status] };
  },
});

export const orderList = defineOperation<Wire.OrderListRequest, Wire.OrderListResponse>({
  name: 'orderList',
  path: PATHS.orderList,
  readOnly: true,
  handler({ tx, tenant, body }) {
    const where = {
      order_type: body.order_type,
      status: withCode(ORDER_STATUS, body.order_status),
      card_id: body.card_id === undefined ? undefined : String(body.card_id),
      created_at: inTimeRange(body),
    };
    return recordPage(tx, tenant, COLLECTIONS.orders, where, body, renderOrderSummary, { order: byCreated({ field: 'order_id', descending: true }) });
  },
});

export const orderDetail = defineOperation<Wire.OrderDetailRequest, Wire.OrderDetailResponse>({
  name: 'orderDetail',
  path: PATHS.orderDetail,
  readOnly: true,
  handler: ({ tx, tenant, body }) => renderOrder(findOrder(tx, tenant, body.order_id)),
});

export const orderOperations = [orderOpenCard, orderRecharge, orderList, orderDetail];
export const orderJobs = { settleOrder };

/** The BIN's per-recharge limits: 3002 outside [min_recharge, max_recharge]. */
function assertRechargeLimits(bin: Bin, amount: Minor): void {
  if (amount < bin.min_recharge)
    throw new SandboxError('amount_below_min', {
      field: 'amount',
      detail: 'amount below the BIN minimum',
      diagnostic: `amount ${formatAmount(amount)} is below BIN ${bin.bin_id}'s min_recharge ${formatAmount(bin.min_recharge)} ${bin.currency}`,
    });
  if (amount > bin.max_recharge)
    throw new SandboxError('amount_above_max', {
      field: 'amount',
      detail: 'amount above the BIN maximum',
      diagnostic: `amount ${formatAmount(amount)} is above BIN ${bin.bin_id}'s max_recharge ${formatAmount(bin.max_recharge)} ${bin.currency}`,
    });
}

/** 3002 when the holder already holds card_limit live cards on the BIN. */
function assertCardLimit({ tx, tenant }: VendorContext, bin: Bin, holderId: string): void {
  const where = { holder_id: holderId, bin_id: bin.bin_id, status: { in: LIVE_STATUSES } };
  const live = tx.page<Card>(COLLECTIONS.cards, tenant.id, { where, offset: 0, limit: 0 }).total;
  if (live >= bin.card_limit) {
    throw new SandboxError('limit_exceeded', {
      field: 'holder_id',
      detail: 'card limit reached',
      diagnostic: `holder ${holderId} already has ${live} live card(s) on BIN ${bin.bin_id}; its card_limit is ${bin.card_limit}`,
    });
  }
}
