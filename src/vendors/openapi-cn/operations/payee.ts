/**
 * Payees (收款方): the two lookup lists, create, edit, apply (submit for review), delete, list, detail.
 * The seed names the pages only; everything here is INFERRED: the fields, the rail rules in
 * payee-reference.ts, and the review, which settles on the scheduler `reviewDelayMs` after apply and
 * rejects an account name containing "REJECT". Every status change sends a Payee Notify.
 */
import { SandboxError, invalidParam } from '../../../core/errors.js';
import { sequenceHex } from '../../../core/ids.js';
import { isMagic, type MagicValue } from '../../../core/magic.js';
import { applyTransition, transition, type HistoryEntry } from '../../../core/state-machine.js';
import type { Transaction } from '../../../core/store.js';
import type { Tenant } from '../../../core/tenants.js';
import { defineOperation, type VendorContext } from '../../../core/vendor.js';
import type * as Wire from '../contract-types.js';
import { PAYEE_STATUS, PATHS } from '../inferred.js';
import { PAYEE_MACHINE, type PayeeEvent, type PayeeState } from '../machines/payee.js';
import { COLLECTIONS, findOwned, page, settingsOf } from '../model.js';
import { FUND_SOURCES, PAYMENT_PURPOSES, type CodeName } from '../payee-reference.js';
import { payMethodOf } from './pay-method.js';
import { EVENTS, notify } from '../webhooks.js';

export type PayeeView = Wire.PayeeDetailResponse['data'];

const FIELDS = [
  'payee_type',
  'name',
  'country',
  'currency',
  'pay_method',
  'account_name',
  'account_number',
  'bank_name',
  'swift_code',
  'routing_code',
  'fund_source',
  'payment_purpose',
] as const;
type PayeeFields = Pick<PayeeView, (typeof FIELDS)[number]>;

export interface Payee extends PayeeFields {
  id: string;
  tenantId: string;
  payee_id: string;
  state: PayeeState;
  reject_reason: string | null;
  created_at: number;
  updated_at: number;
  history: HistoryEntry<PayeeState, PayeeEvent>[];
}

/** INFERRED sandbox test value: the review refuses an account name containing REJECT (any case), with this reason. */
export const MAGIC_VALUES = [
  {
    operation: 'payeeCreate',
    field: 'account_name',
    value: '*REJECT*',
    anyCase: true,
    outcome: `status ${PAYEE_STATUS.REJECTED} (rejected) after payee/apply`,
    description:
      'an account name containing REJECT (any case; payee/edit too) makes the review after payee/apply reject the payee, reason "account name does not match the bank account"',
    reason: 'account name does not match the bank account',
  },
] as const satisfies ReadonlyArray<MagicValue & { reason: string }>;

/** The reject_reason of a payee rejected through the control plane (POST /__sandbox/outcomes). */
export const FORCED_REJECTION = 'Rejection forced through the sandbox control plane';

export function renderPayee(p: Payee): PayeeView {
  const { id: _id, tenantId: _tenantId, state, history: _history, ...fields } = p;
  return { ...fields, status: PAYEE_STATUS[state] };
}

export function findPayee(tx: Transaction, tenant: Tenant, payeeId: unknown): Payee {
  return findOwned<Payee>(tx, tenant, COLLECTIONS.payees, payeeId, 'payee_id');
}

/** Stores the payee after `event`, with a Payee Notify when its status changed. */
function movePayee(ctx: VendorContext, payee: Payee, event: PayeeEvent, changes: Partial<Payee> = {}): Payee {
  const moved = applyTransition(PAYEE_MACHINE, payee, 'state', event, ctx.now);
  const saved = ctx.tx.put(COLLECTIONS.payees, { ...moved, ...changes, updated_at: ctx.now });
  if (moved.state !== payee.state) notify(ctx, EVENTS.payee, renderPayee(saved));
  return saved;
}

const ref = (p: Payee) => ({ payee_id: p.payee_id, status: PAYEE_STATUS[p.state] });

