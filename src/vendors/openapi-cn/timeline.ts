/** OPEN-API cards for the control plane's timeline: named by `card_id` in requests, answers and notifications. */
import { listTenants } from '../../core/tenants.js';
import type { VendorModule } from '../../core/vendor.js';
import type { Card } from './card-model.js';
import { COLLECTIONS, LEDGER, SLUG } from './model.js';

export const timelineCard: NonNullable<VendorModule['timelineCard']> = (store, cardId, tenantId) => {
  const tenants = listTenants(store).filter((t) => t.vendor === SLUG && (tenantId === undefined || t.id === tenantId));
  for (const tenant of tenants) {
    const card = store.get(COLLECTIONS.cards, tenant.id, cardId) as Card | undefined;
    if (card) return { tenantId: tenant.id, cardId: card.card_id, fields: ['card_id'], values: [card.card_id], accountIds: [LEDGER.card(card.card_id)], history: card.history };
  }
  return undefined;
};
