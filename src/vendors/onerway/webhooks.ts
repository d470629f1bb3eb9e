/**
 * Onerway webhooks [DOC: /issuing/issuing-api/webhooks]: `{request_id, event_type, created_at, version,
 * data}`, headers `x-timestamp` (unix seconds) and `x-signature` = hex HMAC-SHA256(webhook secret,
 * x-timestamp + "." + raw body). Anything but `respCode "20000"` is retried every 15 s, up to 10 times.
 */
import { nextSeq } from '../../core/ids.js';
import { ackWhen, hmacSha256Hex, type VendorWebhooks } from '../../core/webhooks.js';
import type { VendorContext } from '../../core/vendor.js';
import { SEQ } from './model.js';

export const OPERATE_EVENT = 'issuing.cardOperateEvent';
export const TRANSACTION_EVENT = 'issuing.cardTransactionEvent';

export function sign(secret: string, timestamp: string, body: string): string {
  return hmacSha256Hex(secret, `${timestamp}.${body}`);
}

/** Wraps event data in Onerway's webhook envelope; request_id is the receiver's dedup key, stable across retries. */
export function wrapEvent(ctx: VendorContext, eventType: string, data: unknown) {
  const seq = nextSeq(ctx.tx, SEQ.event, 1);
  return {
    request_id: `EVT${String(ctx.now)}${String(seq).padStart(8, '0')}`,
    event_type: eventType,
    created_at: new Date(ctx.now).toISOString(),
    version: '1.0',
    data,
  };
}

export const webhooks: VendorWebhooks = {
  urlFor: (tenant) => tenant.webhookUrl ?? undefined,
  render(tenant, body, now) {
    const timestamp = String(Math.floor(now / 1000));
    const headers = {
      'Content-Type': 'application/json;charset=UTF-8',
      'x-timestamp': timestamp,
      'x-signature': sign(tenant.credentials.webhookSecret ?? '', timestamp, body),
    };
    return { headers, body };
  },
  isAck: ackWhen('respCode', '20000'),
  retryDelaysMs: Array.from({ length: 10 }, () => 15_000),
};
