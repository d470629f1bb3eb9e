/** Onerway's cards for the control plane's timeline: named by `cardId` in requests, answers and webhooks. */
import { getTenant } from '../../core/tenants.js';
import type { VendorModule } from '../../core/vendor.js';
import { ACCOUNT, CARDS, type Card } from './model.js';

export const timelineCard: NonNullable<VendorModule['timelineCard']> = (store, cardId, tenantId) => {
  const card = (tenantId === undefined ? store.listAll(CARDS).find((c) => c.id === cardId) : store.get(CARDS, tenantId, cardId)) as Card | undefined;
  if (!card || !getTenant(store, card.tenantId)) return undefined;
  return { tenantId: card.tenantId, cardId: card.id, fields: ['cardId'], values: [card.id], accountIds: [ACCOUNT.card(card.cardId)], history: card.history };
};
