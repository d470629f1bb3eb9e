/** The OPEN-API envelope: `{"code":0,"message":"success","data"?}` [SEED]; errors are non-zero codes (inferred.ts), HTTP 200. */
import { defineEnvelope, type EnvelopeCode } from '../../core/envelope.js';
import type { CanonicalCode } from '../../core/errors.js';
import { ERROR_CODES as E } from './inferred.js';

export const CODES = {
  route_not_found: E.route,
  method_not_allowed: E.route,
  malformed_body: E.param,
  unsupported_media_type: E.param,
  payload_too_large: E.param,
  unauthenticated: E.auth,
  forbidden: E.auth,
  invalid_signature: E.auth,
  stale_timestamp: E.auth,
  merchant_inactive: E.auth,
  duplicate_request: E.duplicate,
  invalid_param: E.param,
  idempotency_conflict: E.duplicate,
  account_not_found: E.notFound,
  cardholder_not_found: E.notFound,
  card_not_found: E.cardNotFound,
  resource_not_found: E.notFound,
  duplicate_email: E.duplicate,
  duplicate_resource: E.duplicate,
  invalid_state: E.cardStatus,
  not_supported: E.virtualNotSupported,
  insufficient_balance: E.balance,
  amount_above_max: E.limit,
  amount_below_min: E.limit,
  limit_exceeded: E.limit,
  service_unavailable: E.internal,
  internal: E.internal,
} as const satisfies Record<CanonicalCode, EnvelopeCode>;

export const envelope = defineEnvelope({
  codeField: 'code',
  messageField: 'message',
  success: { code: 0, message: 'success' },
  codes: CODES,
  data: 'when-present',
  detail: 'always',
});
