/**
 * The card record, its public rendering (card/detail, card/list, the Card notify), and the one way its
 * status changes: moveCard, through machines/card.ts, keeping the history and sending the Card notify.
 */
import type { Faker } from '@faker-js/faker';
import { SandboxError } from '../../core/errors.js';
import { cardNumber } from '../../core/faker.js';
import { available, getAccount, openAccount, type Account } from '../../core/ledger.js';
import { formatAmount, type Minor } from '../../core/money.js';
import { transition, type HistoryEntry } from '../../core/state-machine.js';
import type { Transaction } from '../../core/store.js';
import type { Tenant } from '../../core/tenants.js';
import type { VendorContext } from '../../core/vendor.js';
import type * as Wire from './contract-types.js';
import { CARD_STATUS, CARD_TYPE } from './inferred.js';
import { CARD_MACHINE, type CardEvent, type CardState } from './machines/card.js';
import { COLLECTIONS, LEDGER } from './model.js';
import type { Bin } from './operations/bin.js';
import { EVENTS, notify } from './webhooks.js';
import { binAndLast4 } from '../../core/masking.js';

export type CardView = Wire.CardDetailResponse['data'];
export type CardStatus = (typeof CARD_STATUS)[CardState];
export type CardType = (typeof CARD_TYPE)[keyof typeof CARD_TYPE];

/**
 * A stored card. `status` is the wire number (holder/delete reads it too); the machine works on the
 * names, which CARD_STATUS maps both ways. The full card number stays inside: nothing renders it.
 */
export interface Card {
  id: string;
  tenantId: string;
  card_id: string;
  card_number: string;
  card_type: CardType;
  bin_id: string;
  holder_id: string;
  currency: string;
  status: CardStatus;
  created_at: number;
  updated_at: number;
  history: HistoryEntry<CardState, CardEvent>[];
}

const STATE_OF = Object.fromEntries(Object.entries(CARD_STATUS).map(([name, n]) => [n, name as CardState])) as Record<CardStatus, CardState>;

export function cardState(card: Card): CardState {
  return STATE_OF[card.status];
}

export function isVirtual(card: Card): boolean {
  return card.card_type === CARD_TYPE.VIRTUAL;
}

export function cardAccount(tx: Transaction, card: Card): Account {
  return getAccount(tx, card.tenantId, LEDGER.card(card.card_id));
}

export function renderCard(tx: Transaction, card: Card): CardView {
  const account = cardAccount(tx, card);
  return {
    card_id: card.card_id,
    // INFERRED: card numbers are shown as BIN + ****** + last 4; the sandbox answers no sensitive data.
    card_number: binAndLast4(card.card_number),
    card_type: card.card_type,
    card_status: card.status,
    bin_id: card.bin_id,
    holder_id: card.holder_id,
    currency: card.currency,
    // INFERRED: balance is what the card can spend (ledger balance less open authorizations).
    balance: formatAmount(available(account)),
    hold_amount: formatAmount(account.held),
    created_at: card.created_at,
    updated_at: card.updated_at,
  };
}

/** The merchant's card, or 2001 naming card_id. */
export function findCard(tx: Transaction, tenant: Tenant, cardId: unknown): Card {
  const card = tx.get<Card>(COLLECTIONS.cards, tenant.id, String(cardId));
  if (!card)
    throw new SandboxError('card_not_found', {
      field: 'card_id',
      detail: 'card_id not found',
      diagnostic: `merchant ${tenant.id} has no card ${String(cardId)}`,
    });
  return card;
}

/** Refuses (2002) an event the card's status does not allow, without changing anything. */
export function assertCardAllows(card: Card, event: CardEvent): void {
  transition(CARD_MACHINE, cardState(card), event);
}

/**
 * Applies `event` to the card (2002 when its status does not allow it). A status change is written with
 * its history entry and announced by a Card notify rendering the card as card/detail does; a self-loop
 * (RECHARGE, AUTHORIZE) changes nothing.
 */
export function moveCard(ctx: VendorContext, card: Card, event: CardEvent): Card {
  const from = cardState(card);
  const to = transition(CARD_MACHINE, from, event);
  if (to === from) return card;
  const moved: Card = { ...card, status: CARD_STATUS[to], updated_at: ctx.now, history: [...card.history, { from, to, event, at: ctx.now }] };
  ctx.tx.put(COLLECTIONS.cards, moved);
  notify(ctx, EVENTS.card, renderCard(ctx.tx, moved));
  return moved;
}

/**
 * Writes a new card on `bin` for `holderId` with its own ledger account (opened with `balance`, for the
 * scenario). INFERRED: card ids follow the seed's `cid_` + 16 alphanumerics; the number is Luhn-valid on
 * the BIN's prefix.
 */
export function createCard(
  tx: Transaction,
  tenantId: string,
  faker: Faker,
  c: { bin: Bin; holderId: string; at: number; status: CardStatus; cardId?: string; balance?: Minor },
): Card {
  const cardId = c.cardId ?? `cid_${faker.string.alphanumeric(16)}`;
  const card: Card = {
    id: cardId,
    tenantId,
    card_id: cardId,
    card_number: cardNumber(faker, c.bin.bin),
    card_type: c.bin.card_type,
    bin_id: c.bin.bin_id,
    holder_id: c.holderId,
    currency: c.bin.currency,
    status: c.status,
    created_at: c.at,
    updated_at: c.at,
    history: [],
  };
  tx.put(COLLECTIONS.cards, card);
  openAccount(tx, tenantId, LEDGER.card(cardId), card.currency, c.balance ?? 0);
  return card;
}
