/**
 * Webhook outbox. A vendor enqueues an event inside the transaction that caused it, so the event exists
 * exactly when the change does. Delivery is a scheduler job: the vendor wraps and signs, we POST, the
 * vendor says whether the answer is an acknowledgement, and a refusal is retried on the vendor's schedule
 * on the sandbox clock. Every attempt is kept and shown at /__sandbox/webhooks, until the retention
 * sweep forgets finished deliveries (retention.ts). An event for a tenant with no URL is not stored: the
 * last few are kept in memory only, to show in the log as `no_url`.
 *
 * A receiver's answer is read up to RESPONSE_READ_LIMIT bytes (the vendors' acknowledgements are a few
 * dozen): past it the connection is closed, and the attempt is judged and recorded on what was read.
 */
import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import { SandboxError } from './errors.js';
import { COUNTERS, GLOBAL, nextSeq } from './ids.js';
import { maskUrl, maskUrlsIn } from './masking.js';
import type { Job, JobContext, RanReport, Scheduler } from './scheduler.js';
import type { Store, Transaction } from './store.js';
import type { Expiring } from './retention.js';
import type { ReadView } from './records.js';
import { getTenant, TENANTS, type Tenant } from './tenants.js';

interface DeliverJob {
  deliveryId: string;
  tenantId: string;
}

type Attempted = { kind: 'gone' } | { kind: 'no_url' } | { kind: 'sent'; attempt: WebhookAttempt; acked: boolean; retryDelaysMs: readonly number[] };

export const DELIVERIES = '_webhook_deliveries';
export const DELIVER_JOB = 'webhook.deliver';
const RESPONSE_KEEP = 2048;
export const RESPONSE_READ_LIMIT = 64 * 1024;

import type { WebhookAttempt, WebhookDelivery } from './wire-types.js';

export type { WebhookAttempt, WebhookDelivery };

/** What a vendor module supplies to have its webhooks delivered. */
export interface VendorWebhooks {
  /** Where this tenant wants this event, if anywhere. */
  urlFor(tenant: Tenant, event: string): string | undefined;
  /** One attempt's request from the stored body: signed headers, and the body itself where the vendor signs inside it. */
  render(tenant: Tenant, body: string, now: number): { headers: Record<string, string>; body: string };
  /** Whether the receiver's answer acknowledges the event. */
  isAck(status: number, body: string): boolean;
  /** Delays before each retry; its length is the number of retries after the first attempt. */
  retryDelaysMs: readonly number[];
}

/** Hex HMAC-SHA256 of `text` under `secret`: the signature Onerway's and OPEN-API's webhooks carry. */
export function hmacSha256Hex(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}

/** The event's own URL when the merchant set one (`webhookUrls`), else the merchant's one URL. */
export const urlPerEvent: VendorWebhooks['urlFor'] = (tenant, event) => tenant.webhookUrls?.[event] ?? tenant.webhookUrl ?? undefined;

/** An acknowledgement is a 2xx answer whose JSON body holds the vendor's success code in `field`. */
export function ackWhen(field: string, value: unknown): VendorWebhooks['isAck'] {
  return (status, body) => {
    if (status < 200 || status >= 300) return false;
    try {
      return (JSON.parse(body) as Record<string, unknown> | null)?.[field] === value;
    } catch {
      return false;
    }
  };
}

export interface WebhookDeps {
  store: Store;
  scheduler: Scheduler;
  log: Logger;
  vendors: ReadonlyMap<string, VendorWebhooks>;
  timeoutMs: number;
  /** Delivered or failed deliveries kept: for how long, and how many per tenant at most; also how many `no_url` events are kept in memory. */
  retention?: { ms: number; entries: number };
}

export class Webhooks {
  /**
   * The latest events that had no URL, by id, oldest first, in memory only. One whose number the
   * store's sequence has not reached (its transaction did not commit) is not shown, and the next event
   * to take that number replaces it.
   */
  #skipped = new Map<string, WebhookDelivery>();
  readonly #retention: { ms: number; entries: number };

