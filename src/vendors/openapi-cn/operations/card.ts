/**
 * Card (卡列表 / 卡详情 / 卡激活 / 卡冻结 / 卡解冻 / 发起销卡 / 卡交易列表 / 商户交易评分). Only card/freeze
 * is documented [SEED]: POST with the credentials and `card_id`, answered `{"code":0,"message":"success"}`,
 * "physical cards only, virtual cards not supported". Everything else is INFERRED (VENDORS.md §A.3, §A.6):
 * unfreeze and activation are physical-only too (2003), cancellation is an order that settles later, and
 * every status change goes through machines/card.ts (2002 when it is not allowed) and sends a Card notify.
 */
import type { Faker } from '@faker-js/faker';
import { SandboxError } from '../../../core/errors.js';
import { transition } from '../../../core/state-machine.js';
import type { Transaction } from '../../../core/store.js';
import { defineOperation, type OperationContext } from '../../../core/vendor.js';
import { createCard, findCard, isVirtual, moveCard, renderCard, type Card } from '../card-model.js';
import { cardMerchantScore, cardTradeList } from '../card-trade.js';
import type * as Wire from '../contract-types.js';
import { CARD_STATUS, ORDER_TYPE, PATHS } from '../inferred.js';
import { CARD_MACHINE, type CardEvent, type CardState } from '../machines/card.js';
import { COLLECTIONS, byCreated, recordPage } from '../model.js';
import { draft, startOrder } from '../order-flow.js';
import type { Bin } from './bin.js';

export { findCards, onNetworkTransaction } from '../card-trade.js';

/** The seed's answer carries no `data`: `{"code":0,"message":"success"}`. */
type NoData<R> = R & { data?: undefined };

export const cardList = defineOperation<Wire.CardListRequest, Wire.CardListResponse>({
  name: 'cardList',
  path: PATHS.cardList,
  readOnly: true,
  handler({ tx, tenant, body }) {
    const where = {
      status: body.card_status,
      card_type: body.card_type,
      holder_id: body.holder_id === undefined ? undefined : String(body.holder_id),
      bin_id: body.bin_id === undefined ? undefined : String(body.bin_id),
    };
    // Cards opened at the same instant stay oldest first.
    return recordPage<Card, Wire.CardListResponse['data']['list'][number]>(tx, tenant, COLLECTIONS.cards, where, body, (c) => renderCard(tx, c), {
      order: byCreated(),
      oldestFirst: true,
    });
  },
});

export const cardDetail = defineOperation<Wire.CardDetailRequest, Wire.CardDetailResponse>({
  name: 'cardDetail',
  path: PATHS.cardDetail,
  readOnly: true,
  handler: ({ tx, tenant, body }) => renderCard(tx, findCard(tx, tenant, body.card_id)),
});

/** A physical card's status change: 2003 for a virtual card, 2002 when its status does not allow `event`. */
function physicalOnly(event: CardEvent, action: string) {
  return (ctx: OperationContext<{ card_id: string | number }>): undefined => {
    const card = findCard(ctx.tx, ctx.tenant, ctx.body.card_id);
    if (isVirtual(card)) {
      throw new SandboxError('not_supported', {
        field: 'card_id',
        detail: `virtual cards cannot be ${action}`,
        diagnostic: `card ${card.card_id} is virtual; ${action} applies to physical cards only`,
      });
    }
    moveCard(ctx, card, event);
    return undefined;
  };
}

export const cardActive = defineOperation<Wire.CardActiveRequest, NoData<Wire.CardActiveResponse>>({
  name: 'cardActive',
  path: PATHS.cardActive,
  handler: physicalOnly('ACTIVATE', 'activated'),
});
/** [SEED] "该功能仅支持实体卡,虚拟卡不支持" — physical cards only. */
export const cardFreeze = defineOperation<Wire.CardFreezeRequest, NoData<Wire.CardFreezeResponse>>({
  name: 'cardFreeze',
  path: PATHS.cardFreeze,
  handler: physicalOnly('FREEZE', 'frozen'),
});
export const cardUnfreeze = defineOperation<Wire.CardUnfreezeRequest, NoData<Wire.CardUnfreezeResponse>>({
  name: 'cardUnfreeze',
  path: PATHS.cardUnfreeze,
  handler: physicalOnly('UNFREEZE', 'unfrozen'),
});

/** 发起销卡 ("initiate"): the card is CANCELLING at once; its cancel order settles it CANCELLED and refunds its balance. */
export const cardCancel = defineOperation<Wire.CardCancelRequest, Wire.CardCancelResponse>({
  name: 'cardCancel',
  path: PATHS.cardCancel,
  idempotencyKey: 'request_no',
  handler(ctx) {
    const card = moveCard(ctx, findCard(ctx.tx, ctx.tenant, ctx.body.card_id), 'CANCEL');
    const order = startOrder(ctx, draft(card, ORDER_TYPE.CANCEL_CARD, ctx.body.request_no, 0, 0), []);
    return { order_id: order.order_id, card_id: card.card_id, card_status: card.status };
  },
});

export const cardOperations = [cardList, cardDetail, cardActive, cardFreeze, cardUnfreeze, cardCancel, cardTradeList, cardMerchantScore];
/** Cards settle through their orders (orderJobs). */
export const cardJobs = {};

/** The life each seeded card has had, replayed through the machine so its history is a real one. */
const SEEDED_LIVES: Record<'physicalActive' | 'virtualActive' | 'physicalFrozen', CardEvent[]> = {
  physicalActive: ['OPENED_PHYSICAL', 'ACTIVATE'],
  virtualActive: ['OPENED_VIRTUAL'],
  physicalFrozen: ['OPENED_PHYSICAL', 'ACTIVATE', 'FREEZE'],
};

/**
 * INFERRED: each merchant holds the seed's example card as an ACTIVE physical card (bin_p_usd, 50.00),
 * an ACTIVE virtual card (bin_v_usd, 100.00) and a FROZEN physical card (bin_p_usd, 20.00, on a second
 * holder so that the first can still open a physical card under the BIN's card_limit). Their balances
 * are opened on the cards themselves, not taken from the wallets.
 */
export function seedCards(tx: Transaction, tenantId: string, faker: Faker, refDate: number, example: { cardId: string; holderId: string }): void {
  const bin = (id: string) => tx.get<Bin>(COLLECTIONS.bins, tenantId, id)!;
  const otherHolder = tx.list<{ id: string; tenantId: string }>(COLLECTIONS.holders, tenantId).find((h) => h.id !== example.holderId)?.id ?? example.holderId;
  const seeded: Array<[keyof typeof SEEDED_LIVES, Bin, string, number, string?]> = [
    ['physicalActive', bin('bin_p_usd'), example.holderId, 5_000, example.cardId],
    ['virtualActive', bin('bin_v_usd'), example.holderId, 10_000],
    ['physicalFrozen', bin('bin_p_usd'), otherHolder, 2_000],
  ];
  seeded.forEach(([life, b, holderId, balance, cardId], i) => {
    const at = refDate - (seeded.length - i) * 3_600_000;
    const card = createCard(tx, tenantId, faker, { bin: b, holderId, at, status: CARD_STATUS.OPENING, cardId, balance });
    let state: CardState = 'OPENING';
    const history = SEEDED_LIVES[life].map((event) => {
      const from = state;
      state = transition(CARD_MACHINE, from, event);
      return { from, to: state, event, at };
    });
    tx.put<Card>(COLLECTIONS.cards, { ...card, status: CARD_STATUS[state], history });
  });
}
