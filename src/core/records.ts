/**
 * Looking up one of a merchant's records, the way every vendor refuses an id it does not hold, or by its
 * fields (read as a page: Transaction#page); and the control plane's reads across merchants (ReadView,
 * readAcross).
 */
import { SandboxError, type CanonicalCode } from './errors.js';
import type { Match } from './record-query.js';
import type { ScanFilter } from './store-port.js';
import { Suspend, type FileStore, type StoredRecord, type Transaction } from './store.js';
import { TENANTS, type Tenant } from './tenants.js';

export interface NotFound {
  code: CanonicalCode;
  /** The request field that named it. */
  field: string;
  /** What it is, for the diagnostic (default: the field's name). */
  what?: string;
  /** Whether the public message says `<field> not found` (vendors that append details to their messages). */
  detail?: boolean;
}

/** The tenant's record `id` of `collection`, or the vendor's not-found error naming the field. */
export function findOwned<T extends StoredRecord>(tx: Transaction, tenant: Tenant, collection: string, id: unknown, notFound: NotFound): T {
  const record = tx.get<T>(collection, tenant.id, String(id));
  if (record) return record;
  const { code, field, what = field, detail } = notFound;
  throw new SandboxError(code, { field, detail: detail ? `${field} not found` : undefined, diagnostic: `merchant ${tenant.id} has no ${what} ${String(id)}` });
}