  constructor(private readonly deps: WebhookDeps) {
    this.#retention = deps.retention ?? { ms: Infinity, entries: Infinity };
    deps.scheduler.define(DELIVER_JOB, {
      prepare: (job: Job<DeliverJob>, now, begun) => this.#attempt(job.payload, now, begun),
      run: (job: Job<DeliverJob>, ctx, attempt: Attempted) => this.#record(job.payload, attempt, ctx),
    });
    // After a reset or a scenario load, the sequence (and the tenants) the skipped events belong to are gone.
    deps.scheduler.onInvalidate(() => this.#skipped.clear());
  }

  /**
   * Records the event in the outbox within `tx` and schedules its first delivery. An event for a tenant
   * with no URL for it is never sent (as at Stripe: no endpoint, no delivery) and not stored: it only
   * takes its number, and shows in the log as `no_url` while it is among the latest few.
   */
  enqueue(tx: Transaction, tenant: Tenant, event: string, body: unknown, now: number): WebhookDelivery {
    const seq = nextSeq(tx, DELIVERIES);
    const url = this.deps.vendors.get(tenant.vendor)?.urlFor(tenant, event);
    const delivery: WebhookDelivery = {
      id: `whd_${seq}`,
      tenantId: tenant.id,
      vendor: tenant.vendor,
      event,
      body: JSON.stringify(body),
      state: url ? 'pending' : 'no_url',
      attempts: [],
      createdAt: now,
      nextAttemptAt: url ? now : null,
    };
    if (!url) {
      this.#skip(delivery);
      return delivery;
    }
    tx.put(DELIVERIES, delivery);
    this.deps.scheduler.schedule(tx, DELIVER_JOB, tenant.id, { deliveryId: delivery.id, tenantId: tenant.id });
    return delivery;
  }

  /**
   * Sends a finished delivery again, now, within `tx`: a fresh first attempt, then the vendor's retries
   * from the start of its ladder. One still pending or retrying is refused (it is already being sent);
   * one whose event had no URL was never stored, so there is nothing to send.
   */
  resend(tx: Transaction, deliveryId: string, now: number): WebhookDelivery {
    const found = this.#find(deliveryId, tx);
    if (!found) throw new SandboxError('resource_not_found', { field: 'id', diagnostic: `no webhook delivery ${deliveryId}` });
    if (found.stored === false)
      throw new SandboxError('invalid_state', {
        field: 'id',
        diagnostic: `${deliveryId} had no URL when its event happened, so it was never stored nor sent; set the tenant's webhookUrl for the next events`,
      });
    const { delivery } = found;
    if (delivery.state === 'pending' || delivery.state === 'retrying')
      throw new SandboxError('invalid_state', {
        field: 'id',
        diagnostic: `${deliveryId} is ${delivery.state} (next attempt at ${delivery.nextAttemptAt}); resend a delivered or failed one`,
      });
    const next: WebhookDelivery = { ...delivery, state: 'pending', nextAttemptAt: now, retriesFrom: delivery.attempts.length };
    tx.put(DELIVERIES, next);
    this.deps.scheduler.schedule(tx, DELIVER_JOB, delivery.tenantId, { deliveryId, tenantId: delivery.tenantId });
    return next;
  }

  #find(deliveryId: string, tx: Transaction): { delivery: WebhookDelivery; stored: boolean } | undefined {
    for (const [, records] of this.deps.store.tenantsOf(DELIVERIES)) {
      const delivery = records.get(deliveryId) as WebhookDelivery | undefined;
      if (delivery) return { delivery, stored: true };
    }
    const skipped = this.unstored(undefined, tx).find((d) => d.id === deliveryId);
    return skipped && { delivery: skipped, stored: false };
  }

  /** Every delivery, read from `view` (the control plane's, records.ts readAcross; the store by default). */
  list(view: ReadView = this.deps.store): WebhookDelivery[] {
    const stored = view.listAll(DELIVERIES) as WebhookDelivery[];
    return [...stored, ...this.unstored(undefined, view)].sort(deliveryOrder);
  }

  /** The latest events that had no URL (kept in memory only, a bounded few), oldest first; or one tenant's. */
  unstored(tenantId?: string, view: Pick<ReadView, 'get'> = this.deps.store): WebhookDelivery[] {
    const issued = (view.get(COUNTERS, GLOBAL, DELIVERIES) as { value: number } | undefined)?.value ?? 0;
    return [...this.#skipped.values()]
      .filter((d) => (tenantId === undefined || d.tenantId === tenantId) && seqOf(d) <= issued && view.get(TENANTS, d.tenantId, d.tenantId))
      .sort(deliveryOrder);
  }

  /** What the retention sweep forgets: delivered and failed deliveries past their time, or beyond the count kept per tenant. */
  expiring(): Expiring[] {
    const { ms, entries } = this.#retention;
    return [
      {
        collection: DELIVERIES,
        ageOf: (d) => (d as WebhookDelivery).createdAt,
        keepMs: ms,
        maxPerTenant: entries === Infinity ? undefined : entries,
        removable: (d) => FINISHED.has((d as WebhookDelivery).state),
      },
    ];
  }

  #skip(delivery: WebhookDelivery): void {
    this.#skipped.delete(delivery.id);
    this.#skipped.set(delivery.id, delivery);
    for (const id of this.#skipped.keys()) {
      if (this.#skipped.size <= Math.min(this.#retention.entries, SKIPPED_MAX)) break;
      this.#skipped.delete(id);
    }
  }

  /** Sends one attempt, outside any transaction; calls `begun` as the POST starts, or as it knows there is none. */
  async #attempt({ deliveryId, tenantId }: DeliverJob, now: number, begun: () => void): Promise<Attempted> {
    try {
      return await this.#send(deliveryId, tenantId, now, begun);
    } finally {
      begun();
    }
  }