export const payeeFundSourceList = defineOperation<Wire.PayeeFundSourceListRequest, Wire.PayeeFundSourceListResponse>({
  name: 'payeeFundSourceList',
  path: PATHS.payeeFundSourceList,
  readOnly: true,
  handler: ({ body }) => page([...FUND_SOURCES], body, (c) => ({ ...c })),
});

export const payeePaymentPurposeList = defineOperation<Wire.PayeePaymentPurposeListRequest, Wire.PayeePaymentPurposeListResponse>({
  name: 'payeePaymentPurposeList',
  path: PATHS.payeePaymentPurposeList,
  readOnly: true,
  handler: ({ body }) => page([...PAYMENT_PURPOSES], body, (c) => ({ ...c })),
});

export const payeeCreate = defineOperation<Wire.PayeeCreateRequest, Wire.PayeeCreateResponse>({
  name: 'payeeCreate',
  path: PATHS.payeeCreate,
  handler({ tx, tenant, now, body }) {
    const fields = checked(pickFields(body, { swift_code: null, routing_code: null } as PayeeFields));
    // INFERRED: payee ids in the seed's card id style.
    const payeeId = `pye_${sequenceHex(tx, 'openapi-cn.payee', now, 8)}`;
    const payee: Payee = {
      id: payeeId,
      tenantId: tenant.id,
      payee_id: payeeId,
      ...fields,
      state: 'DRAFT',
      reject_reason: null,
      created_at: now,
      updated_at: now,
      history: [],
    };
    tx.put(COLLECTIONS.payees, payee);
    return ref(payee);
  },
});

export const payeeEdit = defineOperation<Wire.PayeeEditRequest, Wire.PayeeEditResponse>({
  name: 'payeeEdit',
  path: PATHS.payeeEdit,
  handler(ctx) {
    const payee = findPayee(ctx.tx, ctx.tenant, ctx.body.payee_id);
    transition(PAYEE_MACHINE, payee.state, 'EDIT');
    const fields = checked(pickFields(ctx.body, payee));
    return ref(movePayee(ctx, payee, 'EDIT', { ...fields, reject_reason: null }));
  },
});

export const payeeApply = defineOperation<Wire.PayeeApplyRequest, Wire.PayeeApplyResponse>({
  name: 'payeeApply',
  path: PATHS.payeeApply,
  handler(ctx) {
    const payee = movePayee(ctx, findPayee(ctx.tx, ctx.tenant, ctx.body.payee_id), 'APPLY', { reject_reason: null });
    ctx.schedule('reviewPayee', { payee_id: payee.payee_id }, settingsOf(ctx.tenant).reviewDelayMs);
    return ref(payee);
  },
});

export const payeeDelete = defineOperation<Wire.PayeeDeleteRequest, Wire.PayeeDeleteResponse & { data?: undefined }>({
  name: 'payeeDelete',
  path: PATHS.payeeDelete,
  handler({ tx, tenant, body }) {
    const payee = findPayee(tx, tenant, body.payee_id);
    transition(PAYEE_MACHINE, payee.state, 'DELETE');
    tx.delete(COLLECTIONS.payees, tenant.id, payee.id);
    return undefined;
  },
});

export const payeeList = defineOperation<Wire.PayeeListRequest, Wire.PayeeListResponse>({
  name: 'payeeList',
  path: PATHS.payeeList,
  readOnly: true,
  handler({ tx, tenant, body }) {
    // INFERRED: name matches a part of the payee's name or account name (any case).
    const name = body.name?.toLowerCase();
    const payees = tx
      .list<Payee>(COLLECTIONS.payees, tenant.id)
      .reverse()
      .filter((p) => body.status === undefined || PAYEE_STATUS[p.state] === body.status)
      .filter((p) => body.payee_type === undefined || p.payee_type === body.payee_type)
      .filter((p) => body.currency === undefined || p.currency === body.currency)
      .filter((p) => name === undefined || p.name.toLowerCase().includes(name) || p.account_name.toLowerCase().includes(name))
      .sort((a, b) => b.created_at - a.created_at);
    return page(payees, body, renderPayee);
  },
});