/** Emails are compared without regard to case, as the vendors treat them. */
export function sameEmail(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Conditions on a record's top-level fields (record-query.ts), each one set: an undefined one is not looked at. */
type Where = Readonly<Record<string, Match>>;

/** The merchant's oldest record of `collection` that meets `where` (what `find` over the list gives), read as a page. */
export function findFirst<T extends StoredRecord>(tx: Transaction, tenant: Tenant, collection: string, where: Where): T | undefined {
  return tx.page<T>(collection, tenant.id, { where, offset: 0, limit: 1 }).records[0];
}

/**
 * Every one of the merchant's records of `collection` that meets `where`, oldest first (what `filter`
 * over the list gives), read as a query rather than the collection: for records bounded by what `where`
 * names (an account's cards, a card's days), not by the collection.
 */
export function findAll<T extends StoredRecord>(tx: Transaction, tenant: Tenant, collection: string, where: Where): T[] {
  return tx.page<T>(collection, tenant.id, { where, offset: 0, limit: Infinity }).records;
}

/**
 * The merchant's first two records of `collection` that use `email` (whatever its case), oldest first:
 * what `assertEmailFree` needs to look at, since it skips one record at most (the record itself). Read as
 * a page (Transaction#page), not the collection.
 */
export function usingEmail<T extends StoredRecord & { email: string }>(tx: Transaction, collection: string, tenantId: string, email: string): T[] {
  return tx.page<T>(collection, tenantId, { where: { email: { caseless: email } }, offset: 0, limit: 2 }).records;
}

/**
 * Refuses `email` when another of the merchant's records uses it (whatever its case): `idOf` names a
 * record (its own is skipped, so a record may re-case its email), `what` says what it is.
 */
export function assertEmailFree<T extends { email: string }>(
  records: readonly T[],
  email: string,
  idOf: (r: T) => string | number,
  self: string | number | undefined,
  what: string,
  detail?: boolean,
): void {
  const taken = records.find((r) => idOf(r) !== self && sameEmail(r.email, email));
  if (taken)
    throw new SandboxError('duplicate_email', {
      field: 'email',
      detail: detail ? 'email already exists' : undefined,
      diagnostic: `${what} ${idOf(taken)} already uses ${email}`,
    });
}

/**
 * The synchronous reads that the control plane's listings and the vendors' cross-merchant lookups make
 * (listCards, timelineCard, findCards, pendingOn): the file store has them all; on a store that does not
 * hold its records, readAcross gives a view that loads what they read.
 */
export interface ReadView {
  get(collection: string, tenantId: string, id: string): StoredRecord | undefined;
  /** The tenant's records in insertion order. */
  list(collection: string, tenantId: string): StoredRecord[];
  /** Every tenant's records, tenant by tenant. */
  listAll(collection: string): StoredRecord[];
  /** Each tenant holding records of `collection`, with its records in insertion order. */
  tenantsOf(collection: string): Iterable<[string, ReadonlyMap<string, StoredRecord>]>;
  /** As listAll (or list, with `tenantId`), without copying where the store can. */
  records(collection: string, tenantId?: string): Iterable<StoredRecord>;
  /**
   * The tenant's records that `filter` keeps, in insertion order, without the collection held in memory
   * where the store does not hold it (StorePort#scan): for a few records of a large collection that no
   * query (Transaction#page) can name, such as a card's ledger movements among the merchant's. `name`
   * says which records it keeps (the same name, the same records), for a view that remembers the answer.
   */
  filter(collection: string, tenantId: string, name: string, filter: ScanFilter): StoredRecord[];
}

/**
 * Runs `read` over the store's records: on the file store over the store itself, at once (so the answers
 * are what they always were); on a store whose records are elsewhere (PostgreSQL) over a view that
 * loads a tenant's collection (or every tenant's) through the port at its first read, running `read`
 * again from the start after each load, as a transaction's work is (docs/design/shared-store.md §4 C).
 * Each load is a committed state; loads made at different times are not one instant (a listing's
 * answer, not a transaction: changes go through `run`).
 */
export async function readAcross<T>(store: FileStore, read: (view: ReadView) => T): Promise<T> {
  if (store.readsInPlace) return read(store);
  const view = new LoadingView(store);
  for (;;) {
    try {
      return read(view);
    } catch (error) {
      if (!(error instanceof Suspend)) throw error;
      await view.load(error);
    }
  }
}

/** The tenant id a Suspend names for a read of every tenant's records. */
const EVERY_TENANT = '\u0000every tenant';

/** What readAcross's `read` sees on a store that does not hold its records: whole collections, loaded on demand. */
class LoadingView implements ReadView {
  readonly #store: FileStore;
  /** collection → its tenants' records (a tenant's map in insertion order), once every tenant's were read. */
  readonly #all = new Map<string, Map<string, Map<string, StoredRecord>>>();
  /** collection \0 tenant → its records, once read. */
  readonly #lists = new Map<string, Map<string, StoredRecord>>();
  /** collection \0 tenant \0 filter name → the records it kept, once read. */
  readonly #filtered = new Map<string, StoredRecord[]>();
  /** The filter whose miss suspended the read (the suspension it threw), to be run by `load`. */
  #wanted: { suspend: Suspend; key: string; filter: ScanFilter } | undefined;

  constructor(store: FileStore) {
    this.#store = store;
  }

  /** Loads what `suspend` asked for: a filter's records, or a tenant's (or every tenant's) whole collection. */
  async load(suspend: Suspend): Promise<void> {
    const { collection, tenantId } = suspend.key;
    const wanted = this.#wanted;
    this.#wanted = undefined;
    if (wanted?.suspend === suspend) {
      this.#filtered.set(wanted.key, await this.#store.scan(collection, tenantId, wanted.filter));
      return;
    }
    if (tenantId !== EVERY_TENANT) {
      this.#lists.set(`${collection}\u0000${tenantId}`, byId(await this.#store.read(collection, tenantId)));
      return;
    }
    const tenants = new Map<string, Map<string, StoredRecord>>();
    for (const record of await this.#store.read(collection)) {
      let records = tenants.get(record.tenantId);
      if (!records) tenants.set(record.tenantId, (records = new Map()));
      records.set(record.id, record);
    }
    this.#all.set(collection, tenants);
  }

  /** A tenant's records; a miss loads the tenant's whole collection (listings read many records of one), not the one key. */
  #tenant(collection: string, tenantId: string): ReadonlyMap<string, StoredRecord> {
    const all = this.#all.get(collection);
    if (all) return all.get(tenantId) ?? new Map<string, StoredRecord>();
    const list = this.#lists.get(`${collection}\u0000${tenantId}`);
    if (list) return list;
    throw new Suspend({ collection, tenantId });
  }

  #every(collection: string): Map<string, Map<string, StoredRecord>> {
    const all = this.#all.get(collection);
    if (all) return all;
    throw new Suspend({ collection, tenantId: EVERY_TENANT });
  }

  get(collection: string, tenantId: string, id: string): StoredRecord | undefined {
    return this.#tenant(collection, tenantId).get(id);
  }

  list(collection: string, tenantId: string): StoredRecord[] {
    return [...this.#tenant(collection, tenantId).values()];
  }

  listAll(collection: string): StoredRecord[] {
    return [...this.records(collection)];
  }

  tenantsOf(collection: string): Iterable<[string, ReadonlyMap<string, StoredRecord>]> {
    return this.#every(collection).entries();
  }

  /** Over the tenant's collection when it was read whole; else read through the port's scan, keeping only what `filter` keeps. */
  filter(collection: string, tenantId: string, name: string, filter: ScanFilter): StoredRecord[] {
    const all = this.#all.get(collection);
    const whole = all ? (all.get(tenantId) ?? new Map<string, StoredRecord>()) : this.#lists.get(`${collection}\u0000${tenantId}`);
    if (whole) return [...whole.values()].filter(filter.keep);
    const key = `${collection}\u0000${tenantId}\u0000${name}`;
    const kept = this.#filtered.get(key);
    if (kept) return kept;
    const suspend = new Suspend({ collection, tenantId });
    this.#wanted = { suspend, key, filter };
    throw suspend;
  }

  records(collection: string, tenantId?: string): Iterable<StoredRecord> {
    if (tenantId !== undefined) return this.#tenant(collection, tenantId).values();
    const tenants = this.#every(collection);
    return (function* () {
      for (const records of tenants.values()) yield* records.values();
    })();
  }
}

function byId(records: readonly StoredRecord[]): Map<string, StoredRecord> {
  return new Map(records.map((r) => [r.id, r]));
}

/**
 * A record named by `id` (its key) or matching `match`, in every merchant that holds one (or in
 * `tenantId` only), skipping merchants that no longer exist: how the network and the card timeline
 * find a vendor's card, whose id may repeat across merchants loaded from one scenario.
 */
export function findAcrossTenants<T extends StoredRecord>(
  store: ReadView,
  collection: string,
  find: string | ((record: T) => boolean),
  tenantId?: string,
): T[] {
  const found: T[] = [];
  for (const [owner, records] of store.tenantsOf(collection)) {
    if ((tenantId !== undefined && owner !== tenantId) || !(store.get(TENANTS, owner, owner) as Tenant | undefined)) continue;
    if (typeof find === 'string') {
      const record = records.get(find) as T | undefined;
      if (record) found.push(record);
    } else {
      for (const record of records.values()) if (find(record as T)) found.push(record as T);
    }
  }
  return found;
}
