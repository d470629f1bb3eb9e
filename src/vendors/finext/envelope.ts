/**
 * Finext's envelope: `{code: 10200, message: "ok", data?}`. INFERRED: Finext publishes no error-code table
 * (the intro and error pages were not retrievable), so every code below except 10200 is ours, in the
 * 10200 style. This is the one place they are decided; the README lists them. HTTP status is 200
 * throughout, as for success.
 */
import { defineEnvelope, type EnvelopeCode } from '../../core/envelope.js';
import type { CanonicalCode } from '../../core/errors.js';

const PARAM: EnvelopeCode = { code: 10400, message: 'parameter error' };
const AUTH: EnvelopeCode = { code: 10401, message: 'authentication failed' };
const NOT_FOUND: EnvelopeCode = { code: 10404, message: 'not found' };
const CONFLICT: EnvelopeCode = { code: 10409, message: 'status conflict' };
const LIMIT: EnvelopeCode = { code: 10411, message: 'amount limit exceeded' };
const INTERNAL: EnvelopeCode = { code: 10500, message: 'internal error' };

export const CODES = {
  route_not_found: { code: 10404, message: 'api not found' },
  method_not_allowed: { code: 10405, message: 'method not allowed' },
  malformed_body: PARAM,
  unsupported_media_type: PARAM,
  payload_too_large: PARAM,
  unauthenticated: AUTH,
  forbidden: AUTH,
  merchant_inactive: AUTH,
  invalid_signature: { code: 10401, message: 'sign error' },
  stale_timestamp: { code: 10402, message: 'timestamp expired' },
  duplicate_request: { code: 10403, message: 'duplicate request_id' },
  invalid_param: PARAM,
  idempotency_conflict: { code: 10403, message: 'duplicate transaction_id' },
  account_not_found: { code: 10404, message: 'account not found' },
  cardholder_not_found: { code: 10404, message: 'account not found' },
  card_not_found: { code: 10404, message: 'card not found' },
  resource_not_found: NOT_FOUND,
  duplicate_email: { code: 10409, message: 'account already exists' },
  duplicate_resource: { code: 10409, message: 'account already exists' },
  invalid_state: CONFLICT,
  not_supported: CONFLICT,
  insufficient_balance: { code: 10410, message: 'insufficient balance' },
  amount_above_max: LIMIT,
  amount_below_min: LIMIT,
  limit_exceeded: LIMIT,
  service_unavailable: INTERNAL,
  internal: INTERNAL,
} as const satisfies Record<CanonicalCode, EnvelopeCode>;

export const envelope = defineEnvelope({
  codeField: 'code',
  messageField: 'msg',
  success: { code: 10200, message: 'ok' },
  codes: CODES,
  data: 'when-present',
  detail: 'always',
});
