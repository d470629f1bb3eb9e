/**
 * Cards [DOC: /reference/readme/card/*]: activate, balance, top-up, modify operating status, replace,
 * cancel, get topup status, and create card transaction (development). Every move follows machines/card.ts; balance,
 * top-up and created transactions need an active card.
 */
import { SandboxError, invalidParam } from '../../../core/errors.js';
import { available, getAccount, post } from '../../../core/ledger.js';
import { formatAmount, parseAmount } from '../../../core/money.js';
import { transition } from '../../../core/state-machine.js';
import { defineOperation, type VendorContext } from '../../../core/vendor.js';
import type * as Wire from '../contract-types.js';
import { issueCard, merchantNetworkCards, moveCard } from '../cards.js';
import { CARD_MACHINE } from '../machines/card.js';
import { findFirst } from '../../../core/records.js';
import {
  CARDS,
  LEDGER,
  TOPUPS,
  TRANSACTIONS,
  findAccount,
  findCardById,
  findCardByKit,
  settingsOf,
  type Card,
  type FinextTransaction,
  type Topup,
} from '../model.js';
import { moveMoney, renderTopup, startTopup } from '../topups.js';
import { CATEGORIES, isCategory, record } from '../transactions.js';

type Ok = { code: 10200; msg: string; data?: undefined };

/** Causes that block the card [DOC: "Stolen/Lost" or "Fraud"]; the others report a card issue. */
const BLOCKING_CAUSES = new Set([1, 8]);
const FRAUD_FIELDS = ['issue_transaction_id', 'issue_date', 'issue_amount', 'issue_merchant', 'issue_text'] as const;

function cardOf(ctx: VendorContext & { body: { username: string; kit_number: string } }): Card {
  return findCardByKit(ctx.tx, ctx.tenant, findAccount(ctx.tx, ctx.tenant, ctx.body.username), ctx.body.kit_number);
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
  readOnly: true,
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
    const { minTopup, maxTopup } = settingsOf(tenant);
    if (amount < minTopup)
      throw new SandboxError('amount_below_min', {
        field: 'amount',
        detail: `amount below ${formatAmount(minTopup)}`,
        diagnostic: `amount ${body.amount} is below the merchant's minimum top-up ${formatAmount(minTopup)}`,
      });
    if (amount > maxTopup)
      throw new SandboxError('amount_above_max', {
        field: 'amount',
        detail: `amount above ${formatAmount(maxTopup)}`,
        diagnostic: `amount ${body.amount} is above the merchant's maximum top-up ${formatAmount(maxTopup)}`,
      });
    startTopup(ctx, card, body.transaction_id, amount, body.fund_source ?? null);
    return undefined;
  },
});

/** Get Topup Status [DOC: get-topup-status]: one of the card's top-ups by transaction_id or transaction_hash; INFERRED: when both are sent, both must name it. */
export const getTopupTransaction = defineOperation<Wire.GetTopupTransactionRequest, Wire.GetTopupTransactionResponse>({
  name: 'getTopupTransaction',
  path: '/card/getTopupTransaction',
  readOnly: true,
  handler(ctx) {
    const card = cardOf(ctx);
    const { transaction_id, transaction_hash } = ctx.body;
    if (!transaction_id && !transaction_hash) throw invalidParam('transaction_id', 'is required when transaction_hash is not set');
    // A top-up's id is its transaction_id, read by key; a transaction_hash alone names the card's oldest
    // top-up with that hash inside its `chain`, read as a page of one.
    const named = transaction_id ? ctx.tx.get<Topup>(TOPUPS, ctx.tenant.id, transaction_id) : undefined;
    const found = transaction_id
      ? named?.card_id === card.card_id && (!transaction_hash || named.chain?.transaction_hash === transaction_hash)
        ? named
        : undefined
      : findFirst<Topup>(ctx.tx, ctx.tenant, TOPUPS, { card_id: card.card_id, chain: { fields: { transaction_hash } } });
    if (!found) {
      const by = [transaction_id && `transaction_id ${transaction_id}`, transaction_hash && `transaction_hash ${transaction_hash}`]
        .filter(Boolean)
        .join(' and ');
      throw new SandboxError('resource_not_found', {
        field: transaction_id ? 'transaction_id' : 'transaction_hash',
        detail: 'top-up not found',
        diagnostic: `card ${card.kit_number} has no top-up with ${by}`,
      });
    }
    return renderTopup(found);
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
    moveMoney(ctx, LEDGER.card(card.card_id), LEDGER.card(fresh.card_id), old.balance - old.held, 'replace', fresh.card_id);
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
    moveMoney(ctx, LEDGER.card(card.card_id), LEDGER.merchant, account.balance - account.held, 'cancel', card.card_id);
    return undefined;
  },
});

/**
 * Create card transaction [DOC: "Only development is available"]: writes a transaction on a card as the
 * card network would, so it moves the balance, is listed, and is sent as a New Card Transaction
 * Notification. INFERRED: the money comes from (CR…) or goes to (DR…) outside the merchant, as a network
 * event's does; `category` is required and must be one of the sandbox's (transactions.ts CATEGORIES);
 * the card must be active; a debit may not overdraw it (10410); origin_id names a transaction of the same
 * card when origin_type is 2 and is ignored for an original (the docs' example sends "").
 */
export const createTransaction = defineOperation<Wire.CreateTransactionRequest, Ok>({
  name: 'createTransaction',
  path: '/card/createTransaction',
  handler(ctx) {
    const { tx, tenant, body } = ctx;
    // A kit the merchant holds twice (the docs' 111111) names the card that has been activated, as for the network.
    const [card, other] = merchantNetworkCards(ctx, body.kit_number);
    if (!card)
      throw new SandboxError('card_not_found', { field: 'kit_number', diagnostic: `merchant ${tenant.id} has no card with kit_number ${body.kit_number}` });
    if (other)
      throw new SandboxError('invalid_state', {
        field: 'kit_number',
        diagnostic: `merchant ${tenant.id} has two activated cards with kit_number ${body.kit_number} (${card.card_id}, ${other.card_id})`,
      });
    const category = body.category;
    if (!isCategory(category))
      throw invalidParam('category', 'is not a known category', `category ${JSON.stringify(category)} is not one of ${Object.values(CATEGORIES).join(', ')}`);
    const amount = parseAmount(body.amount, { field: 'amount' });
    let origin: FinextTransaction | undefined;
    if (body.origin_type === 2) {
      if (!body.origin_id) throw invalidParam('origin_id', 'is required when origin_type is 2');
      origin = findFirst<FinextTransaction>(tx, tenant, TRANSACTIONS, { transaction_id: body.origin_id, kit_number: card.kit_number });
      if (!origin)
        throw new SandboxError('resource_not_found', {
          field: 'origin_id',
          diagnostic: `origin_id ${body.origin_id} names no transaction of card ${card.kit_number}`,
        });
    }
    transition(CARD_MACHINE, card.state, 'AUTHORIZE');
    const signed = category.startsWith('CR ') ? amount : -amount;
    const [created] = record(ctx, [{ kit_number: card.kit_number, amount: signed, category, detail: 'Created through card/createTransaction', origin }]);
    post(tx, {
      tenantId: tenant.id,
      accountId: LEDGER.card(card.card_id),
      amount: signed,
      kind: 'createTransaction',
      ref: created.transaction_id,
      at: ctx.now,
    });
    return undefined;
  },
});
