/**
 * Card operations (docs: /issuing/issuing-api/cards/card-operations): createCard, operate, deposit.
 * Each writes a P operate record, takes the money into transit, and schedules its settlement; the
 * settlement applies the card machine, moves the money on, and sends issuing.cardOperateEvent.
 */
import { SandboxError } from '../../../core/errors.js';
import { cardNumber, seededFaker } from '../../../core/faker.js';
import { nextSeq } from '../../../core/ids.js';
import { describeMagic, isMagic, type MagicValue } from '../../../core/magic.js';
import { getAccount, openAccount, transfer } from '../../../core/ledger.js';
import { applyBasisPoints, formatAmount, parseAmount, type Minor } from '../../../core/money.js';
import { applyTransition, canTransition, transition } from '../../../core/state-machine.js';
import { defineOperation, type VendorContext } from '../../../core/vendor.js';
import type * as Wire from '../contract-types.js';
import { CARD_MACHINE, type CardEvent } from '../machines/card.js';
import { OPERATE_RECORD_MACHINE } from '../machines/operate-record.js';
import {
  LEDGER,
  CARDS,
  FIRST_ID,
  OPERATE_RECORDS,
  SEQ,
  findCard,
  findCardholder,
  findProduct,
  renderOperateRecord,
  settingsOf,
  type Card,
  type Fee,
  type OperateRecord,
  type OperateType,
  type Product,
} from '../model.js';
import { OPERATE_EVENT, wrapEvent } from '../webhooks.js';

/** INFERRED sandbox test values: a clientRequestId ending in _FAIL makes its operate record settle as F. */
export const MAGIC_VALUES = [
  {
    operation: 'createCard',
    field: 'clientRequestId',
    value: '*_FAIL',
    outcome: 'operate record F; card FAILED',
    description: 'the CREATE record settles as F: the card is left FAILED, and the amount and the fee go back to the merchant',
  },
  {
    operation: 'operate',
    field: 'clientRequestId',
    value: '*_FAIL',
    outcome: 'operate record F',
    description: 'the FREEZE, UNFREEZE or TERMINATE record settles as F and the card keeps its status',
  },
  {
    operation: 'deposit',
    field: 'clientRequestId',
    value: '*_FAIL',
    outcome: 'operate record F',
    description: 'the DEPOSIT record settles as F: the amount and the fee go back to the merchant',
  },
] as const satisfies readonly MagicValue[];

/** The operation that writes each type of operate record (the magic values are per operation). */
const OPERATION_OF: Record<OperateType, string> = { CREATE: 'createCard', FREEZE: 'operate', UNFREEZE: 'operate', TERMINATE: 'operate', DEPOSIT: 'deposit' };

const OPERATE_EVENTS: Record<string, CardEvent> = { FREEZE: 'FREEZE', UNFREEZE: 'UNFREEZE', TERMINATE: 'TERMINATE' };

export const createCard = defineOperation<Wire.CreateCardRequest, Wire.CreateCardResponse>({
  name: 'createCard',
  path: '/card/createCard',
  idempotencyKey: 'clientRequestId',
  handler(ctx) {
    const { tx, tenant, now, body } = ctx;
    const holder = findCardholder(tx, tenant, body.cardholderId);
    const product = findProduct(tx, tenant, body.productId);
    const amount = depositAmount(body.amount, product);
    // INFERRED: the limit is the product's, so only the cardholder's live cards of this product count.
    const live = CARD_MACHINE.states.filter((s) => s !== 'FAILED' && s !== 'TERMINATED');
    const cards = tx.page<Card>(CARDS, tenant.id, {
      where: { cardholderId: holder.cardholderId, productId: product.productId, cardStatus: { in: live } },
      offset: 0,
      limit: 0,
    }).total;
    if (cards >= product.maxCardsPerCardholder) {
      throw new SandboxError('limit_exceeded', {
        diagnostic: `cardholder ${holder.cardholderId} already has ${cards} live product ${product.productId} cards; the product allows ${product.maxCardsPerCardholder}`,
      });
    }
    const cardId = nextSeq(tx, SEQ.card, FIRST_ID.card);
    const faker = seededFaker(cardId, now);
    const expiry = new Date(now);
    const card: Card = {
      id: String(cardId),
      tenantId: tenant.id,
      cardId,
      cardholderId: holder.cardholderId,
      productId: product.productId,
      cardStatus: 'PROCESSING',
      currency: product.currency,
      cardNo: cardNumber(faker, product.bin),
      cvv: faker.string.numeric(3),
      expiryDate: `${String(expiry.getUTCMonth() + 1).padStart(2, '0')}/${String((expiry.getUTCFullYear() + 3) % 100).padStart(2, '0')}`,
      createTime: now,
      history: [],
    };
    tx.put(CARDS, card);
    openAccount(tx, tenant.id, LEDGER.card(cardId), product.currency);
    startRecord(ctx, card, 'CREATE', amount, [{ feeType: 'CREATE', feeAmount: product.createFee, feeCurrency: product.currency }]);
    return { cardId };
  },
});

