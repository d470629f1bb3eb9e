/**
 * Finext's cards for the control plane's timeline: found by card_id or kit_number, and named by either
 * (`card_id`, `card_ids` in Card Status notifications, `kit_number` in card operations and transactions).
 */
import { findAcrossTenants } from '../../core/records.js';
import type { VendorModule } from '../../core/vendor.js';
import { CARDS, LEDGER, type Card } from './model.js';

export const timelineCard: NonNullable<VendorModule['timelineCard']> = (store, cardId, tenantId) => {
  const [card] = findAcrossTenants<Card>(store, CARDS, (c) => c.card_id === cardId || c.kit_number === cardId, tenantId);
  if (!card) return undefined;
  return {
    tenantId: card.tenantId,
    cardId: card.card_id,
    fields: ['card_id', 'card_ids', 'kit_number'],
    values: [card.card_id, card.kit_number],
    accountIds: [LEDGER.card(card.card_id)],
    history: card.history,
  };
};
