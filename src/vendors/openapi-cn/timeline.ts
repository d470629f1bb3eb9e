/** OPEN-API cards for the control plane's timeline: named by `card_id` in requests, answers and notifications. */
import { findAcrossTenants } from '../../core/records.js';
import type { VendorModule } from '../../core/vendor.js';
import type { Card } from './card-model.js';
import { COLLECTIONS, LEDGER } from './model.js';

export const timelineCard: NonNullable<VendorModule['timelineCard']> = (store, cardId, tenantId) => {
  const [card] = findAcrossTenants<Card>(store, COLLECTIONS.cards, cardId, tenantId);
  if (!card) return undefined;
  return {
    tenantId: card.tenantId,
    cardId: card.card_id,
    fields: ['card_id'],
    values: [card.card_id],
    accountIds: [LEDGER.card(card.card_id)],
    history: card.history,
  };
};
