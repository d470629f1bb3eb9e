/**
 * One tenant's part of the store: what it owns (every record whose tenantId is its id, and the shared
 * jobs that work for it), removing all of it, and copying a tenant's records out of a scenario pack
 * into a tenant of the store (a new merchant, or a scoped reset of an existing one).
 */
import { COUNTERS, GLOBAL, raiseSeq } from './ids.js';
import type { Scenario } from './scenario.js';
import { JOBS, type Job, type Scheduler } from './scheduler.js';
import type { StorePort, StoredRecord, Transaction } from './store.js';
import { TENANTS, type Tenant } from './tenants.js';

/**
 * Deletes, within `tx`, every record the tenant owns (itself included) in `collections` (the store's,
 * StorePort#collections), and the jobs that work for it; answers how many. The records are read through
 * `tx`, so a store with a working set loads them in the transaction.
 */
export function removeTenantRecords(tx: Transaction, collections: readonly string[], tenantId: string): number {
  let removed = 0;
  for (const collection of collections) removed += removeRecordsOf(tx, collection, tenantId);
  for (const job of tx.list<Job>(JOBS, GLOBAL)) {
    if (job.owner !== tenantId) continue;
    tx.delete(JOBS, GLOBAL, job.id);
    removed++;
  }
  return removed;
}

/**
 * Deletes the tenant and everything it owns, in one transaction of the whole store; answers how many
 * records went. The collections are listed before the transaction, so a collection a request in flight
 * created meanwhile is looked at again after it (the tenant is gone by then: nothing of it is kept).
 */
export async function deleteTenant(store: StorePort, tenantId: string): Promise<number> {
  const seen = await store.collections();
  let removed = await store.run(GLOBAL, (tx) => removeTenantRecords(tx, seen, tenantId));
  const fresh = (await store.collections()).filter((c) => !seen.includes(c));
  if (fresh.length > 0) removed += await store.run(GLOBAL, (tx) => fresh.reduce((n, c) => n + removeRecordsOf(tx, c, tenantId), 0));
  return removed;
}

function removeRecordsOf(tx: Transaction, collection: string, tenantId: string): number {
  const records = tx.list(collection, tenantId);
  for (const record of records) tx.delete(collection, tenantId, record.id);
  return records.length;
}

/**
 * Writes, within `tx`, the pack's records of tenant `sourceId` as records of `target` (whose tenant
 * record is written as given): every value equal to the source's id becomes the target's; jobs are
 * scheduled anew at their due times; sequences are raised to the pack's so no copied id is handed out
 * again. Other tenants are not touched.
 */
export function copyTenantRecords(tx: Transaction, scheduler: Scheduler, now: number, pack: Scenario, sourceId: string, target: Tenant): void {
  tx.put(TENANTS, target);
  for (const [collection, records] of Object.entries(pack.collections)) {
    if (collection === TENANTS) continue;
    for (const record of records) {
      if (collection === COUNTERS) raiseSeq(tx, record.id, (record as StoredRecord & { value: number }).value);
      else if (collection === JOBS) {
        const job = record as Job;
        if (job.owner === sourceId) scheduler.schedule(tx, job.type, target.id, retarget(job.payload, sourceId, target.id), job.dueAt - now);
      } else if (record.tenantId === sourceId) tx.put(collection, retarget(record, sourceId, target.id));
    }
  }
}

/** A deep copy of `value` with every string equal to `from` replaced by `to`. */
function retarget<T>(value: T, from: string, to: string): T {
  if (value === from) return to as T;
  if (Array.isArray(value)) return value.map((v) => retarget(v, from, to)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, retarget(v, from, to)])) as T;
  }
  return value;
}
