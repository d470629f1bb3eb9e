/**
 * The cards of every vendor, for QA people and the dashboard:
 *   GET /__sandbox/cards?vendor=&tenant=&q=&state=&page=&size= every card (each vendor's `listCards`),
 *       filtered, a page at a time (pages from 1), in vendor order, then each merchant's oldest first;
 *   GET /__sandbox/cards/<vendor>/<cardId>[?tenant=] one card, with the pending records whose outcome
 *       POST /__sandbox/outcomes can force and the state changes its state allows.
 * Amounts are exact decimal strings; card numbers only ever as BIN + ****** + last 4.
 */
import type { Request, Router } from 'express';
import type { CardSummary } from '../core/cards.js';
import { SandboxError } from '../core/errors.js';
import { pageOf } from '../core/listing.js';
import { readAcross, type ReadView } from '../core/records.js';
import { formatAmount } from '../core/money.js';
import { vendorBySlug, type Runtime } from '../core/runtime.js';
import { fieldText, type StoredRecord } from '../core/store.js';
import type { PendingKind, VendorModule } from '../core/vendor.js';

const FILTERS = ['vendor', 'tenant', 'q', 'state', 'page', 'size'];
const DEFAULT_SIZE = 50;
const MAX_SIZE = 500;

export function cardRoutes(router: Router, rt: Runtime): void {
  router.get('/cards', async (req, res) => {
    const query = queryOf(req, FILTERS);
    const vendorSlug = text(query, 'vendor');
    const vendor = vendorSlug === undefined ? undefined : knownVendor(rt, vendorSlug, 'invalid_param');
    const tenant = text(query, 'tenant');
    const q = text(query, 'q')?.toLowerCase();
    const state = text(query, 'state')?.toUpperCase();
    const page = int(query, 'page', 1, Number.MAX_SAFE_INTEGER) ?? 1;
    const size = int(query, 'size', 1, MAX_SIZE) ?? DEFAULT_SIZE;
    const matches = (c: CardSummary) =>
      (state === undefined || c.state.toUpperCase() === state) && (q === undefined || [c.cardId, c.last4, c.holder].some((v) => v?.toLowerCase().includes(q)));
    const all = await readAcross(rt.store, (view) =>
      (vendor ? [vendor] : rt.vendors).flatMap((v) => (v.listCards?.(view, tenant) ?? []).filter(matches).map((c) => [v, c] as const)),
    );
    const { items, total, pages, more } = pageOf(all, page, size);
    res.json({ cards: items.map(([v, c]) => summary(v, c)), page, size, total, pages, more });
  });

  router.get('/cards/:vendor/:cardId', async (req, res) => {
    const query = queryOf(req, ['tenant']);
    const vendor = knownVendor(rt, String(req.params.vendor), 'route_not_found');
    const tenant = text(query, 'tenant');
    const cardId = String(req.params.cardId);
    const found = await readAcross(rt.store, (view) => (vendor.listCards?.(view, tenant) ?? []).filter((c) => c.cardId === cardId));
    if (found.length === 0)
      throw new SandboxError('card_not_found', { field: 'cardId', diagnostic: `${vendor.slug} has no card ${cardId}${tenant ? ` for tenant ${tenant}` : ''}` });
    if (found.length > 1)
      throw new SandboxError('duplicate_resource', {
        field: 'tenant',
        diagnostic: `merchants ${found.map((c) => c.tenantId).join(', ')} each have a ${vendor.slug} card ${cardId}; name one with ?tenant=`,
      });
    const card = found[0]!;
    const pending = await readAcross(rt.store, (view) => pendingOn(view, vendor, card));
    res.json({ ...summary(vendor, card), actions: card.actions, pending });
  });
}

function summary(vendor: VendorModule, c: CardSummary) {
  return {
    vendor: vendor.slug,
    tenant: c.tenantId,
    cardId: c.cardId,
    state: c.state,
    holder: c.holder,
    masked: c.masked,
    last4: c.last4,
    currency: c.currency,
    balances: Object.fromEntries(Object.entries(c.balances).map(([k, v]) => [k, formatAmount(v)])),
    createdAt: c.createdAt,
  };
}

/** The card's records still pending, of every kind whose outcome can be forced, oldest first. */
function pendingOn(view: ReadView, vendor: VendorModule, card: CardSummary) {
  const out: Array<{ kind: string; id: string; since: number; outcomes: readonly string[] }> = [];
  for (const [kind, k] of Object.entries(vendor.outcomes ?? {})) {
    if (!k.pendingOn) continue;
    for (const record of pendingRecords(view, kind, k, card.tenantId)) {
      const pending = k.pendingOn(record, view);
      if (pending?.cardIds.includes(card.cardId)) out.push({ kind, id: record.id, since: pending.since, outcomes: k.outcomes });
    }
  }
  return out.sort((a, b) => a.since - b.since);
}

/** The records of `k` that may be pending: those with its `pendingWhile` values (every one, without them). */
function pendingRecords(view: ReadView, kind: string, k: PendingKind, tenantId: string): Iterable<StoredRecord> {
  const values = Object.entries(k.pendingWhile ?? {});
  if (values.length === 0) return view.records(k.collection, tenantId);
  return view.filter(k.collection, tenantId, `pending ${kind}`, {
    keep: (record) => values.every(([field, value]) => (record as unknown as Record<string, unknown>)[field] === value),
    // Every kept record holds each field with its value: any one of them is a sound hint.
    mentions: [fieldText(...values[0]!)],
  });
}

function knownVendor(rt: Runtime, slug: string, code: 'invalid_param' | 'route_not_found'): VendorModule {
  const vendor = vendorBySlug(rt, slug);
  if (!vendor) throw new SandboxError(code, { field: 'vendor', diagnostic: `no vendor ${slug}; vendors are ${rt.vendors.map((v) => v.slug).join(', ')}` });
  return vendor;
}

function queryOf(req: Request, known: readonly string[]): Record<string, unknown> {
  const query = req.query as Record<string, unknown>;
  const unknown = Object.keys(query).find((k) => !known.includes(k));
  if (unknown) throw new SandboxError('invalid_param', { field: unknown, diagnostic: `unknown parameter ${unknown}; parameters are ${known.join(', ')}` });
  return query;
}

function text(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '')
    throw new SandboxError('invalid_param', { field: name, diagnostic: `${name} must be given once, as a non-empty value` });
  return value;
}

function int(query: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const value = text(query, name);
  if (value === undefined) return undefined;
  if (!/^\d{1,16}$/.test(value) || Number(value) < min || Number(value) > max)
    throw new SandboxError('invalid_param', { field: name, diagnostic: `${name} must be an integer from ${min} to ${max}; got ${JSON.stringify(value)}` });
  return Number(value);
}
