/**
 * Top-up settlement [DOC: topup-card, "There may be a delay in updating the card balance after top up";
 * webhook card-topup-status-notification: status 1 success | 2 fail, fail_reason 1 below the minimum
 * top-up, 2 received but halted (over the per-transaction maximum), 3 received but halted (the card's
 * balance limit)]. An accepted top-up is pending until the merchant's `topupSettleDelayMs` has passed
 * (0, the default: it settles within the request, as before). INFERRED: while pending, the amount is
 * held on the merchant's balance (it cannot be spent twice, and nothing has left it); success moves it to
 * the card and charges the fee (CR TOP-UP, DR FEE); failure releases it, so no money moved and no card
 * transaction is listed. Either outcome is reported by one Card Topup Status Notification.
 */
import { SandboxError } from '../../core/errors.js';
import { available, getAccount, hold, post, transfer } from '../../core/ledger.js';
import { isMagic, type MagicValue } from '../../core/magic.js';
import { applyBasisPoints, formatAmount, type Minor } from '../../core/money.js';
import { canTransition } from '../../core/state-machine.js';
import type { VendorContext } from '../../core/vendor.js';
import type * as Wire from './contract-types.js';
import { CARD_MACHINE } from './machines/card.js';
import { CARDS, LEDGER, TOPUPS, settingsOf, type Card, type Topup } from './model.js';
import { CATEGORIES, record } from './transactions.js';
import { EVENTS, emit } from './webhooks.js';

const STATUS = { SUCCESS: 1, FAILED: 2 } as const;
/** get-topup-status's card_status [DOC: 1 pending, 2 success, 3 fail]. */
const CARD_STATUS = { PENDING: 1, SUCCESS: 2, FAILED: 3 } as const satisfies Record<Topup['status'], number>;
/** get-topup-status's top_up_method [DOC: 3 Blockchain Direct, 5 FEB API topup]. */
const METHOD = { CHAIN: 3, API: 5 } as const;

/** INFERRED sandbox test values: a top-up whose amount ends in .91, .92 or .93 fails with that documented fail_reason. */
export const TOPUP_MAGIC_VALUES = [
  {
    operation: 'topup',
    field: 'amount',
    value: '*.91',
    outcome: 'status 2 (fail), fail_reason 1',
    failReason: 1,
    description: 'the top-up is accepted and then fails as below the minimum top-up: the held amount stays with the merchant and nothing reaches the card',
  },
  {
    operation: 'topup',
    field: 'amount',
    value: '*.92',
    outcome: 'status 2 (fail), fail_reason 2',
    failReason: 2,
    description: 'the top-up is accepted and then halted as above the maximum allowed per transaction: the held amount stays with the merchant',
  },
  {
    operation: 'topup',
    field: 'amount',
    value: '*.93',
    outcome: 'status 2 (fail), fail_reason 3',
    failReason: 3,
    description: "the top-up is accepted and then halted as the card's balance would exceed its limit: the held amount stays with the merchant",
  },
] as const satisfies ReadonlyArray<MagicValue & { failReason: Topup['failReason'] }>;

/** Moves money between two of the merchant's ledger accounts; the source may not overdraw. */
export function moveMoney(ctx: VendorContext, from: string, to: string, amount: Minor, kind: string, ref: string): void {
  transfer(ctx.tx, { tenantId: ctx.tenant.id, from, to, amount, kind, ref, at: ctx.now });
}

/** Writes the accepted top-up; settles it now, or holds the amount and schedules its settlement. */
export function startTopup(ctx: VendorContext, card: Card, transactionId: string, amount: Minor, fundSource: string | null): void {
  const topup: Topup = {
    id: transactionId,
    tenantId: ctx.tenant.id,
    card_id: card.card_id,
    kit_number: card.kit_number,
    amount,
    fund_source: fundSource,
    status: 'PENDING',
    failReason: null,
    chain: null,
    createdAt: ctx.now,
    settledAt: null,
  };
  const delay = settingsOf(ctx.tenant).topupSettleDelayMs;
  if (delay === 0) {
    settle(ctx, topup);
    return;
  }
  const merchant = getAccount(ctx.tx, ctx.tenant.id, LEDGER.merchant);
  if (available(merchant) < amount) {
    throw new SandboxError('insufficient_balance', {
      diagnostic: `${LEDGER.merchant} has ${formatAmount(available(merchant))} available; the top-up needs ${formatAmount(amount)}`,
    });
  }
  hold(ctx.tx, ctx.tenant.id, LEDGER.merchant, amount);
  ctx.tx.put(TOPUPS, topup);
  ctx.schedule('settleTopup', { transactionId }, delay);
}

/** Job: a pending top-up settles once `topupSettleDelayMs` has passed. */
export function settleTopup(ctx: VendorContext, { transactionId }: { transactionId: string }): void {
  const topup = ctx.tx.get<Topup>(TOPUPS, ctx.tenant.id, transactionId);
  if (topup?.status !== 'PENDING') return;
  release(ctx, topup);
  settle(ctx, topup);
}

