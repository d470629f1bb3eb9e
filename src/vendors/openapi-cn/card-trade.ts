/**
 * Card trades (卡交易列表, 商户交易评分) and the network hooks behind them. The core simulates the card
 * network (POST /__sandbox/simulate/…); each of its transactions on one of this vendor's cards becomes a
 * trade with the seed's Card Trade Type and Result, and a Card Trade notify. Field names, the type
 * mapping and the score formula are INFERRED.
 */
import type { CardTxn, CardTxnKind, NetworkCard } from '../../core/ledger.js';
import { formatAmount, type Minor } from '../../core/money.js';
import type { RecordQuery } from '../../core/record-query.js';
import { canTransition } from '../../core/state-machine.js';
import type { Store } from '../../core/store.js';
import { findAcrossTenants } from '../../core/records.js';
import { defineOperation, type VendorContext } from '../../core/vendor.js';
import { cardState, findCard, type Card } from './card-model.js';
import type * as Wire from './contract-types.js';
import type { CARD_TRADE_RESULT, CARD_TRADE_TYPE } from './inferred.js';
import { CARD_MACHINE } from './machines/card.js';
import { COLLECTIONS, LEDGER, SLUG, inTimeRange, recordPage } from './model.js';
import { EVENTS, notify } from './webhooks.js';
import { PATHS } from './inferred.js';

export type TradeView = Wire.CardTradeListResponse['data']['list'][number];

export interface Trade {
  id: string;
  tenantId: string;
  trade_id: string;
  card_id: string;
  trade_type: (typeof CARD_TRADE_TYPE)[number];
  trade_result: (typeof CARD_TRADE_RESULT)[number];
  amount: Minor;
  currency: string;
  card_amount: Minor;
  card_currency: string;
  merchant_name: string;
  mcc: string;
  auth_code: string | null;
  origin_trade_id: string | null;
  fail_reason: string | null;
  trade_time: number;
}

/** INFERRED: a zero-amount verification is an auth; clearing is settle. The network raises no `fee` trades. */
const TRADE_TYPE: Record<CardTxnKind, Trade['trade_type']> = {
  authorization: 'auth',
  verification: 'auth',
  clearing: 'settle',
  reversal: 'reversal',
  refund: 'refund',
};

export function renderTrade(t: Trade): TradeView {
  const { id: _id, tenantId: _tenantId, ...view } = t;
  return { ...view, amount: formatAmount(t.amount), card_amount: formatAmount(t.card_amount) };
}

/** The card as the network sees it at each merchant holding one by that id; only an ACTIVE card may authorize. */
export function findCards(store: Store, cardId: string): NetworkCard[] {
  return findAcrossTenants<Card>(store, COLLECTIONS.cards, cardId).map((card) => {
    const state = cardState(card);
    return {
      tenantId: card.tenantId,
      vendor: SLUG,
      cardId: card.card_id,
      accountId: LEDGER.card(card.card_id),
      currency: card.currency,
      // INFERRED decline text.
      declineReason: canTransition(CARD_MACHINE, state, 'AUTHORIZE') ? null : `Card status ${state}`,
    };
  });
}

/** Records the network transaction as a trade (a decline as result `fail` with its reason) and notifies it. */
export function onNetworkTransaction(ctx: VendorContext, txn: CardTxn): void {
  const trade: Trade = {
    id: txn.id,
    tenantId: ctx.tenant.id,
    trade_id: txn.id,
    card_id: txn.cardId,
    trade_type: TRADE_TYPE[txn.kind],
    trade_result: txn.status === 'approved' ? 'success' : 'fail',
    amount: txn.amount,
    currency: txn.currency,
    card_amount: txn.cardAmount,
    card_currency: txn.cardCurrency,
    merchant_name: txn.merchantName,
    mcc: txn.mcc,
    auth_code: txn.authCode,
    origin_trade_id: txn.originId,
    fail_reason: txn.declineReason,
    trade_time: txn.createdAt,
  };
  ctx.tx.put(COLLECTIONS.trades, trade);
  notify(ctx, EVENTS.cardTrade, renderTrade(trade));
}

export const cardTradeList = defineOperation<Wire.CardTradeListRequest, Wire.CardTradeListResponse>({
  name: 'cardTradeList',
  path: PATHS.cardTradeList,
  readOnly: true,
  handler({ tx, tenant, body }) {
    const where = {
      card_id: body.card_id === undefined ? undefined : String(body.card_id),
      trade_type: body.trade_type,
      trade_result: body.trade_result,
      trade_time: inTimeRange(body),
    };
    return recordPage(tx, tenant, COLLECTIONS.trades, where, body, renderTrade);
  },
});

/**
 * INFERRED risk score, 0 (no risk) to 100, of the trades of the card and/or merchant name asked about
 * (all the merchant's trades when neither is given), from how many there are, failed, and were refunds
 * or reversals: 60 × the failed share + 40 × the refund and reversal share, rounded. Below 30 is low
 * risk, below 60 medium, else high.
 */
export function riskScore(trade_count: number, fail_count: number, return_count: number) {
  const score = trade_count === 0 ? 0 : Math.round((60 * fail_count + 40 * return_count) / trade_count);
  const risk_level: 'low' | 'medium' | 'high' = score < 30 ? 'low' : score < 60 ? 'medium' : 'high';
  return { score, risk_level, trade_count, fail_count, return_count };
}

export const cardMerchantScore = defineOperation<Wire.CardMerchantScoreRequest, Wire.CardMerchantScoreResponse>({
  name: 'cardMerchantScore',
  path: PATHS.cardMerchantScore,
  readOnly: true,
  handler({ tx, tenant, body }) {
    const cardId = body.card_id === undefined ? null : findCard(tx, tenant, body.card_id).card_id;
    // INFERRED: merchant names match whole, in any case.
    const asked = { card_id: cardId ?? undefined, merchant_name: body.merchant_name === undefined ? undefined : { caseless: body.merchant_name } };
    // How many of the trades asked about also meet `where`, counted by the store rather than read.
    const count = (where: RecordQuery['where'] = {}) =>
      tx.page<Trade>(COLLECTIONS.trades, tenant.id, { where: { ...asked, ...where }, offset: 0, limit: 0 }).total;
    const score = riskScore(count(), count({ trade_result: 'fail' }), count({ trade_type: { in: ['refund', 'reversal'] } }));
    return { card_id: cardId, merchant_name: body.merchant_name ?? null, ...score };
  },
});