  async #send(deliveryId: string, tenantId: string, now: number, begun: () => void): Promise<Attempted> {
    // Read through the port: where replicas share the store, another replica may have made the delivery.
    const delivery = (await this.deps.store.lookup(DELIVERIES, tenantId, deliveryId)) as WebhookDelivery | undefined;
    const tenant = getTenant(this.deps.store, tenantId);
    const vendor = tenant && this.deps.vendors.get(tenant.vendor);
    if (!delivery || !tenant || !vendor) return { kind: 'gone' };
    const url = vendor.urlFor(tenant, delivery.event);
    if (!url) return { kind: 'no_url' };
    const request = vendor.render(tenant, delivery.body, now);
    const posting = this.#post(url, request.headers, request.body, now);
    begun();
    const attempt = await posting;
    const acked = attempt.status !== undefined && vendor.isAck(attempt.status, attempt.response ?? '');
    return { kind: 'sent', attempt, acked, retryDelaysMs: vendor.retryDelaysMs };
  }

  /** Records the attempt and schedules the next one, in the job's transaction; reports the attempt (POST /__sandbox/clock shows it). */
  #record({ deliveryId, tenantId }: DeliverJob, result: Attempted, ctx: JobContext): RanReport {
    const delivery = ctx.tx.get<WebhookDelivery>(DELIVERIES, tenantId, deliveryId);
    if (!delivery || result.kind === 'gone') return { kind: 'webhook', deliveryId, state: 'gone' };
    if (result.kind === 'no_url') {
      ctx.tx.put(DELIVERIES, { ...delivery, state: 'no_url', nextAttemptAt: null });
      return { kind: 'webhook', deliveryId, event: delivery.event, state: 'no_url' };
    }
    const attempts = [...delivery.attempts, result.attempt];
    const retryDelay = result.retryDelaysMs[attempts.length - 1 - (delivery.retriesFrom ?? 0)];
    let next: WebhookDelivery;
    if (result.acked) next = { ...delivery, attempts, state: 'delivered', nextAttemptAt: null };
    else if (retryDelay === undefined) next = { ...delivery, attempts, state: 'failed', nextAttemptAt: null };
    else {
      next = { ...delivery, attempts, state: 'retrying', nextAttemptAt: ctx.now + retryDelay };
      ctx.schedule(ctx.tx, DELIVER_JOB, tenantId, { deliveryId, tenantId }, retryDelay);
    }
    ctx.tx.put(DELIVERIES, next);
    this.deps.log.info(
      {
        delivery: deliveryId,
        event: delivery.event,
        url: maskUrl(result.attempt.url),
        status: result.attempt.status,
        error: result.attempt.error && maskUrlsIn(result.attempt.error),
        state: next.state,
      },
      'webhook attempt',
    );
    return {
      kind: 'webhook',
      deliveryId,
      event: delivery.event,
      attempt: attempts.length,
      url: result.attempt.url,
      status: result.attempt.status ?? null,
      error: result.attempt.error ?? null,
      state: next.state,
      nextAttemptAt: next.nextAttemptAt,
    };
  }

  async #post(url: string, headers: Record<string, string>, body: string, now: number): Promise<WebhookAttempt> {
    const started = performance.now();
    try {
      const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.deps.timeoutMs), redirect: 'manual' });
      const text = await readUpTo(res, RESPONSE_READ_LIMIT);
      return { at: now, url, status: res.status, response: text.slice(0, RESPONSE_KEEP), ms: Math.round(performance.now() - started) };
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${(error.cause as Error | undefined)?.message ?? error.message}` : String(error);
      return { at: now, url, error: message, ms: Math.round(performance.now() - started) };
    }
  }
}

/** States whose delivery is over: what the retention sweep may forget ('no_url' too, from packs written before such events went unstored). */
const FINISHED = new Set<WebhookDelivery['state']>(['delivered', 'failed', 'no_url']);
/** The most `no_url` events kept in memory, whatever the per-tenant count. */
const SKIPPED_MAX = 1000;

/** The answer's text, up to `limit` bytes; past it the body is cancelled, which closes the connection. */
async function readUpTo(res: Response, limit: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    if (size >= limit) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  return Buffer.concat(chunks, Math.min(size, limit)).subarray(0, limit).toString('utf8');
}

/** The log's order: oldest first, then by the number a delivery took when its event happened. */
export function deliveryOrder(a: WebhookDelivery, b: WebhookDelivery): number {
  return a.createdAt - b.createdAt || seqOf(a) - seqOf(b);
}

function seqOf(d: WebhookDelivery): number {
  return Number(d.id.slice(4));
}
