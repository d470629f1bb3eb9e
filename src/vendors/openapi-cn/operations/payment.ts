/**
 * Payments (付款): reason list, create, list, detail. The seed names the pages, Fee Mode and Payment
 * Status only; everything here is INFERRED. payment/create pays an APPROVED payee in its currency: the
 * rail's fixed fee (payee-reference.ts) is borne by the merchant (OUR: the wallet pays amount + fee) or
 * taken out of the amount (SHA, BEN: the wallet pays the amount, the payee receives amount − fee). The
 * wallet is debited at once into transit; the rail picks the payment up (PROCESSING) and settles it
 * `settleDelayMs` later: paid out of transit into payouts and fees, or failed and refunded (magic values
 * in payment-reference.ts). Every status change sends a Payment Notify.
 */
import { SandboxError, invalidParam } from '../../../core/errors.js';
import { sequenceHex } from '../../../core/ids.js';
import { ACCOUNTS, available, transfer, type Account } from '../../../core/ledger.js';
import { isMagic } from '../../../core/magic.js';
import { formatAmount, parseAmount, type Minor } from '../../../core/money.js';
import { applyTransition, transition, type HistoryEntry } from '../../../core/state-machine.js';
import type { Transaction } from '../../../core/store.js';
import type { Tenant } from '../../../core/tenants.js';
import { defineOperation, type VendorContext } from '../../../core/vendor.js';
import type * as Wire from '../contract-types.js';
import { PAYMENT_STATUS, type FEE_MODE, PATHS } from '../inferred.js';
import { PAYEE_MACHINE } from '../machines/payee.js';
import { PAYMENT_MACHINE, type PaymentEvent, type PaymentState } from '../machines/payment.js';
import { COLLECTIONS, LEDGER, byCreated, findOwned, inTimeRange, page, recordPage, settingsOf, withCode } from '../model.js';
import { FAIL_REASONS, MAGIC_VALUES, PAYMENT_REASONS } from '../payment-reference.js';
import { walletMove } from '../wallet-ledger.js';
import { EVENTS, notify } from '../webhooks.js';
import { findPayee } from './payee.js';
import { payMethodOf } from './pay-method.js';

export type PaymentView = Wire.PaymentDetailResponse['data'];

export interface Payment {
  id: string;
  tenantId: string;
  payment_id: string;
  request_no: string | null;
  payee_id: string;
  pay_method: PaymentView['pay_method'];
  currency: string;
  /** Minor units: what the merchant asked to pay, the rail's fee, what left the wallet, what the payee gets. */
  amount: Minor;
  fee: Minor;
  debit_amount: Minor;
  received_amount: Minor;
  fee_mode: (typeof FEE_MODE)[number];
  reason: string;
  remark: string;
  state: PaymentState;
  fail_reason: string | null;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
  history: HistoryEntry<PaymentState, PaymentEvent>[];
}

export function renderPayment(p: Payment): PaymentView {
  return {
    payment_id: p.payment_id,
    request_no: p.request_no,
    payee_id: p.payee_id,
    pay_method: p.pay_method,
    currency: p.currency,
    amount: formatAmount(p.amount),
    fee: formatAmount(p.fee),
    fee_mode: p.fee_mode,
    debit_amount: formatAmount(p.debit_amount),
    received_amount: formatAmount(p.received_amount),
    reason: p.reason,
    remark: p.remark,
    status: PAYMENT_STATUS[p.state],
    fail_reason: p.fail_reason,
    created_at: p.created_at,
    updated_at: p.updated_at,
    completed_at: p.completed_at,
  };
}

function findPayment(tx: Transaction, tenant: Tenant, paymentId: unknown): Payment {
  return findOwned<Payment>(tx, tenant, COLLECTIONS.payments, paymentId, 'payment_id');
}

/** Stores the payment after `event` and sends its Payment Notify. */
function movePayment(ctx: VendorContext, payment: Payment, event: PaymentEvent, changes: Partial<Payment> = {}): Payment {
  const moved = applyTransition(PAYMENT_MACHINE, payment, 'state', event, ctx.now);
  const saved = ctx.tx.put(COLLECTIONS.payments, { ...moved, ...changes, updated_at: ctx.now });
  notify(ctx, EVENTS.payment, renderPayment(saved));
  return saved;
}

/** Who bears the fee: OUR adds it to the debit; SHA and BEN take it out of what the payee receives. */
export function feeSplit(amount: Minor, fee: Minor, mode: Payment['fee_mode']): { debit: Minor; received: Minor } {
  return mode === 'OUR' ? { debit: amount + fee, received: amount } : { debit: amount, received: amount - fee };
}

