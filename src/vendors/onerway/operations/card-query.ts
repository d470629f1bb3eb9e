/**
 * Card queries (docs: /issuing/issuing-api/cards/card-queries). getOperateRecordList is [DOC]; the
 * basic-info, balance and sensitive-info pages were not retrievable, so their paths and fields are
 * INFERRED (see index.ts).
 */
import { available, getAccount } from '../../../core/ledger.js';
import { toDecimalNumber } from '../../../core/money.js';
import { defineOperation } from '../../../core/vendor.js';
import type * as Wire from '../contract-types.js';
import { binAndLast4 } from '../../../core/masking.js';
import { LEDGER, OPERATE_RECORDS, findCard, page, renderOperateRecord, secondsRange, type OperateRecord } from '../model.js';

export const getOperateRecordList = defineOperation<Wire.GetOperateRecordListRequest, Wire.GetOperateRecordListResponse>({
  name: 'getOperateRecordList',
  path: '/card/getOperateRecordList',
  readOnly: true,
  handler({ tx, tenant, body }) {
    const where = { cardId: body.cardId, clientRequestId: body.clientRequestId, type: body.type, operateTime: secondsRange(body) };
    return page<OperateRecord, Wire.OperateRecord>(tx, OPERATE_RECORDS, tenant, where, body, renderOperateRecord);
  },
});

export const getCardInfo = defineOperation<Wire.GetCardInfoRequest, Wire.GetCardInfoResponse>({
  name: 'getCardInfo',
  path: '/card/getCardInfo',
  readOnly: true,
  handler({ tx, tenant, body }) {
    const card = findCard(tx, tenant, body.cardId);
    return {
      cardId: card.cardId,
      cardholderId: card.cardholderId,
      productId: card.productId,
      cardStatus: card.cardStatus,
      maskCardNo: binAndLast4(card.cardNo),
      currency: card.currency,
      createTime: card.createTime,
    };
  },
});

export const getCardBalance = defineOperation<Wire.GetCardBalanceRequest, Wire.GetCardBalanceResponse>({
  name: 'getCardBalance',
  path: '/card/getCardBalance',
  readOnly: true,
  handler({ tx, tenant, body }) {
    const card = findCard(tx, tenant, body.cardId);
    const account = getAccount(tx, tenant.id, LEDGER.card(card.cardId));
    return { cardId: card.cardId, balance: toDecimalNumber(account.balance), availableBalance: toDecimalNumber(available(account)), currency: card.currency };
  },
});

export const getCardSensitiveInfo = defineOperation<Wire.GetCardSensitiveInfoRequest, Wire.GetCardSensitiveInfoResponse>({
  name: 'getCardSensitiveInfo',
  path: '/card/getCardSensitiveInfo',
  readOnly: true,
  handler({ tx, tenant, body }) {
    const card = findCard(tx, tenant, body.cardId);
    return { cardId: card.cardId, cardNo: card.cardNo, cvv: card.cvv, expiryDate: card.expiryDate };
  },
});
