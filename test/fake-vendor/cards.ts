/** Fakebank's cards for the control plane's card listing: no card number; freeze and unfreeze through cards/freeze. */
import { accountBalances, allowedActions, type ActionSpec } from '../../src/core/cards.js';
import { findAcrossTenants } from '../../src/core/records.js';
import type { PendingKind, VendorModule } from '../../src/core/vendor.js';
import { CARD_MACHINE, CARDS, LEDGER, type Card } from './model.js';

const freeze = (name: string, event: string, frozen: boolean): ActionSpec<Card> => ({
  name,
  event,
  operation: 'freezeCard',
  path: '/fk/v1/cards/freeze',
  body: (card) => ({ cardId: card.cardId, frozen }),
});
const ACTIONS = [freeze('freeze', 'FREEZE', true), freeze('unfreeze', 'UNFREEZE', false)];

export const listCards: NonNullable<VendorModule['listCards']> = (store, tenantId) =>
  findAcrossTenants<Card>(store, CARDS, () => true, tenantId).map((card) => ({
    tenantId: card.tenantId,
    cardId: card.cardId,
    state: card.status,
    holder: card.holderName,
    masked: null,
    last4: null,
    currency: card.currency,
    balances: accountBalances(store, card.tenantId, LEDGER.card(card.cardId)),
    createdAt: card.createdAt,
    actions: allowedActions(CARD_MACHINE, card.status, ACTIONS, card),
  }));

/** A card is pending until it is issued or declined. */
export const pendingCard: NonNullable<PendingKind['pendingOn']> = (card: Card) =>
  card.status === 'PENDING' ? { cardIds: [card.cardId], since: card.createdAt } : undefined;