/**
 * Control plane (POST /__sandbox/outcomes, kind `topup`): settles a pending top-up now as `success` or
 * `failed` (no fail_reason), whatever its amount says; its scheduled settlement then finds it settled.
 */
export function forceTopup(ctx: VendorContext, topup: Topup, outcome: string): Wire.GetTopupTransactionResponse['data'] {
  if (topup.status !== 'PENDING')
    throw new SandboxError('invalid_state', {
      field: 'id',
      diagnostic: `top-up ${topup.id} is no longer pending (card_status ${CARD_STATUS[topup.status]}); only a pending top-up can be forced`,
    });
  const refusal = outcome === 'success' ? cardRefusal(ctx, topup) : '';
  if (refusal) throw new SandboxError('invalid_state', { field: 'outcome', diagnostic: `${refusal}, so top-up ${topup.id} can only fail; force "failed"` });
  release(ctx, topup);
  return renderTopup(settle(ctx, topup, outcome === 'success' ? 'SUCCESS' : 'FAILED'));
}

/** Releases a pending top-up's hold on the merchant (an on-chain top-up never took the merchant's money). */
function release(ctx: VendorContext, topup: Topup): void {
  if (!topup.chain) hold(ctx.tx, ctx.tenant.id, LEDGER.merchant, -topup.amount);
}

function cardRefusal(ctx: VendorContext, topup: Topup): string {
  const card = ctx.tx.get<Card>(CARDS, ctx.tenant.id, topup.card_id);
  return card && canTransition(CARD_MACHINE, card.state, 'TOPUP') ? '' : `card ${topup.kit_number} no longer takes top-ups`;
}

/** Settles as `forced` says, else as the amount and the card decide. */
function settle(ctx: VendorContext, topup: Topup, forced?: 'SUCCESS' | 'FAILED'): Topup {
  const magic = forced ? undefined : TOPUP_MAGIC_VALUES.find((m) => isMagic(m, formatAmount(topup.amount)));
  // INFERRED: a card that stopped taking top-ups while one was pending (blocked, cancelled, replaced)
  // fails it with no fail_reason: none of the documented three fits.
  if (forced === 'FAILED' || magic || cardRefusal(ctx, topup)) return finish(ctx, { ...topup, status: 'FAILED', failReason: magic?.failReason ?? null });
  const fee = applyBasisPoints(topup.amount, settingsOf(ctx.tenant).topupFeeBps);
  const cardAccount = LEDGER.card(topup.card_id);
  // An on-chain top-up's money comes from outside the merchant, as a network credit does.
  if (topup.chain) post(ctx.tx, { tenantId: ctx.tenant.id, accountId: cardAccount, amount: topup.amount, kind: 'topup', ref: topup.id, at: ctx.now });
  else moveMoney(ctx, LEDGER.merchant, cardAccount, topup.amount, 'topup', topup.id);
  moveMoney(ctx, cardAccount, LEDGER.fees, fee, 'topup_fee', topup.id);
  record(ctx, [
    {
      kit_number: topup.kit_number,
      amount: topup.amount,
      category: CATEGORIES.topup,
      detail: `Top-up (${topup.fund_source ?? 'unspecified source'})`,
      transaction_id: topup.id,
    },
    ...(fee > 0 ? [{ kit_number: topup.kit_number, amount: -fee, category: CATEGORIES.fee, detail: 'Top-up fee' }] : []),
  ]);
  return finish(ctx, { ...topup, status: 'SUCCESS' });
}

function finish(ctx: VendorContext, topup: Topup): Topup {
  const settled = ctx.tx.put(TOPUPS, { ...topup, settledAt: ctx.now });
  const outcome =
    topup.status === 'SUCCESS' ? { status: STATUS.SUCCESS } : { status: STATUS.FAILED, ...(topup.failReason ? { fail_reason: topup.failReason } : {}) };
  emit(ctx, EVENTS.topupStatus, { card_id: topup.card_id, transaction_id: topup.id, ...outcome });
  return settled;
}

/**
 * A top-up as card/getTopupTransaction answers it [DOC field order]. INFERRED: the receive `status` is
 * 2 only for a top-up refused as below the minimum (fail_reason 1); the other failures were "received
 * but halted" (1); token fields and the hash exist only for a top-up received on chain.
 */
export function renderTopup(t: Topup): Wire.GetTopupTransactionResponse['data'] {
  const chain = t.chain;
  return {
    amount: formatAmount(t.amount),
    status: t.failReason === 1 ? STATUS.FAILED : STATUS.SUCCESS,
    ...(chain ? { token_type: chain.token_type } : {}),
    card_status: CARD_STATUS[t.status],
    top_up_method: chain ? METHOD.CHAIN : METHOD.API,
    ...(chain ? { token_amount: chain.token_amount } : {}),
    time: t.createdAt,
    transaction_id: t.id,
    ...(chain ? { transaction_hash: chain.transaction_hash } : {}),
  };
}
