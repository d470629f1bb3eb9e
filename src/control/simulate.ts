/**
 * POST /__sandbox/simulate/<authorize|clear|reverse|refund>: card-network events on any vendor's card
 * (`tenant`, if given, must own it).
 * The core ledger moves the money; the card's vendor renders the transaction in its own records and
 * webhooks. `tenant` names the merchant when several hold a card by that id (copies of one scenario).
 */
import type { Request, Response } from 'express';
import { SandboxError } from '../core/errors.js';
import { authorize, clear, refund, reverse, type CardTxn, type NetworkCard, type NetworkEvent } from '../core/ledger.js';
import { formatAmount, parseAmount } from '../core/money.js';
import { vendorBySlug, vendorContext, type Runtime } from '../core/runtime.js';
import { readAcross } from '../core/records.js';
import { getTenant } from '../core/tenants.js';
import type { Transaction } from '../core/store.js';
import type { VendorModule } from '../core/vendor.js';

type Action = (tx: Transaction, card: NetworkCard, body: SimulateBody, at: number) => CardTxn;

interface SimulateBody {
  event: NetworkEvent;
  transactionId?: string;
  amountGiven: boolean;
}

const ACTIONS: Record<string, Action> = {
  authorize: (tx, card, b, at) => authorize(tx, card, b.event, at),
  clear: (tx, card, b, at) => clear(tx, card, b.transactionId, b.event, at),
  reverse: (tx, card, b, at) => reverse(tx, card, b.transactionId, b.amountGiven ? b.event.amount : undefined, at),
  refund: (tx, card, b, at) => refund(tx, card, b.transactionId, b.event, at),
};

export function simulateRoute(rt: Runtime) {
  return async (req: Request, res: Response): Promise<void> => {
    const name = String(req.params.action);
    // Own names only: /simulate/toString is as unknown as /simulate/nothing.
    const action = Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
    if (!action)
      throw new SandboxError('route_not_found', { diagnostic: `unknown network event ${req.params.action}; use authorize, clear, reverse or refund` });
    const body = (req.body ?? {}) as Record<string, unknown>;
    const vendor = vendorBySlug(rt, String(body.vendor));
    if (!vendor) throw new SandboxError('invalid_param', { field: 'vendor', diagnostic: `vendor must be one of ${rt.vendors.map((v) => v.slug).join(', ')}` });
    if (body.cardId === undefined) throw new SandboxError('invalid_param', { field: 'cardId', diagnostic: 'cardId is required' });
    const card = await networkCard(rt, vendor, String(body.cardId), optionalString(body.tenant, 'tenant'));
    const isReverse = req.params.action === 'reverse';
    const amountGiven = body.amount !== undefined;
    if (!amountGiven && !isReverse) throw new SandboxError('invalid_param', { field: 'amount', diagnostic: 'amount is required' });
    const simulate: SimulateBody = {
      amountGiven,
      transactionId: optionalString(body.transactionId, 'transactionId'),
      event: {
        amount: amountGiven ? parseAmount(body.amount, { field: 'amount', positive: req.params.action !== 'authorize' }) : 0,
        currency: optionalString(body.currency, 'currency'),
        merchantName: optionalString(body.merchantName, 'merchantName'),
        mcc: optionalString(body.mcc, 'mcc'),
      },
    };
    if (req.params.action === 'authorize') simulate.event.transactionId = simulate.transactionId;

    rt.scheduler.runDue();
    const tenant = getTenant(rt.store, card.tenantId)!;
    const txn = await rt.store.run(tenant.id, (tx) => {
      const now = rt.clock.now();
      const made = action(tx, card, simulate, now);
      vendor.network.onTransaction(vendorContext(rt, vendor, tx, tenant, now), made);
      return made;
    });
    rt.scheduler.kick();
    res.json({
      transaction: { ...txn, amount: formatAmount(txn.amount), cardAmount: formatAmount(txn.cardAmount), holdRemaining: formatAmount(txn.holdRemaining) },
    });
  };
}

/** The vendor's card `cardId`, at merchant `tenantId` if given; refuses an id several merchants hold (409). */
export async function networkCard(rt: Runtime, vendor: VendorModule, cardId: string, tenantId?: string): Promise<NetworkCard> {
  if (tenantId !== undefined && getTenant(rt.store, tenantId)?.vendor !== vendor.slug) {
    throw new SandboxError('resource_not_found', {
      field: 'tenant',
      diagnostic: `${vendor.slug} has no merchant ${tenantId} (GET /__sandbox/tenants lists them)`,
    });
  }
  const cards = (await readAcross(rt.store, (view) => vendor.network.findCards(view, cardId))).filter((c) => tenantId === undefined || c.tenantId === tenantId);
  if (cards.length === 0)
    throw new SandboxError('card_not_found', {
      field: 'cardId',
      diagnostic: `${vendor.slug} has no card ${cardId}${tenantId === undefined ? '' : ` at merchant ${tenantId}`}`,
    });
  if (cards.length > 1) {
    throw new SandboxError('duplicate_resource', {
      field: 'tenant',
      diagnostic: `${vendor.slug} card ${cardId} is held by ${cards.length} merchants (${cards.map((c) => c.tenantId).join(', ')}); name one with "tenant"`,
    });
  }
  return cards[0];
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') throw new SandboxError('invalid_param', { field, diagnostic: `${field} must be a string` });
  return String(value);
}
