/** Looking up one of a merchant's records, the way every vendor refuses an id it does not hold. */
import { SandboxError, type CanonicalCode } from './errors.js';
import type { Store, StoredRecord, Transaction } from './store.js';
import { getTenant, type Tenant } from './tenants.js';

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
 * A record named by `id` (its key) or matching `match`, in every merchant that holds one (or in
 * `tenantId` only), skipping merchants that no longer exist: how the network and the card timeline
 * find a vendor's card, whose id may repeat across merchants loaded from one scenario.
 */
export function findAcrossTenants<T extends StoredRecord>(store: Store, collection: string, find: string | ((record: T) => boolean), tenantId?: string): T[] {
  const found: T[] = [];
  for (const [owner, records] of store.tenantsOf(collection)) {
    if ((tenantId !== undefined && owner !== tenantId) || !getTenant(store, owner)) continue;
    if (typeof find === 'string') {
      const record = records.get(find) as T | undefined;
      if (record) found.push(record);
    } else {
      for (const record of records.values()) if (find(record as T)) found.push(record as T);
    }
  }
  return found;
}
