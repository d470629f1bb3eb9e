/**
 * One tenant's part of the store: what it owns (every record whose tenantId is its id, and the shared
 * jobs that work for it), removing all of it, and copying a tenant's records out of a scenario pack
 * into a tenant of the store (a new merchant, or a scoped reset of an existing one).
 */
import { COUNTERS, GLOBAL, raiseSeq } from './ids.js';
import type { Scenario } from './scenario.js';
import { JOBS, type Job, type Scheduler } from './scheduler.js';
import type { Store, StoredRecord, Transaction } from './store.js';
import { TENANTS, type Tenant } from './tenants.js';

/** Deletes, within `tx`, every record the tenant owns (itself included); answers how many. */
export function removeTenantRecords(tx: Transaction, store: Store, tenantId: string): number {
  let removed = 0;
  for (const collection of store.collectionNames()) {
    for (const record of store.list(collection, tenantId)) {
      tx.delete(collection, tenantId, record.id);
      removed++;
    }
  }
  for (const job of store.list(JOBS, GLOBAL) as Job[]) {
    if (job.owner !== tenantId) continue;
    tx.delete(JOBS, GLOBAL, job.id);
    removed++;
  }
  return removed;
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
