/**
 * GET /__sandbox/webhooks: every webhook delivery with its attempts (each with its URL, the answer's status
 * and text or the network error) and its next attempt, oldest first (by createdAt, then by sequence),
 * filtered by vendor, tenant, event and state (pending, retrying, delivered, failed, no_url). `limit` answers at most that many, and `after=<id>`
 * those listed after that delivery, to page through a long log. The answer is streamed: each tenant's
 * deliveries are kept in the order they were made, so the listing merges the tenants' lists as it goes
 * (memory grows with the tenants, not with the deliveries, on the file store; on PostgreSQL the
 * deliveries listed are read once through the port), and paging costs a walk to the cursor.
 * POST /__sandbox/webhooks/<id>/resend sends one again.
 */
import type { Request, Router } from 'express';
import { SandboxError } from '../core/errors.js';
import { GLOBAL } from '../core/ids.js';
import type { Runtime } from '../core/runtime.js';
import { readAcross, type ReadView } from '../core/records.js';
import { DELIVERIES, deliveryOrder, type WebhookDelivery } from '../core/webhooks.js';
import { jsonList, sendJsonPieces } from './stream.js';

const FILTERS = ['vendor', 'tenant', 'event', 'state', 'limit', 'after'];
const STATES: ReadonlyArray<WebhookDelivery['state']> = ['pending', 'retrying', 'delivered', 'failed', 'no_url'];

interface Filter {
  vendor?: string;
  tenant?: string;
  event?: string;
  state?: string;
  limit?: number;
  after?: string;
}

export function webhookRoutes(router: Router, rt: Runtime): void {
  router.get('/webhooks', async (req, res) => {
    const filter = webhookFilter(req, rt);
    // On the file store the view is the store itself, read in place as the answer is written; elsewhere, the deliveries loaded once.
    const { view, unstored } = await readAcross(rt.store, (view) => {
      if (filter.tenant === undefined) view.tenantsOf(DELIVERIES);
      else view.records(DELIVERIES, filter.tenant);
      return { view, unstored: rt.webhooks.unstored(filter.tenant, view) };
    });
    const all = () => oldestFirst(view, filter.tenant, unstored);
    if (
      filter.after !== undefined &&
      !some(view.records(DELIVERIES, filter.tenant), (d) => d.id === filter.after) &&
      !unstored.some((d) => d.id === filter.after)
    ) {
      throw new SandboxError('resource_not_found', {
        field: 'after',
        diagnostic: `no webhook delivery ${filter.after}${filter.tenant ? ` of tenant ${filter.tenant}` : ''} to list from`,
      });
    }
    await sendJsonPieces(res, jsonList('deliveries', selected(all(), filter)));
  });

  // Sends a delivered or failed delivery again, now; answers it as the listing shows it (pending).
  router.post('/webhooks/:id/resend', async (req, res) => {
    const delivery = await rt.store.run(GLOBAL, (tx) => rt.webhooks.resend(tx, String(req.params.id), rt.clock.now()));
    rt.scheduler.kick();
    res.json(delivery);
  });
}

function webhookFilter(req: Request, rt: Runtime): Filter {
  const query = req.query as Record<string, unknown>;
  const unknown = Object.keys(query).find((k) => !FILTERS.includes(k));
  if (unknown) throw new SandboxError('invalid_param', { field: unknown, diagnostic: `unknown filter ${unknown}; filters are ${FILTERS.join(', ')}` });
  const filter: Filter = {};
  for (const name of ['vendor', 'tenant', 'event', 'state', 'after'] as const) {
    const value = query[name];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') throw new SandboxError('invalid_param', { field: name, diagnostic: `${name} must be given once` });
    filter[name] = value;
  }
  if (filter.state !== undefined && !(STATES as readonly string[]).includes(filter.state))
    throw new SandboxError('invalid_param', { field: 'state', diagnostic: `state must be one of ${STATES.join(', ')}; got ${JSON.stringify(filter.state)}` });
  if (filter.vendor !== undefined && !rt.vendors.some((v) => v.slug === filter.vendor))
    throw new SandboxError('invalid_param', { field: 'vendor', diagnostic: `vendor must be one of ${rt.vendors.map((v) => v.slug).join(', ')}` });
  const limit = query.limit;
  if (limit !== undefined) {
    if (typeof limit !== 'string' || !/^\d{1,15}$/.test(limit) || Number(limit) < 1)
      throw new SandboxError('invalid_param', { field: 'limit', diagnostic: `limit must be an integer ≥ 1; got ${JSON.stringify(limit)}` });
    filter.limit = Number(limit);
  }
  return filter;
}

function* selected(deliveries: Iterable<WebhookDelivery>, f: Filter): Generator<WebhookDelivery> {
  let skipping = f.after !== undefined;
  let left = f.limit ?? Infinity;
  for (const d of deliveries) {
    if (left === 0) return;
    if (skipping) {
      skipping = d.id !== f.after;
      continue;
    }
    if ((f.vendor === undefined || d.vendor === f.vendor) && (f.event === undefined || d.event === f.event) && (f.state === undefined || d.state === f.state)) {
      left--;
      yield d;
    }
  }
}

function some<T>(items: Iterable<T>, test: (item: T) => boolean): boolean {
  for (const item of items) if (test(item)) return true;
  return false;
}

interface Head {
  delivery: WebhookDelivery;
  rest: Iterator<WebhookDelivery>;
  order: number;
}

/**
 * Every delivery (or one tenant's), oldest first: a k-way merge over a binary heap of the tenants' lists
 * and of the events that had no URL (in memory only, see Webhooks#unstored).
 */
function* oldestFirst(store: ReadView, tenant: string | undefined, unstored: WebhookDelivery[]): Generator<WebhookDelivery> {
  const lists =
    tenant === undefined
      ? Array.from(store.tenantsOf(DELIVERIES), ([, records]) => records.values() as Iterator<WebhookDelivery>)
      : [store.records(DELIVERIES, tenant)[Symbol.iterator]() as Iterator<WebhookDelivery>];
  lists.push(unstored.values());
  const heap: Head[] = [];
  // Ties between tenants go to the tenant listed first (the order of a stable sort of the whole log).
  const less = (a: Head, b: Head) => (deliveryOrder(a.delivery, b.delivery) || a.order - b.order) < 0;
  const down = (i: number) => {
    for (;;) {
      const [l, r] = [2 * i + 1, 2 * i + 2];
      let least = i;
      if (l < heap.length && less(heap[l]!, heap[least]!)) least = l;
      if (r < heap.length && less(heap[r]!, heap[least]!)) least = r;
      if (least === i) return;
      [heap[i], heap[least]] = [heap[least]!, heap[i]!];
      i = least;
    }
  };
  for (const [order, rest] of lists.entries()) {
    const first = rest.next();
    if (!first.done) heap.push({ delivery: first.value, rest, order });
  }
  for (let i = Math.floor(heap.length / 2) - 1; i >= 0; i--) down(i);
  while (heap.length > 0) {
    const top = heap[0]!;
    yield top.delivery;
    const next = top.rest.next();
    if (next.done) {
      const last = heap.pop()!;
      if (heap.length === 0) return;
      heap[0] = last;
    } else top.delivery = next.value;
    down(0);
  }
}
