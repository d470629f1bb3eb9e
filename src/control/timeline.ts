/**
 * GET /__sandbox/cards/<vendor>/<cardId>/timeline[?tenant=]: one card's life in order, from four sources:
 *   - request:    journal entries of the card's tenant whose request or answer names the card (in the
 *                 vendor's card-id fields), masked as GET /__sandbox/requests shows them;
 *   - transition: the card record's status history;
 *   - ledger:     postings to the card's ledger accounts (with the balance after each), and the network
 *                 transactions on the card (authorizations with the hold they place or release);
 *   - webhook:    each attempt to deliver an event that names the card (or the event itself while it has
 *                 no attempt: pending, or no URL).
 * Ordered by sandbox time; at the same instant requests come first, then transitions, ledger and
 * webhooks, each in the order it was recorded (a frozen clock puts a whole script at one instant, so
 * advance it between steps to see their order).
 */
import type { Router } from 'express';
import { SandboxError } from '../core/errors.js';
import { CARD_TXNS, ENTRIES, ledgerEntries, type CardTxn, type Entry } from '../core/ledger.js';
import { formatAmount, formatSigned } from '../core/money.js';
import { readAcross, type ReadView } from '../core/records.js';
import { fieldText, valueText } from '../core/store.js';
import { vendorBySlug, type Runtime } from '../core/runtime.js';
import type { TimelineCard } from '../core/vendor.js';

type Kind = 'request' | 'transition' | 'ledger' | 'webhook';
const RANK: Record<Kind, number> = { request: 0, transition: 1, ledger: 2, webhook: 3 };

interface Timed {
  at: number;
  rank: number;
  seq: number;
  event: { at: number; kind: Kind } & Record<string, unknown>;
}

export function timelineRoutes(router: Router, rt: Runtime): void {
  router.get('/cards/:vendor/:cardId/timeline', async (req, res) => {
    const vendor = vendorBySlug(rt, String(req.params.vendor));
    if (!vendor)
      throw new SandboxError('route_not_found', {
        field: 'vendor',
        diagnostic: `no vendor ${req.params.vendor}; vendors are ${rt.vendors.map((v) => v.slug).join(', ')}`,
      });
    const tenant = req.query.tenant;
    if (tenant !== undefined && (typeof tenant !== 'string' || tenant === ''))
      throw new SandboxError('invalid_param', { field: 'tenant', diagnostic: 'tenant must be given once, as a tenant id' });
    const found = await readAcross(rt.store, (view) => {
      const card = vendor.timelineCard?.(view, String(req.params.cardId), tenant);
      return card && { card, ledger: ledger(view, vendor.slug, card), webhooks: webhooks(rt, view, vendor.slug, card) };
    });
    if (!found)
      throw new SandboxError('card_not_found', {
        field: 'cardId',
        diagnostic: `${vendor.slug} has no card ${req.params.cardId}${tenant ? ` for tenant ${tenant}` : ''}`,
      });
    const { card } = found;
    const events = [...(await requests(rt, vendor.slug, card)), ...transitions(card), ...found.ledger, ...found.webhooks]
      .sort((a, b) => a.at - b.at || a.rank - b.rank || a.seq - b.seq)
      .map((t) => t.event);
    res.json({ vendor: vendor.slug, cardId: card.cardId, tenantId: card.tenantId, events });
  });
}

function timed(kind: Kind, at: number, seq: number, fields: Record<string, unknown>): Timed {
  return { at, rank: RANK[kind], seq, event: { at, kind, ...fields } };
}

async function requests(rt: Runtime, vendor: string, card: TimelineCard): Promise<Timed[]> {
  const found = await rt.journal.cardRequests(vendor, card.tenantId, mentionTest(card));
  return found.map(({ seq, entry }) => {
    const { vendor: _v, tenantId: _t, at, ...rest } = entry;
    return timed('request', at, seq, rest);
  });
}

function transitions(card: TimelineCard): Timed[] {
  return card.history.map((h, i) => timed('transition', h.at, i, { from: h.from, to: h.to, event: h.event }));
}

