/** Fakebank's records, its card machine and the lookups its operations share. */
import { available, getAccount } from '../../src/core/ledger.js';
import { formatAmount } from '../../src/core/money.js';
import { findOwned } from '../../src/core/records.js';
import { defineSettings } from '../../src/core/settings.js';
import { defineMachine, type HistoryEntry } from '../../src/core/state-machine.js';
import type { Transaction } from '../../src/core/store.js';
import type { Tenant } from '../../src/core/tenants.js';

export const SLUG = 'fakebank';
export const CARDS = 'fakebank.cards';
export const SEQ = { card: 'fakebank.cardId', event: 'fakebank.eventId' } as const;
export const LEDGER = { merchant: 'merchant:USD', card: (cardId: string) => `card:${cardId}` } as const;

/** PENDING until issuing settles (a job, or the control plane); ACTIVE and FROZEN toggle; AUTHORIZE and LOAD say where money may move. */
export const CARD_MACHINE = defineMachine({
  name: 'card',
  states: ['PENDING', 'ACTIVE', 'FROZEN', 'FAILED'],
  events: ['ISSUE', 'DECLINE', 'FREEZE', 'UNFREEZE', 'LOAD', 'AUTHORIZE'],
  table: {
    PENDING: { ISSUE: 'ACTIVE', DECLINE: 'FAILED' },
    ACTIVE: { FREEZE: 'FROZEN', LOAD: 'ACTIVE', AUTHORIZE: 'ACTIVE' },
    FROZEN: { UNFREEZE: 'ACTIVE', LOAD: 'FROZEN' },
    FAILED: {},
  },
});

export type CardStatus = (typeof CARD_MACHINE.states)[number];
export type CardEvent = (typeof CARD_MACHINE.events)[number];

export interface Card {
  id: string;
  tenantId: string;
  cardId: string;
  holderName: string;
  currency: string;
  status: CardStatus;
  /** The first load, moved onto the card once it is issued. */
  initialAmount: number;
  createdAt: number;
  history: HistoryEntry<CardStatus, CardEvent>[];
}

/** Sandbox knobs per merchant, declared once: rule, default and meaning. */
export const SETTINGS = defineSettings({
  issueDelayMs: { type: 'integer', default: 0, doc: 'How long a new card stays PENDING before it is issued (0: before the next request).' },
});

export const settingsOf = SETTINGS.of;

export function findCard(tx: Transaction, tenant: Tenant, cardId: string): Card {
  return findOwned<Card>(tx, tenant, CARDS, cardId, { code: 'card_not_found', field: 'cardId', what: 'card' });
}

/** A card as the wire shows it. */
export function renderCard(tx: Transaction, card: Card) {
  const account = card.status === 'PENDING' || card.status === 'FAILED' ? undefined : getAccount(tx, card.tenantId, LEDGER.card(card.cardId));
  return {
    cardId: card.cardId,
    holderName: card.holderName,
    status: card.status,
    currency: card.currency,
    balance: formatAmount(account ? available(account) : 0),
  };
}
