/** The sandbox's shared services, built once by createSandbox and handed to every part. */
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { VendorContext, VendorModule } from '../vendors/types.js';
import type { Clock } from './clock.js';
import type { Contracts } from './contracts.js';
import type { Faults } from './faults.js';
import type { Idempotency } from './idempotency.js';
import type { Journal } from './journal.js';
import type { Scheduler } from './scheduler.js';
import type { Store, Transaction } from './store.js';
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
}

export function jobType(vendor: VendorModule, name: string): string {
  return `${vendor.slug}.${name}`;
}

/** The context a vendor's code runs in: one transaction, one tenant, one instant. */
export function vendorContext(rt: Runtime, vendor: VendorModule, tx: Transaction, tenant: Tenant, now: number): VendorContext {
  return {
    tx,
    tenant,
    now,
    schedule: (type, payload, delayMs = 0) => void rt.scheduler.schedule(tx, jobType(vendor, type), tenant.id, payload, delayMs),
    emit: (event, body) => void rt.webhooks.enqueue(tx, tenant, event, body, now),
  };
}

/** Runs `fn` as one durable transaction of the tenant's vendor (control-plane changes to vendor state). */
export async function inTenant<T>(rt: Runtime, vendor: VendorModule, tenant: Tenant, fn: (ctx: VendorContext) => T): Promise<T> {
  rt.scheduler.runDue();
  const tx = rt.store.begin();
  const result = fn(vendorContext(rt, vendor, tx, tenant, rt.clock.now()));
  await rt.store.commit(tx);
  rt.scheduler.kick();
  return result;
}

export function vendorBySlug(rt: Runtime, slug: string): VendorModule | undefined {
  return rt.vendors.find((v) => v.slug === slug);
}
