/**
 * Transactions (docs: /issuing/issuing-api/transaction-api): queryTxnList over the core network
 * transactions, plus the network hooks that render them. Note the path has no `card/` segment and
 * `cardId` is a String in these records [DOC].
 */
import { CARD_TXNS, type CardTxn, type CardTxnKind } from '../../../core/ledger.js';
import { toDecimalNumber } from '../../../core/money.js';
import { defineOperation } from '../../../core/vendor.js';
import type * as Wire from '../contract-types.js';
import { page, secondsRange } from '../model.js';

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
    // The filters are on the rendered record (renderTxn); each is said of the stored field it comes from.
    const kinds = (Object.keys(TXN_TYPE) as CardTxnKind[]).filter((k) => TXN_TYPE[k] === body.txnType);
    const where = {
      kind: body.txnType === undefined ? undefined : { in: kinds },
      status: body.txnStatus === undefined ? undefined : { in: body.txnStatus === 'S' ? ['approved'] : body.txnStatus === 'F' ? ['declined'] : [] },
      cardId: body.cardId === undefined ? undefined : String(body.cardId),
      createdAt: secondsRange(body),
    };
    return page<CardTxn, Wire.TxnRecord>(tx, CARD_TXNS, tenant, where, body, renderTxn);
  },
});
