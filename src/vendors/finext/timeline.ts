/**
 * Finext's cards for the control plane's timeline: found by card_id or kit_number, and named by either
 * (`card_id`, `card_ids` in Card Status notifications, `kit_number` in card operations and transactions).
 */
import { getTenant } from '../../core/tenants.js';
import type { VendorModule } from '../../core/vendor.js';
import { CARDS, LEDGER, type Card } from './model.js';

export const timelineCard: NonNullable<VendorModule['timelineCard']> = (store, cardId, tenantId) => {
  const cards = (tenantId === undefined ? store.listAll(CARDS) : store.list(CARDS, tenantId)) as Card[];
  const card = cards.find((c) => c.card_id === cardId || c.kit_number === cardId);
  if (!card || !getTenant(store, card.tenantId)) return undefined;
  return {
    tenantId: card.tenantId,
    cardId: card.card_id,
    fields: ['card_id', 'card_ids', 'kit_number'],
    values: [card.card_id, card.kit_number],
    accountIds: [LEDGER.card(card.card_id)],
    history: card.history,
  };
};