export const payeeDetail = defineOperation<Wire.PayeeDetailRequest, Wire.PayeeDetailResponse>({
  name: 'payeeDetail',
  path: PATHS.payeeDetail,
  readOnly: true,
  handler: ({ tx, tenant, body }) => renderPayee(findPayee(tx, tenant, body.payee_id)),
});

export const payeeOperations = [payeeFundSourceList, payeePaymentPurposeList, payeeCreate, payeeEdit, payeeApply, payeeDelete, payeeList, payeeDetail];

export const payeeJobs = {
  /** The review's verdict, `reviewDelayMs` after apply. A payee no longer under review is left alone. */
  reviewPayee(ctx: VendorContext, payload: { payee_id: string }): void {
    const payee = ctx.tx.get<Payee>(COLLECTIONS.payees, ctx.tenant.id, payload.payee_id);
    if (payee?.state !== 'REVIEWING') return;
    const magic = MAGIC_VALUES.find((m) => isMagic(m, payee.account_name));
    if (magic) movePayee(ctx, payee, 'REJECT', { reject_reason: magic.reason });
    else movePayee(ctx, payee, 'APPROVE');
  },
};

/** Control plane: decides a payee under review now as `approved` or `rejected`, whatever its account name says. */
export function forcePayee(ctx: VendorContext, payee: Payee, outcome: string): Payee {
  if (payee.state !== 'REVIEWING')
    throw new SandboxError('invalid_state', {
      field: 'id',
      diagnostic: `payee ${payee.payee_id} is not under review (${payee.state}); only a REVIEWING payee can be forced`,
    });
  return outcome === 'rejected' ? movePayee(ctx, payee, 'REJECT', { reject_reason: FORCED_REJECTION }) : movePayee(ctx, payee, 'APPROVE');
}

/** The request's payee fields over `base` (an edit changes only what it sends). */
function pickFields(body: Partial<Record<(typeof FIELDS)[number], unknown>>, base: PayeeFields): PayeeFields {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) out[f] = body[f] !== undefined ? body[f] : base[f];
  return out as PayeeFields;
}

/** The lookup codes exist, and the rail reaches the currency and country with the bank id it routes on. */
function checked(p: PayeeFields): PayeeFields {
  checkCode(FUND_SOURCES, 'fund_source', p.fund_source, 'payee/fundSourceList');
  checkCode(PAYMENT_PURPOSES, 'payment_purpose', p.payment_purpose, 'payee/paymentPurposeList');
  const rail = payMethodOf(p.pay_method);
  if (!rail.currencies.includes(p.currency)) throw railError('currency', p.pay_method, `pays ${rail.currencies.join(', ')} only`);
  if (rail.countries !== null && !rail.countries.includes(p.country))
    throw railError('country', p.pay_method, `reaches banks in ${rail.countries.join(', ')} only`);
  const bankId = p[rail.needs];
  if (bankId === null) throw invalidParam(rail.needs, `is required for ${p.pay_method}`);
  if (rail.routing && !rail.routing.test(bankId))
    throw invalidParam(
      'routing_code',
      `is not a ${p.pay_method} routing code`,
      `routing_code ${bankId} does not match ${rail.routing.source} (${p.pay_method})`,
    );
  return p;
}

function checkCode(list: readonly CodeName[], field: string, code: string, source: string): void {
  if (!list.some((c) => c.code === code))
    throw invalidParam(field, `is not in ${source}`, `${field} ${code} is not one of ${list.map((c) => c.code).join(', ')} (${source})`);
}

function railError(field: string, payMethod: string, rule: string): SandboxError {
  return invalidParam(field, `is not supported by ${payMethod}`, `${payMethod} ${rule}`);
}
