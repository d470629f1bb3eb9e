/** How OPEN-API authenticates and signs its webhooks, for its OpenAPI document (src/openapi): what its contracts do not say. */
import type { OpenApiNotes } from '../../core/vendor.js';

export const OPENAPI_NOTES: OpenApiNotes = {
  auth: 'Credentials travel in the JSON body of every request, not in a header: `customer_id`, `app_id` and `key` (the app key). There is no request signature (INFERRED). OpenAPI has no security scheme for body fields, so every request schema lists them and no `security` is declared.',
  securitySchemes: {},
  security: [],
  webhooks:
    'POSTed as `{customer_id, app_id, type, data}`, signed (INFERRED) with an `X-Signature` header = hex HMAC-SHA256 of the raw body under the app key, or unsigned per merchant setting. Acknowledge with `{"code":0}`.',
};
