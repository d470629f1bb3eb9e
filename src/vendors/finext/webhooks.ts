/**
 * Finext webhooks [DOC: webhook-1.0.3]: POST JSON with an `authorization` header; the body carries
 * `api_key, request_id, timestamp, sign` (no-user form: MD5(api_key + timestamp + secret + request_id))
 * around the event's fields. There is no event-type field: INFERRED, each event may go to its own URL
 * (`webhookUrls[<event>]`, else `webhookUrl`). The merchant acknowledges with `{"code":10200}`;
 * INFERRED: anything else is retried after 30 s, 1, 5, 15 and 60 min, then 2 h (six retries).
 */
import { sequenceHex } from '../../core/ids.js';
import { ackWhen, urlPerEvent, type VendorWebhooks } from '../../core/webhooks.js';
import type { VendorContext } from '../../core/vendor.js';
import { SEQ } from './model.js';
import { sign } from './sign.js';

export const EVENTS = {
  cardStatus: 'card_status',
  kycStatus: 'kyc_status',
  newTransaction: 'new_card_transaction',
  transactionVoided: 'card_transaction_voided',
  topupStatus: 'card_topup_status',
} as const;

/** Queues an event with its own request_id (32 hex, the same on every retry, for the receiver's dedup). */
export function emit(ctx: VendorContext, event: string, fields: Record<string, unknown>): void {
  ctx.emit(event, { request_id: sequenceHex(ctx.tx, SEQ.webhookRequestId, ctx.now), ...fields });
}

export const webhooks: VendorWebhooks = {
  urlFor: urlPerEvent,
  render(tenant, stored, now) {
    const { request_id, ...fields } = JSON.parse(stored) as { request_id: string } & Record<string, unknown>;
    const api_key = tenant.credentials.api_key;
    const timestamp = String(now);
    const body = { api_key, request_id, timestamp, sign: sign('none', { api_key, timestamp, request_id, secret: tenant.credentials.secret ?? '' }), ...fields };
    const headers = { 'Content-Type': 'application/json', authorization: tenant.credentials.authorization ?? api_key };
    return { headers, body: JSON.stringify(body) };
  },
  isAck: ackWhen('code', 10200),
  retryDelaysMs: [30_000, 60_000, 300_000, 900_000, 3_600_000, 7_200_000],
};
