/**
 * OPEN-API cards for the control plane's card listing: holder from the holder record, state changes
 * through card/active, card/freeze, card/unfreeze (physical cards only) and card/cancel.
 */
import { accountBalances, allowedActions, fullName, type ActionSpec } from '../../core/cards.js';
import { binAndLast4 } from '../../core/masking.js';
import { findAcrossTenants } from '../../core/records.js';
import type { VendorModule } from '../../core/vendor.js';
import { cardState, isVirtual, type Card } from './card-model.js';
import { PATHS } from './inferred.js';
import { CARD_MACHINE } from './machines/card.js';
import { COLLECTIONS, LEDGER } from './model.js';
import type { Holder } from './operations/holder.js';

// The docs' examples use version v1; any v<digits> is served.
const action = (name: string, event: string, operation: keyof typeof PATHS): ActionSpec<Card> => ({
  name,
  event,
  operation,
  path: `/v1/openApi${PATHS[operation]}`,
  body: (card) => ({ card_id: card.card_id }),
});
const PHYSICAL = [action('activate', 'ACTIVATE', 'cardActive'), action('freeze', 'FREEZE', 'cardFreeze'), action('unfreeze', 'UNFREEZE', 'cardUnfreeze')];
const EVERY_CARD = [action('cancel', 'CANCEL', 'cardCancel')];

export const listCards: NonNullable<VendorModule['listCards']> = (store, tenantId) =>
  findAcrossTenants<Card>(store, COLLECTIONS.cards, () => true, tenantId).map((card) => {
    const holder = store.get(COLLECTIONS.holders, card.tenantId, card.holder_id) as Holder | undefined;
    const state = cardState(card);
    return {
      tenantId: card.tenantId,
      cardId: card.card_id,
      state,
      holder: fullName(holder?.first_name, holder?.last_name),
      masked: binAndLast4(card.card_number),
      last4: card.card_number.slice(-4),
      currency: card.currency,
      balances: accountBalances(store, card.tenantId, LEDGER.card(card.card_id)),
      createdAt: card.created_at,
      actions: allowedActions(CARD_MACHINE, state, isVirtual(card) ? EVERY_CARD : [...PHYSICAL, ...EVERY_CARD], card),
    };
  });
