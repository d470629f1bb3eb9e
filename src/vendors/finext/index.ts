/**
 * Finext Eastern Bank (vendor slug `finext`).
 *
 * Product:  Finext Eastern Bank card program API, https://apidocs.finexteasternbank.com/reference
 * Base:     POST /api/v1/account/…, /api/v1/card/… (and the Mastercard tree /api/v1/mastercardService/…),
 *           each also under /finext.
 * Auth:     `authorization` header, `api_key` + single-use `request_id` + 13-digit `timestamp` (±30 s)
 *           + MD5 `sign` in the body (sign.ts, auth.ts).
 * Envelope: {code: 10200, msg: "ok", data?}; other codes are ours (envelope.ts).
 *
 * INFERRED (not in the retrievable docs), each also marked where it is decided:
 *   - every error code but 10200, and the `authorization` header's meaning (an opaque token);
 *   - the sign form of create account (user);
 *   - create account's answer {username, card_id}; getAccountDetails' kyc and card fields;
 *   - op_status values for a card awaiting KYC (0), cancelled (9) and replaced (12); issues on mailed cards;
 *   - KYC moves and the review's magic id_number suffixes; kyc_status 0 before submission;
 *   - top-up limits and fee (1 %, a "DR FEE" transaction), fund_source optional; transaction_id as the
 *     top-up's idempotency key; page and page_size beside getAllTransactionsOfCards' {list, total, hasMore};
 *   - where a page's example breaks its table: updateIDProof's issued_by "aaa" and empty images, and
 *     getAllTransactions' 4-month range (3 in the table); the update call for a proof sent back;
 *   - kit 111111 held by two accounts of the default merchant, as the examples have it (networkCards);
 *   - how network events appear (DR POS, voids, adjustments, refunds); no declines listed;
 *   - webhook event names for per-event URLs, the retry schedule, and the authorization header sent;
 *   - a pending top-up holds the merchant's funds; the magic top-up amounts; no fail_reason when the card
 *     stopped taking top-ups meanwhile (topups.ts); createTransaction's money, categories and checks
 *     (operations/card.ts); no Card Status Notification for op_status 0, 11, 9, 12 (cards.ts);
 *   - getTopupTransaction's receive status for a failed top-up (topups.ts); the default scenario's frfrfr
 *     account, its cards' ids and its pending on-chain top-up (fixtures.ts);
 *   - request bounds: a 7 MiB body (two proof images), at most 64 fields and 32 levels of nesting, and
 *     every field length the docs do not give (`$comment` INFERRED beside each maxLength in contracts/finext).
 * Not emulated: the rest of create account's fields after secondary_address (cut in the docs), physical
 * delivery, PIN management beyond activation, Appendix I transaction categories.
 */
import { findAcrossTenants } from '../../core/records.js';
import { canTransition } from '../../core/state-machine.js';
import { bannerLines, type VendorModule } from '../../core/vendor.js';
import { SIGN_FORM_BY_PATH, authenticate } from './auth.js';
import { forceMailing, mailCard, networkCards } from './cards.js';
import { envelope } from './envelope.js';
import { DEFAULT_MERCHANTS, newCredentials, seed, seedMerchants } from './fixtures.js';
import { CARD_MACHINE } from './machines/card.js';
import { ACCOUNTS, CARDS, CURRENCY, HISTORY, LEDGER, SETTINGS, SLUG, TOPUPS, type Card } from './model.js';
import { createAccount, getAccountDetails } from './operations/account.js';
import { activeCard, balance, cancelCard, createTransaction, getTopupTransaction, modifyOpStatus, replaceCard, topup } from './operations/card.js';
import {
  MAGIC_VALUES,
  REVIEW_OUTCOMES,
  addAddressProof,
  addIDProof,
  forceKyc,
  renderReview,
  reviewKyc,
  updateAddressProof,
  updateIDProof,
} from './operations/kyc.js';
import { getAllTransactions, getAllTransactionsOfCards, onNetworkTransaction } from './operations/transaction.js';
import { timelineCard } from './timeline.js';
import { PENDING_ON, listCards } from './card-listing.js';
import { TOPUP_MAGIC_VALUES, forceTopup, settleTopup } from './topups.js';
import { webhooks } from './webhooks.js';
import { sign } from './sign.js';
import { OPENAPI_NOTES } from './openapi.js';
import { POSTMAN } from './postman.js';