function ledger(view: ReadView, vendor: string, card: TimelineCard): Timed[] {
  const out: Timed[] = [];
  // The movements with a leg on one of the card's accounts, not the merchant's whole ledger (ReadView#filter).
  const accounts = new Set(card.accountIds);
  const movements = view.filter(ENTRIES, card.tenantId, `legs on ${card.accountIds.join(' ')}`, {
    keep: (r) => ledgerEntries([r]).some((e) => accounts.has(e.accountId)),
    mentions: card.accountIds.map(valueText),
  });
  const entries: Array<[Entry, number]> = ledgerEntries(movements).map((e, i) => [e, i]);
  const balances = new Map<string, number>();
  for (const [e, i] of entries.filter(([e]) => accounts.has(e.accountId))) {
    const balance = (balances.get(e.accountId) ?? 0) + e.amount;
    balances.set(e.accountId, balance);
    out.push(
      timed('ledger', e.at, 1_000_000_000 + i, {
        source: 'entry',
        id: e.id,
        accountId: e.accountId,
        movement: e.kind,
        amount: formatSigned(e.amount),
        balance: formatAmount(balance),
        ref: e.ref,
      }),
    );
  }
  const txns = (
    view.filter(CARD_TXNS, card.tenantId, `${vendor} card ${card.cardId}`, {
      keep: (t) => (t as CardTxn).vendor === vendor && (t as CardTxn).cardId === card.cardId,
      mentions: [fieldText('cardId', card.cardId)],
    }) as CardTxn[]
  ).sort((a, b) => a.createdAt - b.createdAt);
  txns.forEach((t, i) => {
    out.push(
      timed('ledger', t.createdAt, i, {
        source: 'network',
        id: t.id,
        accountId: t.accountId,
        movement: t.kind,
        status: t.status,
        amount: formatAmount(t.amount),
        currency: t.currency,
        hold: holdChange(t, txns),
        declineReason: t.declineReason,
        originId: t.originId,
      }),
    );
  });
  return out;
}

/** What a network transaction did to the card's holds: an authorization places one, a reversal or clearing releases it. */
function holdChange(t: CardTxn, all: CardTxn[]): string | null {
  if (t.status !== 'approved') return null;
  if (t.kind === 'authorization') return formatSigned(t.amount);
  if (t.kind === 'reversal') return formatSigned(-t.amount);
  if (t.kind !== 'clearing') return null;
  const auth = all.find((a) => a.id === t.originId);
  if (!auth) return null;
  const before = all.slice(0, all.indexOf(t));
  const reversed = before.filter((r) => r.kind === 'reversal' && r.status === 'approved' && r.originId === auth.id).reduce((sum, r) => sum + r.amount, 0);
  return formatSigned(-(auth.amount - reversed));
}

function webhooks(rt: Runtime, view: ReadView, vendor: string, card: TimelineCard): Timed[] {
  const out: Timed[] = [];
  const names = mentionTest(card);
  for (const d of rt.webhooks.list(view)) {
    if (d.vendor !== vendor || d.tenantId !== card.tenantId || !names(d.body, null)) continue;
    const seq = seqOf(d.id) * 1000;
    if (d.attempts.length === 0) out.push(timed('webhook', d.createdAt, seq, { deliveryId: d.id, event: d.event, state: d.state, attempt: null }));
    d.attempts.forEach((a, i) =>
      out.push(
        timed('webhook', a.at, seq + i, {
          deliveryId: d.id,
          event: d.event,
          state: d.state,
          attempt: i + 1,
          url: a.url,
          status: a.status ?? null,
          error: a.error ?? null,
        }),
      ),
    );
  }
  return out;
}

/** Whether JSON text (whole, or cut short at `cutFrom` bytes) names the card in one of the vendor's card-id fields. */
function mentionTest(card: TimelineCard): (text: string | null, cutFrom: number | null) => boolean {
  const fields = new Set(card.fields);
  const values = new Set(card.values);
  const patterns = card.fields.flatMap((f) => card.values.map((v) => new RegExp(`"${escape(f)}"\\s*:\\s*(?:\\[[^\\]]*?)?"?${escape(v)}(?:"|[\\s,}\\]])`)));
  return (text, cutFrom) => {
    if (text === null || !card.values.some((v) => text.includes(v))) return false;
    if (cutFrom === null) {
      try {
        return names(JSON.parse(text), fields, values, '');
      } catch {
        // not JSON: fall through to the text patterns
      }
    }
    return patterns.some((p) => p.test(text));
  };
}

function names(value: unknown, fields: Set<string>, values: Set<string>, key: string): boolean {
  if (Array.isArray(value)) return value.some((v) => names(v, fields, values, key));
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([k, v]) => names(v, fields, values, k));
  return (typeof value === 'string' || typeof value === 'number') && fields.has(key) && values.has(String(value));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function seqOf(id: string): number {
  return Number(id.slice(id.indexOf('_') + 1)) || 0;
}
