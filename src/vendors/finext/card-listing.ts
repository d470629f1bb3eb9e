/**
 * Finext's cards for the control plane's card listing. Finext shows no card number (a card is its
 * card_id and kit_number), so a card has no masked number; its holder is the account's profile name.
 * State changes: card/active (the person adds the pin), card/modifyOpStatus, card/cancel and card/replace.
 * INFERRED: the control plane's `block` sends op_cause_type 1 (Lost) and `report issue` 2, one cause of
 * each kind (operations/card.ts decides which causes block); the docs name no default cause.
 */
import { accountBalances, allowedActions, fullName, type ActionSpec } from '../../core/cards.js';
import { findAcrossTenants, type ReadView } from '../../core/records.js';
import type { VendorModule } from '../../core/vendor.js';
import { CARD_MACHINE } from './machines/card.js';
import { ACCOUNTS, CARDS, CURRENCY, LEDGER, type Account, type Card, type Topup } from './model.js';

const BY_KIT = (card: Card) => ({ username: card.username, kit_number: card.kit_number });
const BY_ID = (card: Card) => ({ username: card.username, card_id: card.card_id });
const ACTIONS: ActionSpec<Card>[] = [
  { name: 'activate', event: 'ACTIVATE', operation: 'activeCard', path: '/api/v1/card/active', body: BY_KIT },
  {
    name: 'block',
    event: 'BLOCK',
    operation: 'modifyOpStatus',
    path: '/api/v1/card/modifyOpStatus',
    body: (c) => ({ ...BY_ID(c), op_status: 11, op_cause_type: 1 }),
  },
  {
    name: 'report issue',
    event: 'REPORT_ISSUE',
    operation: 'modifyOpStatus',
    path: '/api/v1/card/modifyOpStatus',
    body: (c) => ({ ...BY_ID(c), op_status: 11, op_cause_type: 2 }),
  },
  { name: 'cancel', event: 'CANCEL', operation: 'cancelCard', path: '/api/v1/card/cancel', body: BY_KIT },
  { name: 'replace', event: 'REPLACE', operation: 'replaceCard', path: '/api/v1/card/replace', body: (c) => ({ ...BY_KIT(c), replace: 1 }) },
];

export const listCards: NonNullable<VendorModule['listCards']> = (store, tenantId) =>
  findAcrossTenants<Card>(store, CARDS, () => true, tenantId).map((card) => {
    const profile = (store.get(ACCOUNTS, card.tenantId, card.username) as Account | undefined)?.profile;
    return {
      tenantId: card.tenantId,
      cardId: card.card_id,
      state: card.state,
      holder: fullName(profile?.first_name, profile?.middle_name, profile?.last_name),
      masked: null,
      last4: null,
      currency: CURRENCY,
      balances: accountBalances(store, card.tenantId, LEDGER.card(card.card_id)),
      createdAt: card.createdAt,
      actions: allowedActions(CARD_MACHINE, card.state, ACTIONS, card),
    };
  });

const since = (r: { createdAt: number; history: ReadonlyArray<{ at: number }> }) => r.history.at(-1)?.at ?? r.createdAt;

/** Which cards a pending record concerns, by outcome kind: a submitted KYC its account's cards, a preparing card itself, a pending top-up its card. */
export const PENDING_ON = {
  kyc: (account: Account, store: ReadView) =>
    account.kycState !== 'SUBMITTED'
      ? undefined
      : {
          cardIds: (store.list(CARDS, account.tenantId) as Card[]).filter((c) => c.username === account.username).map((c) => c.card_id),
          since: since(account),
        },
  card: (card: Card) => (card.state === 'PREPARING' ? { cardIds: [card.card_id], since: since(card) } : undefined),
  topup: (topup: Topup) => (topup.status === 'PENDING' ? { cardIds: [topup.card_id], since: topup.createdAt } : undefined),
};