export const operate = defineOperation<Wire.OperateRequest, Wire.OperateResponse>({
  name: 'operate',
  path: '/card/operate',
  idempotencyKey: 'clientRequestId',
  handler(ctx) {
    const { tx, tenant, body } = ctx;
    const event = OPERATE_EVENTS[body.type as string];
    if (!event)
      throw new SandboxError('invalid_param', {
        field: 'type',
        detail: 'type must be FREEZE, UNFREEZE or TERMINATE',
        diagnostic: `type ${JSON.stringify(body.type)} is not FREEZE, UNFREEZE or TERMINATE`,
      });
    const card = findCard(tx, tenant, body.cardId);
    transition(CARD_MACHINE, card.cardStatus, event);
    const record = startRecord(ctx, card, body.type as OperateType, null, []);
    return { operateRecordId: record.operateRecordId };
  },
});

export const deposit = defineOperation<Wire.DepositRequest, Wire.DepositResponse>({
  name: 'deposit',
  path: '/card/deposit',
  idempotencyKey: 'clientRequestId',
  handler(ctx) {
    const { tx, tenant, body } = ctx;
    const card = findCard(tx, tenant, body.cardId);
    const product = findProduct(tx, tenant, card.productId);
    const amount = depositAmount(body.amount, product);
    transition(CARD_MACHINE, card.cardStatus, 'DEPOSIT');
    const fee = applyBasisPoints(amount, product.depositFeeBps);
    const record = startRecord(ctx, card, 'DEPOSIT', amount, [{ feeType: 'DEPOSIT', feeAmount: fee, feeCurrency: product.currency }]);
    return { operateRecordId: record.operateRecordId };
  },
});

function depositAmount(value: unknown, product: Product): Minor {
  const amount = parseAmount(value, { field: 'amount' });
  if (amount < product.minDeposit)
    throw new SandboxError('amount_below_min', {
      field: 'amount',
      diagnostic: `amount ${formatAmount(amount)} is below product ${product.productId}'s minimum ${formatAmount(product.minDeposit)}`,
    });
  if (amount > product.maxDeposit)
    throw new SandboxError('amount_above_max', {
      field: 'amount',
      diagnostic: `amount ${formatAmount(amount)} is above product ${product.productId}'s maximum ${formatAmount(product.maxDeposit)}`,
    });
  return amount;
}

/** Writes the P record, moves amount + fees from the merchant into transit, and schedules settlement. */
function startRecord(
  ctx: VendorContext & { body: { clientRequestId: string } },
  card: Card,
  type: OperateType,
  amount: Minor | null,
  fees: Fee[],
): OperateRecord {
  const { tx, tenant, now, body } = ctx;
  const total = (amount ?? 0) + fees.reduce((sum, f) => sum + f.feeAmount, 0);
  if (total > 0) {
    const merchant = getAccount(tx, tenant.id, LEDGER.merchant(card.currency));
    if (merchant.balance - merchant.held < total) {
      throw new SandboxError('insufficient_balance', {
        diagnostic: `merchant balance ${formatAmount(merchant.balance - merchant.held)} ${card.currency} is less than ${formatAmount(total)} (amount + fees)`,
      });
    }
  }
  const operateRecordId = type === 'CREATE' ? nextSeq(tx, SEQ.createRecord, FIRST_ID.createRecord) : nextSeq(tx, SEQ.operateRecord, FIRST_ID.operateRecord);
  const record: OperateRecord = {
    id: String(operateRecordId),
    tenantId: tenant.id,
    operateRecordId,
    cardId: card.cardId,
    clientRequestId: String(body.clientRequestId),
    type,
    status: 'P',
    remark: '',
    amount,
    currency: card.currency,
    operateTime: now,
    fees,
    history: [],
  };
  tx.put(OPERATE_RECORDS, record);
  if (total > 0) moveMoney(ctx, LEDGER.merchant(card.currency), LEDGER.transit(card.currency), total, record);
  ctx.schedule('settleOperateRecord', { operateRecordId }, settingsOf(tenant).settleDelayMs);
  return record;
}

function moveMoney(ctx: VendorContext, from: string, to: string, amount: Minor, record: OperateRecord): void {
  transfer(ctx.tx, { tenantId: ctx.tenant.id, from, to, amount, kind: record.type, ref: `operateRecord:${record.operateRecordId}`, at: ctx.now });
}

