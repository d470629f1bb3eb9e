/**
 * Cards [DOC: /reference/readme/card/*]: activate, balance, top-up, modify operating status, replace,
 * cancel. Every move follows machines/card.ts; balance and top-up need an active card.
 */
import { SandboxError, invalidParam } from '../../../core/errors.js';
import { available, getAccount, post } from '../../../core/ledger.js';
import { applyBasisPoints, formatAmount, parseAmount, type Minor } from '../../../core/money.js';
import { transition } from '../../../core/state-machine.js';
import { defineOperation, type VendorContext } from '../../types.js';
import type * as Wire from '../contract-types.js';
import { issueCard, moveCard } from '../cards.js';
import { CARD_MACHINE } from '../machines/card.js';
import { CARDS, LEDGER, findAccount, findCardById, findCardByKit, settingsOf, type Card } from '../model.js';
import { record } from '../transactions.js';

type Ok = { code: 10200; msg: string; data?: undefined };

/** Causes that block the card [DOC: "Stolen/Lost" or "Fraud"]; the others report a card issue. */
const BLOCKING_CAUSES = new Set([1, 8]);
const FRAUD_FIELDS = ['issue_transaction_id', 'issue_date', 'issue_amount', 'issue_merchant', 'issue_text'] as const;

function cardOf(ctx: VendorContext & { body: { username: string; kit_number: string } }): Card {
  return findCardByKit(ctx.tx, ctx.tenant, findAccount(ctx.tx, ctx.tenant, ctx.body.username), ctx.body.kit_number);
}

function move(ctx: VendorContext, from: string, to: string, amount: Minor, kind: string, ref: string): void {
  if (amount === 0) return;
  post(ctx.tx, { tenantId: ctx.tenant.id, accountId: from, amount: -amount, kind, ref, at: ctx.now });
  post(ctx.tx, { tenantId: ctx.tenant.id, accountId: to, amount, kind, ref, at: ctx.now });
}

export const activeCard = defineOperation<Wire.ActiveCardRequest, Ok>({
  name: 'activeCard',
  path: '/card/active',
  handler(ctx) {
    const card = cardOf(ctx);
    ctx.tx.put(CARDS, { ...moveCard(ctx, card, 'ACTIVATE'), pin: ctx.body.pin });
    return undefined;
  },
});

export const balance = defineOperation<Wire.BalanceRequest, Wire.BalanceResponse>({
  name: 'balance',
  path: '/card/balance',
  handler(ctx) {
    const card = cardOf(ctx);
    transition(CARD_MACHINE, card.state, 'BALANCE');
    // INFERRED: the balance a debit card reports is what it can spend: open authorizations are already out.
    return { balance: formatAmount(available(getAccount(ctx.tx, ctx.tenant.id, LEDGER.card(card.card_id)))) };
  },
});

export const topup = defineOperation<Wire.TopupRequest, Ok>({
  name: 'topup',
  path: '/card/topup',
  idempotencyKey: 'transaction_id',
  handler(ctx) {
    const { tenant, body } = ctx;
    const card = cardOf(ctx);
    transition(CARD_MACHINE, card.state, 'TOPUP');
    const amount = parseAmount(body.amount, { field: 'amount' });
    const { minTopup, maxTopup, topupFeeBps } = settingsOf(tenant);
    if (amount < minTopup) throw new SandboxError('amount_below_min', { field: 'amount', detail: `amount below ${formatAmount(minTopup)}`, diagnostic: `amount ${body.amount} is below the merchant's minimum top-up ${formatAmount(minTopup)}` });
    if (amount > maxTopup) throw new SandboxError('amount_above_max', { field: 'amount', detail: `amount above ${formatAmount(maxTopup)}`, diagnostic: `amount ${body.amount} is above the merchant's maximum top-up ${formatAmount(maxTopup)}` });
    const fee = applyBasisPoints(amount, topupFeeBps);
    const cardAccount = LEDGER.card(card.card_id);
    move(ctx, LEDGER.merchant, cardAccount, amount, 'topup', body.transaction_id);
    move(ctx, cardAccount, LEDGER.fees, fee, 'topup_fee', body.transaction_id);
    record(ctx, [
      { kit_number: card.kit_number, amount, category: 'CR TOPUP', detail: `Top-up (${body.fund_source ?? 'unspecified source'})`, transaction_id: body.transaction_id },
      ...(fee > 0 ? [{ kit_number: card.kit_number, amount: -fee, category: 'DR FEE', detail: 'Top-up fee' }] : []),
    ]);
    return undefined;
  },
});

export const modifyOpStatus = defineOperation<Wire.ModifyOpStatusRequest, Ok>({
  name: 'modifyOpStatus',
  path: '/card/modifyOpStatus',
  handler(ctx) {
    const { body } = ctx;
    if (body.op_cause_type === 8) {
      const missing = FRAUD_FIELDS.find((f) => !body[f]);
      if (missing) throw invalidParam(missing, 'is required when op_cause_type is 8 (Fraud)');
    }
    const card = findCardById(ctx.tx, ctx.tenant, findAccount(ctx.tx, ctx.tenant, body.username), body.card_id);
    const moved = moveCard(ctx, card, BLOCKING_CAUSES.has(body.op_cause_type) ? 'BLOCK' : 'REPORT_ISSUE');
    ctx.tx.put(CARDS, { ...moved, opCause: body.op_cause_type });
    return undefined;
  },
});

export const replaceCard = defineOperation<Wire.ReplaceCardRequest, Wire.ReplaceCardResponse>({
  name: 'replaceCard',
  path: '/card/replace',
  handler(ctx) {
    const card = cardOf(ctx);
    if (ctx.body.replace === 2) {
      // INFERRED: refusing a replacement leaves the card as it is.
      transition(CARD_MACHINE, card.state, 'REPLACE');
      return undefined;
    }
    moveCard(ctx, card, 'REPLACE');
    const account = findAccount(ctx.tx, ctx.tenant, ctx.body.username);
    const fresh = moveCard(ctx, issueCard(ctx, account, card.card_type, card.card_level, card.card_id), 'KYC_APPROVED');
    // INFERRED: the balance follows the card to its replacement.
    const old = getAccount(ctx.tx, ctx.tenant.id, LEDGER.card(card.card_id));
    move(ctx, LEDGER.card(card.card_id), LEDGER.card(fresh.card_id), old.balance - old.held, 'replace', fresh.card_id);
    return { card_id: fresh.card_id, kit_number: fresh.kit_number };
  },
});

export const cancelCard = defineOperation<Wire.CancelCardRequest, Ok>({
  name: 'cancelCard',
  path: '/card/cancel',
  handler(ctx) {
    const card = cardOf(ctx);
    moveCard(ctx, card, 'CANCEL');
    // INFERRED: a cancelled card's free balance returns to the merchant.
    const account = getAccount(ctx.tx, ctx.tenant.id, LEDGER.card(card.card_id));
    move(ctx, LEDGER.card(card.card_id), LEDGER.merchant, account.balance - account.held, 'cancel', card.card_id);
    return undefined;
  },
});
