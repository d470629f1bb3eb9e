/** The sandbox's shared services, built once by createSandbox and handed to every part. */
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { VendorContext, VendorModule } from './vendor.js';
import type { Clock } from './clock.js';
import type { Contracts } from './contracts.js';
import type { Faults } from './faults.js';
import type { Idempotency } from './idempotency.js';
import type { Journal } from './journal.js';
import type { Scheduler } from './scheduler.js';
import type { SharedState } from './shared-state.js';
import { rethrowSuspend, type Store, type Transaction } from './store.js';
import type { Tenant } from './tenants.js';
import type { Webhooks } from './webhooks.js';

export interface Runtime {
  config: Config;
  log: Logger;
  store: Store;
  clock: Clock;
  scheduler: Scheduler;
  webhooks: Webhooks;
  idempotency: Idempotency;
  contracts: Contracts;
  vendors: readonly VendorModule[];
  journal: Journal;
  faults: Faults;
  /** What replicas on one database share beyond records (a no-op on the file store). */
  shared: SharedState;
}

export function jobType(vendor: VendorModule, name: string): string {
  return `${vendor.slug}.${name}`;
}

/** A job scheduled for "now" while a request runs, to be applied in the request's own transaction. */
export interface InlineJob {
  type: string;
  payload: unknown;
}

/**
 * The context a vendor's code runs in: one transaction, one tenant, one instant. With `inline`, jobs
 * due at once are collected there instead of stored, for `runInlineJobs` to apply before the commit.
 */
export function vendorContext(rt: Runtime, vendor: VendorModule, tx: Transaction, tenant: Tenant, now: number, inline?: InlineJob[]): VendorContext {
  return {
    tx,
    tenant,
    now,
    schedule: (type, payload, delayMs = 0) => {
      if (inline && delayMs <= 0) inline.push({ type, payload });
      else rt.scheduler.schedule(tx, jobType(vendor, type), tenant.id, payload, delayMs);
    },
    emit: (event, body) => void rt.webhooks.enqueue(tx, tenant, event, body, now),
  };
}

/**
 * Applies a request's immediately-due jobs (a settlement with no delay) in the request's transaction,
 * after its answer has been rendered. A client cannot tell this from a job that runs before its next
 * request, and it saves a second commit per request. A job that throws is rolled back and stored as an
 * ordinary job instead, so it fails (and is logged) exactly as it would have on the scheduler.
 */
export function runInlineJobs(rt: Runtime, vendor: VendorModule, tx: Transaction, tenant: Tenant, now: number, inline: InlineJob[]): void {
  for (let job = inline.shift(); job; job = inline.shift()) {
    const savepoint = tx.savepoint();
    try {
      vendor.jobs[job.type]!(vendorContext(rt, vendor, tx, tenant, now, inline), job.payload);
    } catch (error) {
      // A suspended read re-runs the whole request's work (store-port.ts); only a failure is left to the scheduler.
      rethrowSuspend(error);
      tx.rollbackTo(savepoint);
      rt.log.warn({ err: error, job: job.type }, 'inline job failed; left to the scheduler');
      rt.scheduler.schedule(tx, jobType(vendor, job.type), tenant.id, job.payload, 0);
    }
  }
}

/** Runs `fn` as one durable transaction of the tenant's vendor (control-plane changes to vendor state). */
export async function inTenant<T>(rt: Runtime, vendor: VendorModule, tenant: Tenant, fn: (ctx: VendorContext) => T): Promise<T> {
  rt.scheduler.runDue();
  const result = await rt.store.run(tenant.id, (tx) => fn(vendorContext(rt, vendor, tx, tenant, rt.clock.now())));
  rt.scheduler.kick();
  return result;
}

export function vendorBySlug(rt: Runtime, slug: string): VendorModule | undefined {
  return rt.vendors.find((v) => v.slug === slug);
}
