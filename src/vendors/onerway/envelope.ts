/**
 * Onerway's envelope: `{respCode, respMsg, data}`, HTTP 200 for business errors, 401/403 for key and
 * IP problems, and `data: null` on failure. Codes are the documented table (docs.onerway.com, issuing
 * API overview); where no documented code fits, the choice is marked INFERRED.
 */
import { defineEnvelope, type EnvelopeCode } from '../../core/envelope.js';
import type { CanonicalCode } from '../../core/errors.js';

const PARAM: EnvelopeCode = { status: 200, code: '40000', message: 'Param error', withDetail: true };

export const CODES = {
  route_not_found: { status: 200, code: '40004', message: 'NoHandlerFoundException' },
  method_not_allowed: { status: 200, code: '40005', message: 'HttpRequestMethodNotSupported' },
  malformed_body: { status: 200, code: '40013', message: 'HttpMessageNotReadable' },
  unsupported_media_type: { status: 200, code: '40015', message: 'HttpMediaTypeNotSupported' },
  // INFERRED: an oversized body is unreadable to the server, like malformed JSON.
  payload_too_large: { status: 200, code: '40013', message: 'HttpMessageNotReadable' },
  // INFERRED: the docs give only the HTTP status (401 invalid key, 403 IP/permissions) for these.
  unauthenticated: { status: 401, code: '81000', message: 'Unauthorized Merchant' },
  forbidden: { status: 403, code: '81000', message: 'Unauthorized Merchant' },
  invalid_signature: { status: 401, code: '81000', message: 'Unauthorized Merchant' },
  stale_timestamp: { status: 401, code: '81000', message: 'Unauthorized Merchant' },
  duplicate_request: { status: 200, code: '80010', message: 'Duplicate data' },
  invalid_param: PARAM,
  idempotency_conflict: { status: 200, code: '80010', message: 'Duplicate data' },
  account_not_found: { status: 200, code: '80006', message: 'Merchant account not found' },
  cardholder_not_found: { status: 200, code: '80001', message: 'Cardholder not found' },
  // INFERRED: no documented code for an unknown card, product or record; Onerway validates ids as params.
  card_not_found: PARAM,
  resource_not_found: PARAM,
  duplicate_email: { status: 200, code: '80002', message: 'Cardholder email already exists' },
  duplicate_resource: { status: 200, code: '80010', message: 'Duplicate data' },
  // INFERRED: an operation the card's status does not allow is reported as a parameter error.
  invalid_state: PARAM,
  not_supported: { status: 200, code: '81001', message: 'Business does not exist' },
  insufficient_balance: { status: 200, code: '80007', message: 'Merchant balance not enough' },
  amount_above_max: { status: 200, code: '80008', message: 'Recharge amount exceeds the maximum limit' },
  amount_below_min: { status: 200, code: '80009', message: 'Recharge amount is less than the minimum limit' },
  limit_exceeded: { status: 200, code: '80011', message: 'Cardholder card count limit' },
  merchant_inactive: { status: 200, code: '80004', message: 'Merchant status is invalid' },
  service_unavailable: { status: 200, code: '80000', message: 'Internal service error' },
  internal: { status: 200, code: '80000', message: 'Internal service error' },
} as const satisfies Record<CanonicalCode, EnvelopeCode>;

// Spring validation appends which field and rule to a parameter error's respMsg; the other messages are fixed.
export const envelope = defineEnvelope({
  codeField: 'respCode',
  messageField: 'respMsg',
  success: { code: '20000', message: 'success' },
  codes: CODES,
  data: 'always',
  detail: 'per-code',
});