export const paymentReasonList = defineOperation<Wire.PaymentReasonListRequest, Wire.PaymentReasonListResponse>({
  name: 'paymentReasonList',
  path: PATHS.paymentReasonList,
  readOnly: true,
  handler: ({ body }) => page([...PAYMENT_REASONS], body, (c) => ({ ...c })),
});

export const paymentCreate = defineOperation<Wire.PaymentCreateRequest, Wire.PaymentCreateResponse>({
  name: 'paymentCreate',
  path: PATHS.paymentCreate,
  idempotencyKey: 'request_no',
  handler(ctx) {
    const { tx, tenant, now, body } = ctx;
    const payee = findPayee(tx, tenant, body.payee_id);
    transition(PAYEE_MACHINE, payee.state, 'PAY');
    if (body.currency !== payee.currency) throw invalidParam('currency', `must be the payee's currency ${payee.currency}`);
    if (!PAYMENT_REASONS.some((r) => r.code === body.reason)) throw invalidParam('reason', 'is not in payment/reasonList');
    const amount = parseAmount(body.amount, { field: 'amount' });
    const fee = payMethodOf(payee.pay_method).fee;
    const { debit, received } = feeSplit(amount, fee, body.fee_mode);
    if (received <= 0) {
      throw new SandboxError('amount_below_min', {
        field: 'amount',
        detail: 'amount must exceed the fee',
        diagnostic: `with fee_mode ${body.fee_mode} the ${formatAmount(fee)} fee comes out of the amount ${formatAmount(amount)}`,
      });
    }
    assertFunds(tx, tenant, payee.currency, debit);
    const paymentId = `pmt_${sequenceHex(tx, 'openapi-cn.payment', now, 8)}`;
    const payment: Payment = {
      id: paymentId,
      tenantId: tenant.id,
      payment_id: paymentId,
      request_no: body.request_no ?? null,
      payee_id: payee.payee_id,
      pay_method: payee.pay_method,
      currency: payee.currency,
      amount,
      fee,
      debit_amount: debit,
      received_amount: received,
      fee_mode: body.fee_mode,
      reason: body.reason,
      remark: body.remark ?? '',
      state: 'PENDING',
      fail_reason: null,
      created_at: now,
      updated_at: now,
      completed_at: null,
      history: [],
    };
    const transit = LEDGER.transit(payment.currency);
    walletMove(ctx, {
      currency: payment.currency,
      direction: 'out',
      amount: received,
      counterpart: transit,
      type: 'payment',
      relatedId: paymentId,
      remark: `payment to ${payee.name}`,
    });
    walletMove(ctx, {
      currency: payment.currency,
      direction: 'out',
      amount: fee,
      counterpart: transit,
      type: 'fee',
      relatedId: paymentId,
      remark: `${payment.pay_method} fee (${payment.fee_mode})`,
    });
    tx.put(COLLECTIONS.payments, payment);
    ctx.schedule('processPayment', { payment_id: paymentId }, 0);
    return renderPayment(payment);
  },
});

export const paymentList = defineOperation<Wire.PaymentListRequest, Wire.PaymentListResponse>({
  name: 'paymentList',
  path: PATHS.paymentList,
  readOnly: true,
  handler({ tx, tenant, body }) {
    const where = {
      state: withCode(PAYMENT_STATUS, body.status),
      payee_id: body.payee_id === undefined ? undefined : String(body.payee_id),
      created_at: inTimeRange(body),
    };
    return recordPage(tx, tenant, COLLECTIONS.payments, where, body, renderPayment, { order: byCreated() });
  },
});

export const paymentDetail = defineOperation<Wire.PaymentDetailRequest, Wire.PaymentDetailResponse>({
  name: 'paymentDetail',
  path: PATHS.paymentDetail,
  readOnly: true,
  handler: ({ tx, tenant, body }) => renderPayment(findPayment(tx, tenant, body.payment_id)),
});

export const paymentOperations = [paymentReasonList, paymentCreate, paymentList, paymentDetail];

