/** Fakebank's webhooks: the event as JSON, signed like its requests; any 2xx acknowledges; two retries. */
import { urlPerEvent, type VendorWebhooks } from '../../src/core/webhooks.js';
import { hmac } from './auth.js';

export const STATUS_EVENT = 'card.status';
export const TRANSACTION_EVENT = 'card.transaction';

export const webhooks: VendorWebhooks = {
  urlFor: urlPerEvent,
  render(tenant, body, now) {
    const timestamp = String(now);
    return {
      headers: {
        'content-type': 'application/json',
        'x-fake-timestamp': timestamp,
        'x-fake-signature': hmac(tenant.credentials.secret ?? '', timestamp, body),
      },
      body,
    };
  },
  isAck: (status) => status >= 200 && status < 300,
  retryDelaysMs: [1_000, 5_000],
};
