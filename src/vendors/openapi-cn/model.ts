/** Shared by every module of the OPEN-API vendor: names, merchant knobs, ledger accounts, paging. */
import { listPage, pageOf, timeRange, type Page } from '../../core/listing.js';
import type { Match, RecordQuery } from '../../core/record-query.js';
import { findOwned as findRecord } from '../../core/records.js';
import { defineSettings } from '../../core/settings.js';
import type { StoredRecord, Transaction } from '../../core/store.js';
import type { Tenant } from '../../core/tenants.js';

export const SLUG = 'openapi-cn';

/** One collection per record kind; each module owns the records it names. */
export const COLLECTIONS = {
  wallets: 'openapi-cn.wallets',
  walletTxns: 'openapi-cn.walletTransactions',
  bins: 'openapi-cn.bins',
  cards: 'openapi-cn.cards',
  trades: 'openapi-cn.cardTrades',
  orders: 'openapi-cn.orders',
  holders: 'openapi-cn.holders',
  payees: 'openapi-cn.payees',
  payments: 'openapi-cn.payments',
} as const;

/** Sandbox knobs per merchant. */
export const SETTINGS = defineSettings({
  settleDelayMs: { type: 'integer', default: 0, doc: 'how long an order (open card, recharge, cancel) or a payment stays processing before it settles' },
  reviewDelayMs: { type: 'integer', default: 0, doc: 'how long a payee stays under review' },
  webhookSigning: { type: 'enum', values: ['hmac-sha256', 'none'], default: 'hmac-sha256', doc: 'webhook signing: hmac-sha256, or none' },
});
export type OpenApiSettings = ReturnType<typeof SETTINGS.of>;
export const settingsOf = SETTINGS.of;

/** Ledger accounts: one wallet per currency, one account per card, the vendor's fee income. */
export const LEDGER = {
  wallet: (currency: string) => `wallet:${currency}`,
  card: (cardId: string) => `card:${cardId}`,
  fees: (currency: string) => `fees:${currency}`,
  /** Money in flight for a processing order or payment. */
  transit: (currency: string) => `transit:${currency}`,
  /** Where payments go once paid out. */
  payouts: (currency: string) => `payouts:${currency}`,
};

/** Looks a record up by id in the tenant's collection, or throws the given not-found error naming the field. */
export function findOwned<T extends StoredRecord>(
  tx: Transaction,
  tenant: Tenant,
  collection: string,
  id: unknown,
  field: string,
  code: 'card_not_found' | 'resource_not_found' = 'resource_not_found',
): T {
  return findRecord<T>(tx, tenant, collection, id, { code, field, detail: true });
}

/**
 * The `start_time`/`end_time` filter (unix ms, inclusive) every list shares, as a condition on a record's
 * instant (a `where` of recordPage); an end before the start is refused (1001) rather than answered
 * with nothing.
 */
export function inTimeRange(query: { start_time?: number; end_time?: number }): Match | undefined {
  return timeRange(query.start_time, query.end_time, { field: 'end_time', after: 'start_time' });
}

export interface PageQuery {
  page?: number;
  page_size?: number;
}

/** INFERRED list wrapper: `{list, total, page, page_size}`; page from 1, page_size 1–100 (default 20). */
export function page<T, R>(all: T[], query: PageQuery, render: (t: T) => R) {
  return wrapped(query, (p, size) => pageOf(all, p, size), render);
}

/**
 * `page` over the merchant's records of `collection` that meet `where`, newest first (or as `options`
 * order them), read as a page by the store (listPage) rather than as the whole collection.
 */
export function recordPage<T extends StoredRecord, R>(
  tx: Transaction,
  tenant: Tenant,
  collection: string,
  where: RecordQuery['where'],
  query: PageQuery,
  render: (t: T) => R,
  options: Parameters<typeof listPage>[6] = {},
) {
  return wrapped(query, (p, size) => listPage<T>(tx, collection, tenant.id, where, p, size, options), render);
}

/** Newest first by `created_at` (unix ms), as OPEN-API's lists go [INFERRED]; `then` breaks ties before insertion order. */
export const byCreated = (...then: NonNullable<RecordQuery['order']>): RecordQuery['order'] => [{ field: 'created_at', descending: true }, ...then];

/** A filter on a status code the record stores by name: the names that render as `code` (none: no filter). */
export function withCode(codes: Readonly<Record<string, number>>, code: number | undefined): Match | undefined {
  return code === undefined ? undefined : { in: Object.keys(codes).filter((name) => codes[name] === code) };
}

/** The wrapper around the page that `read` answers for the query's page and page_size. */
function wrapped<T, R>(query: PageQuery, read: (page: number, size: number) => Page<T>, render: (t: T) => R) {
  const p = query.page ?? 1;
  const size = query.page_size ?? 20;
  const { items, total } = read(p, size);
  return { list: items.map(render), total, page: p, page_size: size };
}

/** Times are rendered as unix milliseconds. INFERRED. */
export type Millis = number;
