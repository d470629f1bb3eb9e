/** Fakebank's four operations, its issuing job, and the outcome the control plane can force on a pending card. */
import { SandboxError } from '../../src/core/errors.js';
import { nextSeq } from '../../src/core/ids.js';
import { openAccount, transfer } from '../../src/core/ledger.js';
import { isMagic, type MagicValue } from '../../src/core/magic.js';
import { parseAmount } from '../../src/core/money.js';
import { applyTransition } from '../../src/core/state-machine.js';
import { defineOperation, type VendorContext } from '../../src/core/vendor.js';
import { LEDGER, CARDS, CARD_MACHINE, SEQ, findCard, renderCard, settingsOf, type Card, type CardEvent } from './model.js';
import { STATUS_EVENT } from './webhooks.js';

export const MAGIC_VALUES: readonly MagicValue[] = [
  {
    operation: 'createCard',
    field: 'holderName',
    value: '*_DECLINE',
    outcome: 'card FAILED',
    description: 'A holder name ending in _DECLINE is declined when the card is issued.',
  },
];

function move(ctx: VendorContext, card: Card, event: CardEvent): Card {
  const next = ctx.tx.put(CARDS, applyTransition(CARD_MACHINE, card, 'status', event, ctx.now));
  if (next.status !== card.status) ctx.emit(STATUS_EVENT, { event: STATUS_EVENT, cardId: next.cardId, status: next.status, at: ctx.now });
  return next;
}

export const createCard = defineOperation<{ reference: string; holderName: string; amount: string }, { data: unknown }>({
  name: 'createCard',
  path: '/cards/create',
  idempotencyKey: 'reference',
  handler(ctx) {
    const amount = parseAmount(ctx.body.amount, { field: 'amount' });
    const cardId = `fk_card_${String(nextSeq(ctx.tx, SEQ.card, 1)).padStart(4, '0')}`;
    const card = ctx.tx.put<Card>(CARDS, {
      id: cardId,
      tenantId: ctx.tenant.id,
      cardId,
      holderName: ctx.body.holderName,
      currency: 'USD',
      status: 'PENDING',
      initialAmount: amount,
      createdAt: ctx.now,
      history: [],
    });
    ctx.schedule('issueCard', { cardId }, settingsOf(ctx.tenant).issueDelayMs);
    return renderCard(ctx.tx, card);
  },
});

export const getCard = defineOperation<{ cardId: string }, { data: unknown }>({
  name: 'getCard',
  path: '/cards/get',
  readOnly: true,
  handler: (ctx) => renderCard(ctx.tx, findCard(ctx.tx, ctx.tenant, ctx.body.cardId)),
});

export const freezeCard = defineOperation<{ cardId: string; frozen: boolean }, { data: unknown }>({
  name: 'freezeCard',
  path: '/cards/freeze',
  handler(ctx) {
    const card = findCard(ctx.tx, ctx.tenant, ctx.body.cardId);
    return renderCard(ctx.tx, move(ctx, card, ctx.body.frozen ? 'FREEZE' : 'UNFREEZE'));
  },
});

export const loadCard = defineOperation<{ reference: string; cardId: string; amount: string }, { data: unknown }>({
  name: 'loadCard',
  path: '/cards/load',
  idempotencyKey: 'reference',
  handler(ctx) {
    const card = move(ctx, findCard(ctx.tx, ctx.tenant, ctx.body.cardId), 'LOAD');
    const amount = parseAmount(ctx.body.amount, { field: 'amount' });
    transfer(ctx.tx, {
      tenantId: ctx.tenant.id,
      from: LEDGER.merchant,
      to: LEDGER.card(card.cardId),
      amount,
      kind: 'load',
      ref: ctx.body.reference,
      at: ctx.now,
    });
    return renderCard(ctx.tx, card);
  },
});

/** Issues a PENDING card: ACTIVE with its first load, or FAILED (declined) with no money moved. */
function issue(ctx: VendorContext, card: Card, declined: boolean): Card {
  if (declined) return move(ctx, card, 'DECLINE');
  openAccount(ctx.tx, ctx.tenant.id, LEDGER.card(card.cardId), card.currency);
  transfer(ctx.tx, {
    tenantId: ctx.tenant.id,
    from: LEDGER.merchant,
    to: LEDGER.card(card.cardId),
    amount: card.initialAmount,
    kind: 'issue',
    ref: card.cardId,
    at: ctx.now,
  });
  return move(ctx, card, 'ISSUE');
}

export function issueCard(ctx: VendorContext, { cardId }: { cardId: string }): void {
  const card = ctx.tx.get<Card>(CARDS, ctx.tenant.id, cardId);
  if (!card || card.status !== 'PENDING') return;
  const magic = MAGIC_VALUES.find((m) => isMagic(m, card.holderName));
  try {
    issue(ctx, card, magic !== undefined);
  } catch (error) {
    // Not enough money left for the first load: the card is declined, as the vendor would.
    if (!(error instanceof SandboxError && error.code === 'insufficient_balance')) throw error;
    move(ctx, card, 'DECLINE');
  }
}

/** POST /__sandbox/outcomes {vendor: "fakebank", kind: "card", id, outcome: "issued" | "declined"}. */
export function forceCard(ctx: VendorContext, card: Card, outcome: string): unknown {
  if (card.status !== 'PENDING') throw new SandboxError('invalid_state', { diagnostic: `card ${card.cardId} is ${card.status}, no longer PENDING` });
  return renderCard(ctx.tx, issue(ctx, card, outcome === 'declined'));
}
