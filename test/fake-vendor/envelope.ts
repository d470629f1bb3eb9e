/** Fakebank's envelope: `{code: "OK", message, data}`; errors `{code: "E_…", message, data: null}` at their own HTTP status. */
import { defineEnvelope, type EnvelopeCode } from '../../src/core/envelope.js';
import type { CanonicalCode } from '../../src/core/errors.js';

const PARAM: EnvelopeCode = { status: 400, code: 'E_PARAM', message: 'invalid request' };
const AUTH: EnvelopeCode = { status: 401, code: 'E_AUTH', message: 'not authenticated' };
const NOT_FOUND: EnvelopeCode = { status: 404, code: 'E_NOT_FOUND', message: 'not found' };
const CONFLICT: EnvelopeCode = { status: 409, code: 'E_CONFLICT', message: 'conflict' };

export const CODES = {
  route_not_found: { status: 404, code: 'E_ROUTE', message: 'no such operation' },
  method_not_allowed: { status: 405, code: 'E_ROUTE', message: 'method not allowed' },
  malformed_body: PARAM,
  unsupported_media_type: PARAM,
  payload_too_large: { status: 413, code: 'E_TOO_LARGE', message: 'body too large' },
  unauthenticated: AUTH,
  forbidden: { status: 403, code: 'E_FORBIDDEN', message: 'forbidden' },
  invalid_signature: AUTH,
  stale_timestamp: AUTH,
  duplicate_request: CONFLICT,
  invalid_param: PARAM,
  idempotency_conflict: CONFLICT,
  account_not_found: NOT_FOUND,
  cardholder_not_found: NOT_FOUND,
  card_not_found: NOT_FOUND,
  resource_not_found: NOT_FOUND,
  duplicate_email: CONFLICT,
  duplicate_resource: CONFLICT,
  invalid_state: { status: 409, code: 'E_STATE', message: 'not allowed in this state' },
  not_supported: PARAM,
  insufficient_balance: { status: 402, code: 'E_FUNDS', message: 'insufficient funds' },
  amount_above_max: PARAM,
  amount_below_min: PARAM,
  limit_exceeded: PARAM,
  merchant_inactive: { status: 403, code: 'E_FORBIDDEN', message: 'forbidden' },
  service_unavailable: { status: 503, code: 'E_UNAVAILABLE', message: 'service unavailable' },
  internal: { status: 500, code: 'E_INTERNAL', message: 'internal error' },
} as const satisfies Record<CanonicalCode, EnvelopeCode>;

export const envelope = defineEnvelope({
  codeField: 'code',
  messageField: 'message',
  success: { code: 'OK', message: 'ok' },
  codes: CODES,
  data: 'always',
  detail: 'always',
});
