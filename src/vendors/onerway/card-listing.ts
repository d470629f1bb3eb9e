/** Onerway's cards for the control plane's card listing: holder from the cardholder, state changes through card/operate. */
import { accountBalances, allowedActions, fullName, type ActionSpec } from '../../core/cards.js';
import { binAndLast4 } from '../../core/masking.js';
import { findAcrossTenants } from '../../core/records.js';
import type { VendorModule } from '../../core/vendor.js';
import { CARD_MACHINE } from './machines/card.js';
import { CARDHOLDERS, CARDS, LEDGER, type Card, type Cardholder } from './model.js';

const operate = (type: string): ActionSpec<Card> => ({
  name: type.toLowerCase(),
  event: type,
  operation: 'operate',
  path: '/api/v1/merchant/card/operate',
  body: (card) => ({ cardId: card.cardId, type }),
});
const ACTIONS = [operate('FREEZE'), operate('UNFREEZE'), operate('TERMINATE')];

export const listCards: NonNullable<VendorModule['listCards']> = (store, tenantId) =>
  findAcrossTenants<Card>(store, CARDS, () => true, tenantId).map((card) => {
    const holder = store.get(CARDHOLDERS, card.tenantId, String(card.cardholderId)) as Cardholder | undefined;
    return {
      tenantId: card.tenantId,
      cardId: card.id,
      state: card.cardStatus,
      holder: fullName(holder?.firstName, holder?.lastName),
      masked: card.cardNo ? binAndLast4(card.cardNo) : null,
      last4: card.cardNo ? card.cardNo.slice(-4) : null,
      currency: card.currency,
      balances: accountBalances(store, card.tenantId, LEDGER.card(card.cardId)),
      createdAt: card.createTime,
      actions: allowedActions(CARD_MACHINE, card.cardStatus, ACTIONS, card),
    };
  });