const SETTLE_EVENT: Record<OperateType, { ok: CardEvent; failed?: CardEvent }> = {
  CREATE: { ok: 'CREATE_SUCCEEDED', failed: 'CREATE_FAILED' },
  FREEZE: { ok: 'FREEZE' },
  UNFREEZE: { ok: 'UNFREEZE' },
  TERMINATE: { ok: 'TERMINATE' },
  DEPOSIT: { ok: 'DEPOSIT' },
};

/** The scheduled settlement of one operate record: P → S, or P → F when the card no longer allows it. */
export function settleOperateRecord(ctx: VendorContext, { operateRecordId }: { operateRecordId: number }): void {
  const record = ctx.tx.get<OperateRecord>(OPERATE_RECORDS, ctx.tenant.id, String(operateRecordId));
  if (!record || record.status !== 'P') return;
  const card = findCard(ctx.tx, ctx.tenant, record.cardId);
  const magic = MAGIC_VALUES.find((m) => m.operation === OPERATION_OF[record.type] && isMagic(m, record.clientRequestId));
  settle(ctx, record, card, magic ? `Simulated failure (clientRequestId ${describeMagic(magic)})` : refusal(record, card));
}

/** The remark of a record failed through the control plane (POST /__sandbox/outcomes). */
export const FORCED_FAILURE = 'Failure forced through the sandbox control plane';

/**
 * Control plane: settles a P record now as `success` (S) or `failed` (F), whatever its clientRequestId
 * says; its scheduled settlement then finds it settled. Success is refused when the card no longer allows it.
 */
export function forceOperateRecord(ctx: VendorContext, record: OperateRecord, outcome: string): Wire.OperateRecord {
  if (record.status !== 'P')
    throw new SandboxError('invalid_state', {
      field: 'id',
      diagnostic: `operate record ${record.operateRecordId} is no longer pending (status ${record.status}); only a P record can be forced`,
    });
  const card = findCard(ctx.tx, ctx.tenant, record.cardId);
  const blocked = refusal(record, card);
  if (outcome === 'success' && blocked)
    throw new SandboxError('invalid_state', {
      field: 'outcome',
      diagnostic: `${blocked}, so operate record ${record.operateRecordId} can only fail; force "failed"`,
    });
  return renderOperateRecord(settle(ctx, record, card, outcome === 'success' ? '' : FORCED_FAILURE));
}

function refusal(record: OperateRecord, card: Card): string {
  return canTransition(CARD_MACHINE, card.cardStatus, SETTLE_EVENT[record.type].ok) ? '' : `Card status ${card.cardStatus} does not allow ${record.type}`;
}

/** Settles the record: S when `remark` is empty, else F with it; moves the card and the money, and notifies. */
function settle(ctx: VendorContext, record: OperateRecord, card: Card, remark: string): OperateRecord {
  const { tx, now } = ctx;
  const events = SETTLE_EVENT[record.type];
  const succeeded = remark === '';
  // INFERRED: a failed record charges no fee, so its feeList is emptied as the fee goes back.
  const settled: OperateRecord = {
    ...applyTransition(OPERATE_RECORD_MACHINE, record, 'status', succeeded ? 'SUCCEED' : 'FAIL', now),
    remark,
    fees: succeeded ? record.fees : [],
  };
  tx.put(OPERATE_RECORDS, settled);

  const cardEvent = succeeded ? events.ok : events.failed;
  const nextCard = cardEvent ? applyTransition(CARD_MACHINE, card, 'cardStatus', cardEvent, now) : card;
  if (nextCard !== card) tx.put(CARDS, nextCard);
  settleMoney(ctx, record, succeeded, nextCard);
  ctx.emit(OPERATE_EVENT, wrapEvent(ctx, OPERATE_EVENT, renderOperateRecord(settled)));
  return settled;
}

function settleMoney(ctx: VendorContext, record: OperateRecord, succeeded: boolean, card: Card): void {
  const { tx, tenant } = ctx;
  const fees = record.fees.reduce((sum, f) => sum + f.feeAmount, 0);
  const transit = LEDGER.transit(record.currency);
  if (!succeeded) {
    moveMoney(ctx, transit, LEDGER.merchant(record.currency), (record.amount ?? 0) + fees, record);
    return;
  }
  moveMoney(ctx, transit, LEDGER.card(record.cardId), record.amount ?? 0, record);
  moveMoney(ctx, transit, LEDGER.fees(record.currency), fees, record);
  if (record.type === 'TERMINATE') {
    // INFERRED: a terminated card's free balance returns to the merchant; open holds stay for their clearings.
    const account = getAccount(tx, tenant.id, LEDGER.card(card.cardId));
    moveMoney(ctx, LEDGER.card(card.cardId), LEDGER.merchant(record.currency), account.balance - account.held, record);
  }
}
