/**
 * A tenant is one merchant's credentials at one vendor. Every record belongs to exactly one tenant, and
 * a lookup made with another tenant's credentials finds nothing.
 */
import type { Store, Transaction } from './store.js';
import type { Tenant } from './wire-types.js';

export type { Tenant };

export const TENANTS = '_tenants';

/** Writes a merchant of `vendor` with its credentials, no webhook URL and default settings. */
export function putMerchant(tx: Transaction, vendor: string, id: string, name: string, credentials: Record<string, string>): Tenant {
  return tx.put<Tenant>(TENANTS, { id, tenantId: id, vendor, name, credentials, webhookUrl: null, settings: {} });
}

export function listTenants(store: Store): Tenant[] {
  return store.listAll(TENANTS) as Tenant[];
}

export function getTenant(store: Store | Transaction, id: string): Tenant | undefined {
  return store.get(TENANTS, id, id) as Tenant | undefined;
}

/**
 * Per store: `vendor`, credential field and value → the id of the tenant found with them last time. An
 * entry is checked against the tenant on every use, so one made stale by a change of credentials or a
 * deletion is never believed, only dropped; a value no tenant has is looked for by a scan.
 */
const found = new WeakMap<Store, Map<string, string>>();

/** The vendor's tenant whose credential `field` equals `value`: a lookup for a key seen before, else a scan. */
export function findTenantBy(store: Store, vendor: string, field: string, value: string): Tenant | undefined {
  const matches = (t: Tenant | undefined): t is Tenant =>
    t !== undefined && t.vendor === vendor && Object.hasOwn(t.credentials, field) && t.credentials[field] === value;
  let index = found.get(store);
  if (!index) found.set(store, (index = new Map()));
  const key = JSON.stringify([vendor, field, value]);
  const known = index.get(key);
  if (known !== undefined) {
    const tenant = getTenant(store, known);
    if (matches(tenant)) return tenant;
    index.delete(key);
  }
  for (const t of store.records(TENANTS) as Iterable<Tenant>) {
    if (!matches(t)) continue;
    // Entries of deleted merchants are dropped only when used: start afresh before they outnumber the living.
    if (index.size > 2 * store.count(TENANTS) + 64) index.clear();
    index.set(key, t.id);
    return t;
  }
  return undefined;
}

/** The merchant of the same vendor that `credentials` would be mistaken for (same values of every key in `keys`), if any. */
export function credentialClash(
  tenants: readonly Tenant[],
  candidate: Pick<Tenant, 'id' | 'vendor' | 'credentials'>,
  keys: readonly string[],
): Tenant | undefined {
  const key = credentialKey(candidate, keys);
  return key === undefined ? undefined : tenants.find((t) => t.id !== candidate.id && credentialKey(t, keys) === key);
}

/**
 * What tells a vendor's merchants apart: the vendor and the values of its credential `keys`, as one
 * string (two merchants with the same one clash); undefined when a key is missing (it clashes with none).
 */
export function credentialKey(tenant: Pick<Tenant, 'vendor' | 'credentials'>, keys: readonly string[]): string | undefined {
  const values: string[] = [];
  for (const k of keys) {
    if (!Object.hasOwn(tenant.credentials, k) || tenant.credentials[k] === undefined) return undefined;
    values.push(tenant.credentials[k]);
  }
  return JSON.stringify([tenant.vendor, ...values]);
}
