/**
 * Transactions (docs: /issuing/issuing-api/transaction-api): queryTxnList over the core network
 * transactions, plus the network hooks that render them. Note the path has no `card/` segment and
 * `cardId` is a String in these records [DOC].
 */
import { CARD_TXNS, type CardTxn, type CardTxnKind } from '../../../core/ledger.js';
import { toDecimalNumber } from '../../../core/money.js';
import { defineOperation } from '../../../core/vendor.js';
import type * as Wire from '../contract-types.js';
import { inSecondsWindow, page } from '../model.js';

const TXN_TYPE: Record<CardTxnKind, Wire.TxnRecord['txnType']> = {
  authorization: 'AUTHORIZATION',
  verification: 'VERIFICATION',
  clearing: 'CLEARING',
  reversal: 'REVERSAL',
  refund: 'REFUND',
};

export function renderTxn(t: CardTxn): Wire.TxnRecord {
  return {
    txnType: TXN_TYPE[t.kind],
    txnStatus: t.status === 'approved' ? 'S' : 'F',
    txnOrderNo: t.id,
    originTxnOrderNo: t.kind === 'refund' ? null : t.originId,
    originTxnOrderNoForRefund: t.kind === 'refund' ? t.originId : null,
    cardId: String(t.cardId),
    authTime: t.authorizedAt,
    authorizationCode: t.authCode,
    authMessageDesc: t.status === 'approved' ? 'Approved' : (t.declineReason ?? 'Declined'),
    transactionAmount: toDecimalNumber(t.amount),
    transactionCurrency: t.currency,
    transactionTime: t.createdAt,
    cardAmount: toDecimalNumber(t.cardAmount),
    cardCurrency: t.cardCurrency,
    // INFERRED: the fields after cardCurrency were cut from the docs.
    merchantName: t.merchantName,
    mcc: t.mcc,
    remark: t.declineReason ?? '',
  };
}

export const queryTxnList = defineOperation<Wire.QueryTxnListRequest, Wire.QueryTxnListResponse>({
  name: 'queryTxnList',
  path: '/queryTxnList',
  readOnly: true,
  handler({ tx, tenant, body }) {
    const inWindow = inSecondsWindow(body);
    const txns = tx
      .list<CardTxn>(CARD_TXNS, tenant.id)
      .map(renderTxn)
      .filter(
        (t) =>
          (body.txnType === undefined || t.txnType === body.txnType) &&
          (body.txnStatus === undefined || t.txnStatus === body.txnStatus) &&
          (body.cardId === undefined || t.cardId === String(body.cardId)) &&
          inWindow(t.transactionTime),
      )
      .reverse();
    return page(txns, body, (t) => t);
  },
});
