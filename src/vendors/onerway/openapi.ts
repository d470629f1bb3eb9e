/** How Onerway authenticates and signs its webhooks, for its OpenAPI document (src/openapi): what its contracts do not say. */
import type { OpenApiNotes } from '../../core/vendor.js';

export const OPENAPI_NOTES: OpenApiNotes = {
  auth: "Every request carries the merchant's API key in the `ApiKey` header (`X-Onerway-ApiKey` is accepted too). A missing or unknown key answers HTTP 401 with respCode 81000. There is no request signature. Mutations are idempotent on `clientRequestId`.",
  securitySchemes: {
    ApiKey: { type: 'apiKey', in: 'header', name: 'ApiKey', description: "The merchant's API key (default merchant: onerway-test-apikey-0001)." },
  },
  security: [{ ApiKey: [] }],
  webhooks:
    'POSTed as JSON with headers `x-timestamp` (unix seconds) and `x-signature` = hex HMAC-SHA256 under the merchant\'s webhook secret of `x-timestamp + "." + body`. Acknowledge with HTTP 2xx and `{"respCode":"20000"}`; anything else is retried every 15 s, 10 times.',
};
