/** Onerway's records as stored, their public renderings, and the lookups every operation shares. */
import { listPage, timeRange } from '../../core/listing.js';
import type { RecordQuery } from '../../core/record-query.js';
import { findOwned } from '../../core/records.js';
import { formatAmount, toDecimalNumber, type Minor } from '../../core/money.js';
import type { History } from '../../core/retention.js';
import { defineSettings } from '../../core/settings.js';
import type { HistoryEntry } from '../../core/state-machine.js';
import type { StoredRecord, Transaction } from '../../core/store.js';
import type { Tenant } from '../../core/tenants.js';
import type { CardEvent, CardStatus } from './machines/card.js';
import type { OperateStatus } from './machines/operate-record.js';
import type * as Wire from './contract-types.js';

export const SLUG = 'onerway';
export const CARDHOLDERS = 'onerway.cardholders';
export const CARDS = 'onerway.cards';
export const PRODUCTS = 'onerway.products';
export const OPERATE_RECORDS = 'onerway.operateRecords';
export const SEQ = {
  cardholder: 'onerway.cardholderId',
  card: 'onerway.cardId',
  operateRecord: 'onerway.operateRecordId',
  // INFERRED: the docs' examples number the first operate and deposit after a createCard 200001 and
  // 200002, so a card's own CREATE record is numbered from a range of its own.
  createRecord: 'onerway.createRecordId',
  event: 'onerway.eventId',
} as const;

export const FIRST_ID = { cardholder: 300001, card: 100001, operateRecord: 200001, createRecord: 900000001 } as const;

/** Sandbox knobs per merchant. */
export const SETTINGS = defineSettings({
  settleDelayMs: { type: 'integer', default: 0, doc: 'how long an operate record stays P before it settles (0: before the next request)' },
  status: {
    type: 'enum',
    values: ['ACTIVE', 'INACTIVE'],
    default: 'ACTIVE',
    doc: 'INACTIVE answers every business call with 80004 (merchant status is invalid)',
  },
});
export type OnerwaySettings = ReturnType<typeof SETTINGS.of>;
export const settingsOf = SETTINGS.of;

/** A stored cardholder is exactly its wire form, owned by a tenant. */
export interface Cardholder extends Wire.Cardholder {
  id: string;
  tenantId: string;
}

export interface Product {
  id: string;
  tenantId: string;
  productId: number;
  productName: string;
  currency: string;
  bin: string;
  createFee: Minor;
  depositFeeBps: number;
  minDeposit: Minor;
  maxDeposit: Minor;
  maxCardsPerCardholder: number;
}

export interface Card {
  id: string;
  tenantId: string;
  cardId: number;
  cardholderId: number;
  productId: number;
  cardStatus: CardStatus;
  currency: string;
  cardNo: string;
  cvv: string;
  expiryDate: string;
  createTime: number;
  history: HistoryEntry<CardStatus, CardEvent>[];
}

export type OperateType = 'CREATE' | 'FREEZE' | 'UNFREEZE' | 'TERMINATE' | 'DEPOSIT';

export interface Fee {
  feeType: 'CREATE' | 'DEPOSIT';
  feeAmount: Minor;
  feeCurrency: string;
}

export interface OperateRecord {
  id: string;
  tenantId: string;
  operateRecordId: number;
  cardId: number;
  clientRequestId: string;
  type: OperateType;
  status: OperateStatus;
  remark: string;
  amount: Minor | null;
  currency: string;
  operateTime: number;
  fees: Fee[];
  history: HistoryEntry<OperateStatus, 'SUCCEED' | 'FAIL'>[];
}

export const LEDGER = {
  merchant: (currency: string) => `merchant:${currency}`,
  /** Money taken from the merchant for a record that has not settled yet. */
  transit: (currency: string) => `transit:${currency}`,
  fees: (currency: string) => `fees:${currency}`,
  card: (cardId: number) => `card:${cardId}`,
};

export function findCard(tx: Transaction, tenant: Tenant, cardId: number): Card {
  return findOwned<Card>(tx, tenant, CARDS, cardId, { code: 'card_not_found', field: 'cardId', what: 'card', detail: true });
}

export function findCardholder(tx: Transaction, tenant: Tenant, cardholderId: number): Cardholder {
  return findOwned<Cardholder>(tx, tenant, CARDHOLDERS, cardholderId, { code: 'cardholder_not_found', field: 'cardholderId', what: 'cardholder' });
}

export function findProduct(tx: Transaction, tenant: Tenant, productId: number): Product {
  return findOwned<Product>(tx, tenant, PRODUCTS, productId, { code: 'resource_not_found', field: 'productId', what: 'card product', detail: true });
}

export function renderOperateRecord(r: OperateRecord): Wire.OperateRecord {
  return {
    operateRecordId: r.operateRecordId,
    cardId: r.cardId,
    clientRequestId: r.clientRequestId,
    type: r.type,
    status: r.status,
    remark: r.remark,
    amount: r.amount === null ? null : toDecimalNumber(r.amount),
    currency: r.currency,
    operateTime: r.operateTime,
    feeList: r.fees.map((f) => ({ feeType: f.feeType, feeAmount: toDecimalNumber(f.feeAmount), feeCurrency: f.feeCurrency })),
  };
}

/**
 * The [startTime, endTime] filter of Onerway's list queries: given in seconds [DOC] although record
 * times are in ms, and inclusive of the whole end second.
 */
export function secondsRange(query: { startTime?: number; endTime?: number }) {
  return timeRange(query.startTime === undefined ? undefined : query.startTime * 1000, query.endTime === undefined ? undefined : query.endTime * 1000 + 999);
}

export interface PageQuery {
  pageNum: number;
  pageSize: number;
}

/**
 * Onerway's paging wrapper over the merchant's records of `collection` that meet `where`, newest first
 * (listPage: the store reads the page, not the collection). INFERRED: `current` repeats pageNum
 * (MyBatis-Plus style).
 */
export function page<T extends StoredRecord, R>(
  tx: Transaction,
  collection: string,
  tenant: Tenant,
  where: RecordQuery['where'],
  { pageNum, pageSize }: PageQuery,
  render: (t: T) => R,
) {
  const { items, total, pages } = listPage<T>(tx, collection, tenant.id, where, pageNum, pageSize);
  return { totalRecords: total, pageSize, current: pageNum, pageNum, totalPages: pages, records: items.map(render) };
}

export { formatAmount };

/** Onerway's history (--retention-history): operate records once settled; one still P is kept. */
export const HISTORY: readonly History[] = [
  { collection: OPERATE_RECORDS, ageOf: (r) => (r as OperateRecord).operateTime, settled: (r) => (r as OperateRecord).status !== 'P' },
];
