/**
 * The card & wallet "OPEN-API" (vendor slug `openapi-cn`): an Apifox-hosted API whose docs name no
 * company; only the card/freeze page survives (seed 000).
 *
 * Base:     POST /{version}/openApi/<module>/<action>, any v<digits> version, also under /openapi-cn.
 * Auth:     `customer_id`, `app_id`, `key` in the body [SEED]; no signature (INFERRED).
 * Envelope: {"code":0,"message":"success","data"?} [SEED].
 *
 * INFERRED: everything else — every path but card/freeze, every enum value and error code and the
 * webhook signing, kept in inferred.ts (and listed in the README) so that they can be checked against the
 * vendor's full docs and changed in one place; the wrapper of lists {list, total, page, page_size}; the
 * state machines in machines/.
 */
import { bannerLines, type VendorModule } from '../../core/vendor.js';
import { authenticate } from './auth.js';
import { envelope } from './envelope.js';
import { DEFAULT_MERCHANTS, newCredentials, seed, seedMerchants } from './fixtures.js';
import { HISTORY } from './history.js';
import { COLLECTIONS, SETTINGS, SLUG } from './model.js';
import { MAGIC_VALUES as ORDER_MAGIC, forceOrder } from './order-flow.js';
import { renderOrder, type Order } from './order-model.js';
import { binOperations } from './operations/bin.js';
import { cardJobs, cardOperations, findCards, onNetworkTransaction } from './operations/card.js';
import { holderOperations } from './operations/holder.js';
import { orderJobs, orderOperations } from './operations/order.js';
import { payMethodOperations } from './operations/pay-method.js';
import { MAGIC_VALUES as PAYEE_MAGIC, forcePayee, payeeJobs, payeeOperations, renderPayee } from './operations/payee.js';
import { forcePayment, paymentJobs, paymentOperations, renderPayment } from './operations/payment.js';
import { MAGIC_VALUES as PAYMENT_MAGIC } from './payment-reference.js';
import { walletOperations } from './operations/wallet.js';
import { timelineCard } from './timeline.js';
import { listCards } from './card-listing.js';
import { webhooks } from './webhooks.js';
import { OPENAPI_NOTES } from './openapi.js';
import { POSTMAN } from './postman.js';

export const openapiCn: VendorModule = {
  slug: SLUG,
  title: 'OPEN-API card & wallet platform',
  basePaths: ['/:version/openApi'],
  envelope,
  authenticate,
  operations: [
    ...walletOperations,
    ...binOperations,
    ...cardOperations,
    ...orderOperations,
    ...holderOperations,
    ...payMethodOperations,
    ...payeeOperations,
    ...paymentOperations,
  ],
  jobs: { ...cardJobs, ...orderJobs, ...payeeJobs, ...paymentJobs },
  magicValues: [...ORDER_MAGIC, ...PAYEE_MAGIC, ...PAYMENT_MAGIC],
  history: HISTORY,
  openapi: OPENAPI_NOTES,
  postman: POSTMAN,
  outcomes: {
    order: {
      collection: COLLECTIONS.orders,
      id: 'order_id',
      outcomes: ['success', 'failed'],
      force: (ctx, order, outcome) => renderOrder(forceOrder(ctx, order, outcome)),
      pendingOn: (order: Order) => (order.status === 'PROCESSING' ? { cardIds: [order.card_id], since: order.created_at } : undefined),
      pendingWhile: { status: 'PROCESSING' },
    },
    payee: {
      collection: COLLECTIONS.payees,
      id: 'payee_id',
      outcomes: ['approved', 'rejected'],
      force: (ctx, payee, outcome) => renderPayee(forcePayee(ctx, payee, outcome)),
    },
    payment: {
      collection: COLLECTIONS.payments,
      id: 'payment_id',
      outcomes: ['success', 'failed', 'returned'],
      force: (ctx, payment, outcome) => renderPayment(forcePayment(ctx, payment, outcome)),
    },
  },
  settings: SETTINGS.rules,
  webhooks,
  network: { findCards, onTransaction: onNetworkTransaction },
  seedMerchants,
  timelineCard,
  listCards,
  seed,
  newCredentials,
  credentialKeys: ['customer_id', 'app_id'],
  banner: (baseUrl, tenants) =>
    bannerLines(SLUG, `${baseUrl}/v1/openApi/…  (any v<n>; also ${baseUrl}/openapi-cn/v1/openApi/…)`, tenants, [
      ['customer_id', 'customer_id'],
      ['app_id', 'app_id'],
      ['key', 'key'],
    ]),
};

export { DEFAULT_MERCHANTS };
