/** Card life shared by the account, KYC and card operations: issue, move through the machine, notify. */
import { SandboxError } from '../../core/errors.js';
import { nextSeq, sequenceHex } from '../../core/ids.js';
import { openAccount } from '../../core/ledger.js';
import { applyTransition } from '../../core/state-machine.js';
import type { VendorContext } from '../../core/vendor.js';
import type * as Wire from './contract-types.js';
import { CARD_MACHINE, OP_STATUS, isNotified, type CardEvent } from './machines/card.js';
import { findAll } from '../../core/records.js';
import { CARDS, CURRENCY, LEDGER, SEQ, settingsOf, type Account, type Card } from './model.js';
import { EVENTS, emit } from './webhooks.js';

/** A new card for the account, waiting for KYC (or preparing at once, for a replacement). */
export function issueCard(
  ctx: VendorContext,
  account: Account,
  cardType: Card['card_type'],
  cardLevel: Card['card_level'],
  replaces: string | null = null,
): Card {
  const card: Card = {
    id: '',
    tenantId: ctx.tenant.id,
    card_id: sequenceHex(ctx.tx, SEQ.cardId, ctx.now),
    kit_number: String(nextSeq(ctx.tx, SEQ.kit, 2000000001)),
    username: account.username,
    card_type: cardType,
    card_level: cardLevel,
    state: 'AWAITING_KYC',
    replaces,
    pin: null,
    opCause: null,
    createdAt: ctx.now,
    history: [],
  };
  card.id = card.card_id;
  ctx.tx.put(CARDS, card);
  openAccount(ctx.tx, ctx.tenant.id, LEDGER.card(card.card_id), CURRENCY);
  return card;
}

/**
 * Applies a card event; a change to an op_status the Card Status Notification documents (22, 10, 6, 8)
 * is sent as one. INFERRED: a change to any other (0, 11 card issue, 9 cancelled, 12 replaced) sends
 * nothing rather than a value the notification does not have, or a near one that would mislead (a
 * cancelled card is not a blocked one that can be replaced); each of those follows a call of the
 * merchant's own (modifyOpStatus, cancel, replace, account/create) whose answer already said so, and
 * getAccountDetails shows the op_status.
 */
export function moveCard(ctx: VendorContext, card: Card, event: CardEvent): Card {
  const next = applyTransition(CARD_MACHINE, card, 'state', event, ctx.now);
  if (next === card) return card;
  ctx.tx.put(CARDS, next);
  const opStatus = OP_STATUS[next.state];
  if (isNotified(opStatus)) emit(ctx, EVENTS.cardStatus, { card_ids: [next.card_id], op_status: opStatus });
  if (next.state === 'PREPARING') ctx.schedule('mailCard', { cardId: next.card_id }, settingsOf(ctx.tenant).mailDelayMs);
  return next;
}

/** Job: a prepared card is mailed (22 → 10). */
export function mailCard(ctx: VendorContext, { cardId }: { cardId: string }): void {
  const card = ctx.tx.get<Card>(CARDS, ctx.tenant.id, cardId);
  if (card?.state === 'PREPARING') moveCard(ctx, card, 'MAIL');
}

/** Control plane: mails a card being prepared now (22 → 10) instead of `mailDelayMs` later. */
export function forceMailing(ctx: VendorContext, card: Card): Pick<Wire.Card, 'card_id' | 'kit_number' | 'op_status'> {
  if (card.state !== 'PREPARING')
    throw new SandboxError('invalid_state', {
      field: 'id',
      diagnostic: `card ${card.card_id} is not being prepared (op_status ${OP_STATUS[card.state]}); only a card at 22 can be mailed`,
    });
  const mailed = moveCard(ctx, card, 'MAIL');
  return { card_id: mailed.card_id, kit_number: mailed.kit_number, op_status: OP_STATUS[mailed.state] };
}

export function renderCard(card: Card, balance: string): Wire.Card {
  return {
    card_id: card.card_id,
    kit_number: card.kit_number,
    op_status: OP_STATUS[card.state],
    card_type: card.card_type,
    card_level: card.card_level,
    balance,
  };
}

/** A card not yet activated has never been presented to a terminal. */
const NOT_YET_ACTIVATED = new Set<Card['state']>(['AWAITING_KYC', 'PREPARING', 'MAILED']);

/**
 * The cards the network means by `id`: the card with that card_id, else the cards with that kit_number.
 * INFERRED: the docs give kit 111111 to two accounts of one merchant (lili12's mailed card, lili111's
 * active one), so where one merchant holds a kit twice, a card never activated is not the one presented.
 */
export function networkCards(cards: Card[], id: string): Card[] {
  const byId = cards.filter((c) => c.card_id === id);
  if (byId.length) return byId;
  const byKit = cards.filter((c) => c.kit_number === id);
  return byKit.filter((c) => !NOT_YET_ACTIVATED.has(c.state) || byKit.every((o) => o === c || o.tenantId !== c.tenantId || NOT_YET_ACTIVATED.has(o.state)));
}

/**
 * `networkCards` over the merchant's cards, read by the field that names them (card_id, else kit_number)
 * rather than as the collection: the same cards, since `networkCards` looks at no other.
 */
export function merchantNetworkCards(ctx: VendorContext, id: string): Card[] {
  const byId = findAll<Card>(ctx.tx, ctx.tenant, CARDS, { card_id: id });
  return networkCards(byId.length ? byId : findAll<Card>(ctx.tx, ctx.tenant, CARDS, { kit_number: id }), id);
}