const AUTH_FIELDS = ['api_key', 'request_id', 'timestamp', 'sign'] as const;

export const finext: VendorModule = {
  slug: SLUG,
  title: 'Finext Eastern Bank',
  // The longer base first: /api/v1 would otherwise take the Mastercard tree's paths.
  basePaths: ['/api/v1/mastercardService', '/api/v1'],
  envelope,
  authenticate,
  fingerprintIgnores: AUTH_FIELDS,
  nonceField: 'request_id',
  operations: [
    createTransaction,
    getTopupTransaction,
    createAccount,
    getAccountDetails,
    addIDProof,
    updateIDProof,
    addAddressProof,
    updateAddressProof,
    activeCard,
    balance,
    topup,
    modifyOpStatus,
    replaceCard,
    cancelCard,
    getAllTransactionsOfCards,
    getAllTransactions,
  ],
  jobs: { reviewKyc, mailCard, settleTopup },
  magicValues: [...MAGIC_VALUES, ...TOPUP_MAGIC_VALUES],
  history: HISTORY,
  openapi: OPENAPI_NOTES,
  postman: POSTMAN,
  outcomes: {
    kyc: {
      collection: ACCOUNTS,
      id: 'username',
      outcomes: Object.keys(REVIEW_OUTCOMES),
      fields: ['reason'],
      force: (ctx, account, outcome, { reason }) => renderReview(forceKyc(ctx, account, outcome, reason)),
      pendingOn: PENDING_ON.kyc,
      pendingWhile: { kycState: 'SUBMITTED' },
    },
    card: {
      collection: CARDS,
      id: 'card_id',
      outcomes: ['mailed'],
      force: (ctx, card) => forceMailing(ctx, card),
      pendingOn: PENDING_ON.card,
      pendingWhile: { state: 'PREPARING' },
    },
    topup: {
      collection: TOPUPS,
      id: 'transaction_id',
      outcomes: ['success', 'failed'],
      force: (ctx, topup, outcome) => forceTopup(ctx, topup, outcome),
      pendingOn: PENDING_ON.topup,
      pendingWhile: { status: 'PENDING' },
    },
  },
  settings: SETTINGS.rules,
  webhooks,
  network: {
    findCards(store, cardId) {
      const cards = networkCards(
        findAcrossTenants<Card>(store, CARDS, (c) => c.card_id === cardId || c.kit_number === cardId),
        cardId,
      );
      return cards.map((card) => ({
        tenantId: card.tenantId,
        vendor: SLUG,
        cardId: card.card_id,
        accountId: LEDGER.card(card.card_id),
        currency: CURRENCY,
        declineReason: canTransition(CARD_MACHINE, card.state, 'AUTHORIZE') ? null : `Card op_status is not active (${card.state})`,
      }));
    },
    onTransaction(ctx, txn) {
      const card = ctx.tx.get<Card>(CARDS, ctx.tenant.id, txn.cardId);
      if (card) onNetworkTransaction(ctx, card.kit_number, txn);
    },
  },
  timelineCard,
  listCards,
  // Proof images travel inline as base64. INFERRED: two images of at most 3 MiB of base64 each (the
  // contracts' base64 bound) and the rest of the body; the docs give no size.
  bodyLimitBytes: 7 * 1024 * 1024,
  seedMerchants,
  seed,
  newCredentials,
  credentialKeys: ['api_key'],
  banner: (baseUrl, tenants) =>
    bannerLines(SLUG, `${baseUrl}/api/v1/account|card/…  (also ${baseUrl}/finext/api/v1/…, and /api/v1/mastercardService/…)`, tenants, [
      ['api_key', 'api_key'],
      ['secret', 'secret'],
    ]),
};

export { DEFAULT_MERCHANTS };

/** The `sign` a client sends with `body` to `path` (under /api/v1), in the form that path takes: for scripts and consumers' tests. */
export function clientSign(path: string, body: Record<string, unknown>, secret: string): string {
  const text = (field: string) => String(body[field] ?? '');
  const values = {
    api_key: text('api_key'),
    username: text('username'),
    timestamp: text('timestamp'),
    secret,
    request_id: text('request_id'),
    amount: text('amount'),
  };
  return sign(SIGN_FORM_BY_PATH[path] ?? 'user', values);
}
