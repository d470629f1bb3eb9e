/**
 * Onerway Issuing (vendor slug `onerway`).
 *
 * Product:  Onerway merchant card issuing, https://docs.onerway.com/issuing/issuing-api
 * Base:     POST https://sandbox-issuer.onerway.com/api/v1/merchant/… → here /api/v1/merchant/… and
 *           /onerway/api/v1/merchant/…
 * Auth:     `ApiKey` header; 401 when missing or unknown. No request signature.
 * Envelope: {respCode: "20000", respMsg: "success", data}; business errors are HTTP 200 with data null.
 * Idempotency: `clientRequestId` on every mutation.
 *
 * INFERRED (not in the retrievable docs), each also marked where it is decided:
 *   - paths card/getCardInfo, card/getCardBalance, card/getCardSensitiveInfo, cardholder/updateCardholder,
 *     cardholder/getCardholder, cardholder/getCardholderList and their fields;
 *   - the card status values PROCESSING/ACTIVE/FROZEN/TERMINATED/FAILED (machines/card.ts);
 *   - error codes for unknown cards/products and illegal card states (40000), 401/403 bodies (81000);
 *   - transaction fields after cardCurrency (merchantName, mcc, remark); cardTransactionEvent data = a
 *     queryTxnList record; operate webhooks on settlement (S/F) only;
 *   - fees (CREATE fixed, DEPOSIT in basis points), deposit limits and card counts per product (fixtures);
 *   - a terminated card's balance returns to the merchant; `_FAIL` clientRequestId suffix forces F;
 *   - idempotency keeps successful answers only; `clientRequestId` is required on the cardholder
 *     mutations too, as on every documented one (contracts/onerway/*Cardholder.request);
 *   - region/city/area-code lists are a subset, the docs' entries first (CN, US, HK; GD with SZ, GZ) and
 *     the sandbox's own ISO-3166-2-style city codes elsewhere (reference-data.ts);
 *   - request bounds: the sandbox's 1 MiB body, at most 64 fields and 32 levels of nesting, and the field
 *     lengths the docs do not give as String(n) (`$comment` beside each maxLength in contracts/onerway).
 * Not emulated: IP whitelisting (403), merchantNo of the older docs (ignored), real FX, card products list.
 */
import { findAcrossTenants } from '../../core/records.js';
import { CARDS, HISTORY, OPERATE_RECORDS, SETTINGS, SLUG, LEDGER, type Card, type OperateRecord } from './model.js';
import { canTransition } from '../../core/state-machine.js';
import { bannerLines, type VendorModule } from '../../core/vendor.js';
import { authenticate } from './auth.js';
import { envelope } from './envelope.js';
import { DEFAULT_MERCHANTS, newCredentials, seed, seedMerchants } from './fixtures.js';
import { CARD_MACHINE } from './machines/card.js';
import { MAGIC_VALUES, createCard, deposit, forceOperateRecord, operate, settleOperateRecord } from './operations/card.js';
import { getCardBalance, getCardInfo, getCardSensitiveInfo, getOperateRecordList } from './operations/card-query.js';
import { createCardholder, getCardholder, getCardholderList, updateCardholder } from './operations/cardholder.js';
import { cityList, mobileAreaCodeList, regionList } from './operations/common.js';
import { queryTxnList, renderTxn } from './operations/transaction.js';
import { timelineCard } from './timeline.js';
import { listCards } from './card-listing.js';
import { TRANSACTION_EVENT, webhooks, wrapEvent } from './webhooks.js';
import { OPENAPI_NOTES } from './openapi.js';
import { POSTMAN } from './postman.js';

export const onerway: VendorModule = {
  slug: SLUG,
  title: 'Onerway Issuing',
  basePaths: ['/api/v1/merchant'],
  credentialHeaders: ['apikey', 'x-onerway-apikey'],
  envelope,
  authenticate,
  operations: [
    createCardholder,
    updateCardholder,
    getCardholder,
    getCardholderList,
    createCard,
    operate,
    deposit,
    getOperateRecordList,
    getCardInfo,
    getCardBalance,
    getCardSensitiveInfo,
    queryTxnList,
    regionList,
    cityList,
    mobileAreaCodeList,
  ],
  jobs: { settleOperateRecord },
  magicValues: MAGIC_VALUES,
  history: HISTORY,
  openapi: OPENAPI_NOTES,
  postman: POSTMAN,
  outcomes: {
    operateRecord: {
      collection: OPERATE_RECORDS,
      id: 'operateRecordId',
      outcomes: ['success', 'failed'],
      force: forceOperateRecord,
      pendingOn: (r: OperateRecord) => (r.status === 'P' ? { cardIds: [String(r.cardId)], since: r.operateTime } : undefined),
      pendingWhile: { status: 'P' },
    },
  },
  settings: SETTINGS.rules,
  webhooks,
  network: {
    findCards(store, cardId) {
      const cards = findAcrossTenants<Card>(store, CARDS, cardId);
      return cards.map((card) => ({
        tenantId: card.tenantId,
        vendor: SLUG,
        cardId: card.id,
        accountId: LEDGER.card(card.cardId),
        currency: card.currency,
        declineReason: canTransition(CARD_MACHINE, card.cardStatus, 'AUTHORIZE') ? null : `Card status ${card.cardStatus}`,
      }));
    },
    onTransaction(ctx, txn) {
      ctx.emit(TRANSACTION_EVENT, wrapEvent(ctx, TRANSACTION_EVENT, renderTxn(txn)));
    },
  },
  seedMerchants,
  timelineCard,
  listCards,
  seed,
  newCredentials,
  credentialKeys: ['apiKey'],
  banner: (baseUrl, tenants) =>
    bannerLines(SLUG, `${baseUrl}/api/v1/merchant  (also ${baseUrl}/onerway/api/v1/merchant)`, tenants, [
      ['ApiKey', 'apiKey'],
      ['webhook secret', 'webhookSecret'],
    ]),
};

export { DEFAULT_MERCHANTS };