export const paymentJobs = {
  /** The rail picks the payment up at once, and settles it `settleDelayMs` later. */
  processPayment(ctx: VendorContext, payload: { payment_id: string }): void {
    const payment = findPayment(ctx.tx, ctx.tenant, payload.payment_id);
    if (payment.state !== 'PENDING') return;
    movePayment(ctx, payment, 'PROCESS');
    ctx.schedule('settlePayment', payload, settingsOf(ctx.tenant).settleDelayMs);
  },

  /** The rail's verdict: paid, or refused or paid-then-returned by a magic amount. A payment settled early (the control plane) is left alone. */
  settlePayment(ctx: VendorContext, payload: { payment_id: string }): void {
    const payment = findPayment(ctx.tx, ctx.tenant, payload.payment_id);
    if (payment.state !== 'PROCESSING') return;
    const magic = MAGIC_VALUES.find((m) => isMagic(m, formatAmount(payment.amount)));
    settle(ctx, payment, magic?.settles === 'failed' ? 'failed' : 'success');
    if (magic?.settles === 'returned') ctx.schedule('returnPayment', payload, settingsOf(ctx.tenant).settleDelayMs);
  },

  returnPayment(ctx: VendorContext, payload: { payment_id: string }): void {
    // Gone when --retention-history forgot it before the return fell due.
    const payment = ctx.tx.get<Payment>(COLLECTIONS.payments, ctx.tenant.id, payload.payment_id);
    if (payment?.state === 'SUCCESS') returnPayment(ctx, payment);
  },
};

/** Paid: transit → payouts and fees. Refused: transit → wallet, fee included. */
function settle(ctx: VendorContext, payment: Payment, outcome: 'success' | 'failed'): Payment {
  const transit = LEDGER.transit(payment.currency);
  if (outcome === 'failed') {
    walletMove(ctx, {
      currency: payment.currency,
      direction: 'in',
      amount: payment.received_amount,
      counterpart: transit,
      type: 'payment',
      relatedId: payment.payment_id,
      remark: 'payment failed: refund',
    });
    walletMove(ctx, {
      currency: payment.currency,
      direction: 'in',
      amount: payment.fee,
      counterpart: transit,
      type: 'fee',
      relatedId: payment.payment_id,
      remark: 'payment failed: fee refund',
    });
    return movePayment(ctx, payment, 'FAIL', { fail_reason: FAIL_REASONS.rejected, completed_at: ctx.now });
  }
  moveBetween(ctx, transit, LEDGER.payouts(payment.currency), payment.received_amount, 'payment', payment.payment_id);
  moveBetween(ctx, transit, LEDGER.fees(payment.currency), payment.fee, 'fee', payment.payment_id);
  return movePayment(ctx, payment, 'SUCCEED', { completed_at: ctx.now });
}

/** INFERRED: the payee's bank sends the principal back to the wallet; the fee stays charged. */
function returnPayment(ctx: VendorContext, payment: Payment): Payment {
  walletMove(ctx, {
    currency: payment.currency,
    direction: 'in',
    amount: payment.received_amount,
    counterpart: LEDGER.payouts(payment.currency),
    type: 'payment',
    relatedId: payment.payment_id,
    remark: 'payment returned',
  });
  return movePayment(ctx, payment, 'RETURN', { fail_reason: FAIL_REASONS.returned });
}

/**
 * Control plane: settles a pending payment now as `success`, `failed` or `returned` (paid, then returned
 * at once), whatever its amount says; its scheduled jobs then find it settled.
 */
export function forcePayment(ctx: VendorContext, payment: Payment, outcome: string): Payment {
  if (payment.state !== 'PENDING' && payment.state !== 'PROCESSING') {
    throw new SandboxError('invalid_state', {
      field: 'id',
      diagnostic: `payment ${payment.payment_id} is no longer pending (${payment.state}); only a PENDING or PROCESSING payment can be forced`,
    });
  }
  const processing = payment.state === 'PENDING' ? movePayment(ctx, payment, 'PROCESS') : payment;
  const settled = settle(ctx, processing, outcome === 'failed' ? 'failed' : 'success');
  return outcome === 'returned' ? returnPayment(ctx, settled) : settled;
}

/** The merchant's wallet in the payee's currency exists and covers the debit, or 1004 / 3001. */
function assertFunds(tx: Transaction, tenant: Tenant, currency: string, debit: Minor): void {
  const wallet = tx.get<Account>(ACCOUNTS, tenant.id, LEDGER.wallet(currency));
  if (!wallet)
    throw new SandboxError('account_not_found', {
      field: 'currency',
      detail: `no ${currency} wallet`,
      diagnostic: `merchant ${tenant.id} has no ${currency} wallet to pay from`,
    });
  if (available(wallet) < debit) {
    throw new SandboxError('insufficient_balance', {
      field: 'amount',
      diagnostic: `the ${currency} wallet has ${formatAmount(available(wallet))} available; the payment needs ${formatAmount(debit)}`,
    });
  }
}

/** Money between two of the merchant's ledger accounts (no wallet involved, so no wallet transaction). */
function moveBetween(ctx: VendorContext, from: string, to: string, amount: Minor, kind: string, paymentId: string): void {
  transfer(ctx.tx, { tenantId: ctx.tenant.id, from, to, amount, kind, ref: `${kind}:${paymentId}`, at: ctx.now });
}
