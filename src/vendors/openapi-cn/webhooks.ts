/**
 * Webhooks. The seed names the categories (Card Notify: Order, Card, Card Trade; Payee Notify; Payment
 * Notify; Wallet Notify); everything else is INFERRED (inferred.ts): a POST of
 * `{customer_id, app_id, type, data}`, signed with HMAC-SHA256 of the raw body under the app key in an
 * `X-Signature` header (or unsigned, per merchant), acknowledged by `{"code":0}`.
 */
import { ackWhen, hmacSha256Hex, urlPerEvent, type VendorWebhooks } from '../../core/webhooks.js';
import type { VendorContext } from '../../core/vendor.js';
import { WEBHOOK_RETRY_DELAYS_MS, WEBHOOK_SIGNATURE_HEADER } from './inferred.js';
import { settingsOf } from './model.js';

export const EVENTS = {
  order: 'order',
  card: 'card',
  cardTrade: 'card_trade',
  payee: 'payee',
  payment: 'payment',
  wallet: 'wallet',
} as const;

/** Queues a notification of one of the seed's categories with the object as the detail endpoints show it. */
export function notify(ctx: VendorContext, type: string, data: unknown): void {
  ctx.emit(type, { customer_id: Number(ctx.tenant.credentials.customer_id), app_id: Number(ctx.tenant.credentials.app_id), type, data });
}

export function signBody(key: string, body: string): string {
  return hmacSha256Hex(key, body);
}

export const webhooks: VendorWebhooks = {
  urlFor: urlPerEvent,
  render(tenant, body) {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (settingsOf(tenant).webhookSigning === 'hmac-sha256') headers[WEBHOOK_SIGNATURE_HEADER] = signBody(tenant.credentials.key ?? '', body);
    return { headers, body };
  },
  isAck: ackWhen('code', 0),
  retryDelaysMs: WEBHOOK_RETRY_DELAYS_MS,
};
