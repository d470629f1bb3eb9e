/** Onerway's cards for the control plane's timeline: named by `cardId` in requests, answers and webhooks. */
import { findAcrossTenants } from '../../core/records.js';
import type { VendorModule } from '../../core/vendor.js';
import { LEDGER, CARDS, type Card } from './model.js';

export const timelineCard: NonNullable<VendorModule['timelineCard']> = (store, cardId, tenantId) => {
  const [card] = findAcrossTenants<Card>(store, CARDS, cardId, tenantId);
  if (!card) return undefined;
  return { tenantId: card.tenantId, cardId: card.id, fields: ['cardId'], values: [card.id], accountIds: [LEDGER.card(card.cardId)], history: card.history };
};
