/**
 * Fakebank (vendor slug `fakebank`): a vendor that exists only in the tests, to prove that adding a
 * vendor is its folder, its contracts, its tests and one registry line (here the tests' registry,
 * test/helpers/registered.ts, which adds it to src/vendors/index.ts's list).
 *
 * Base:     POST /fk/v1/cards/… (and /fakebank/fk/v1/cards/…)
 * Auth:     `x-fake-key`, `x-fake-timestamp` (ms, ±5 min) and `x-fake-signature`, an HMAC (auth.ts).
 * Envelope: {code: "OK", message, data}; errors {code: "E_…", message, data: null} at their own HTTP status.
 * Cards:    PENDING → ACTIVE (issued by a job, first load moved) or FAILED; ACTIVE ⇄ FROZEN; listed
 *           by the control plane (cards.ts).
 * Webhooks: card.status on every status change, card.transaction for network events; signed HMAC headers.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canTransition } from '../../src/core/state-machine.js';
import { TENANTS } from '../../src/core/tenants.js';
import type { VendorModule } from '../../src/core/vendor.js';
import { authenticate } from './auth.js';
import { listCards, pendingCard } from './cards.js';
import { envelope } from './envelope.js';
import { newCredentials, seed, seedMerchants } from './fixtures.js';
import { LEDGER, CARDS, CARD_MACHINE, SETTINGS, SLUG, type Card } from './model.js';
import { MAGIC_VALUES, createCard, forceCard, freezeCard, getCard, issueCard, loadCard } from './operations.js';
import { TRANSACTION_EVENT, webhooks } from './webhooks.js';

export const fakebank: VendorModule = {
  slug: SLUG,
  title: 'Fakebank (test vendor)',
  basePaths: ['/fk/v1'],
  contractsDir: resolve(dirname(fileURLToPath(import.meta.url)), 'contracts'),
  credentialHeaders: ['x-fake-key', 'x-fake-signature'],
  envelope,
  authenticate,
  operations: [createCard, getCard, freezeCard, loadCard],
  jobs: { issueCard },
  magicValues: MAGIC_VALUES,
  outcomes: { card: { collection: CARDS, id: 'cardId', outcomes: ['issued', 'declined'], force: forceCard, pendingOn: pendingCard } },
  settings: SETTINGS.rules,
  webhooks,
  network: {
    findCards(store, cardId) {
      const cards = (store.listAll(CARDS) as Card[]).filter(
        (c) => c.cardId === cardId && c.status !== 'PENDING' && c.status !== 'FAILED' && store.get(TENANTS, c.tenantId, c.tenantId),
      );
      return cards.map((card) => ({
        tenantId: card.tenantId,
        vendor: SLUG,
        cardId: card.cardId,
        accountId: LEDGER.card(card.cardId),
        currency: card.currency,
        declineReason: canTransition(CARD_MACHINE, card.status, 'AUTHORIZE') ? null : `card ${card.status}`,
      }));
    },
    onTransaction(ctx, txn) {
      ctx.emit(TRANSACTION_EVENT, {
        event: TRANSACTION_EVENT,
        cardId: txn.cardId,
        transactionId: txn.id,
        kind: txn.kind,
        status: txn.status,
        amount: txn.amount,
        at: ctx.now,
      });
    },
  },
  timelineCard(store, cardId, tenantId) {
    const card =
      tenantId === undefined ? (store.listAll(CARDS) as Card[]).find((c) => c.cardId === cardId) : (store.get(CARDS, tenantId, cardId) as Card | undefined);
    if (!card || !store.get(TENANTS, card.tenantId, card.tenantId)) return undefined;
    return {
      tenantId: card.tenantId,
      cardId: card.cardId,
      fields: ['cardId'],
      values: [card.cardId],
      accountIds: [LEDGER.card(card.cardId)],
      history: card.history,
    };
  },
  listCards,
  seedMerchants,
  seed,
  newCredentials,
  credentialKeys: ['key'],
  banner: (baseUrl, tenants) => [
    `  ${SLUG}    ${baseUrl}/fk/v1  (also ${baseUrl}/${SLUG}/fk/v1)`,
    ...tenants.map((t) => `              x-fake-key: ${t.credentials.key}   (${t.id})`),
  ],
};
