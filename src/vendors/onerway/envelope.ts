/**
 * Onerway's envelope: `{respCode, respMsg, data}`, HTTP 200 for business errors, 401/403 for key and
 * IP problems, and `data: null` on failure. Codes are the documented table (docs.onerway.com, issuing
 * API overview); where no documented code fits, the choice is marked INFERRED.
 */
import type { CanonicalCode, SandboxError } from '../../core/errors.js';
import type { Envelope } from '../../core/vendor.js';

interface Code {
  status: number;
  respCode: string;
  respMsg: string;
  /** Append the error's short detail (which field, which rule) to respMsg, as Spring validation does. */
  detail?: true;
}

const PARAM: Code = { status: 200, respCode: '40000', respMsg: 'Param error', detail: true };

export const CODES = {
  route_not_found: { status: 200, respCode: '40004', respMsg: 'NoHandlerFoundException' },
  method_not_allowed: { status: 200, respCode: '40005', respMsg: 'HttpRequestMethodNotSupported' },
  malformed_body: { status: 200, respCode: '40013', respMsg: 'HttpMessageNotReadable' },
  unsupported_media_type: { status: 200, respCode: '40015', respMsg: 'HttpMediaTypeNotSupported' },
  // INFERRED: an oversized body is unreadable to the server, like malformed JSON.
  payload_too_large: { status: 200, respCode: '40013', respMsg: 'HttpMessageNotReadable' },
  // INFERRED: the docs give only the HTTP status (401 invalid key, 403 IP/permissions) for these.
  unauthenticated: { status: 401, respCode: '81000', respMsg: 'Unauthorized Merchant' },
  forbidden: { status: 403, respCode: '81000', respMsg: 'Unauthorized Merchant' },
  invalid_signature: { status: 401, respCode: '81000', respMsg: 'Unauthorized Merchant' },
  stale_timestamp: { status: 401, respCode: '81000', respMsg: 'Unauthorized Merchant' },
  duplicate_request: { status: 200, respCode: '80010', respMsg: 'Duplicate data' },
  invalid_param: PARAM,
  idempotency_conflict: { status: 200, respCode: '80010', respMsg: 'Duplicate data' },
  account_not_found: { status: 200, respCode: '80006', respMsg: 'Merchant account not found' },
  cardholder_not_found: { status: 200, respCode: '80001', respMsg: 'Cardholder not found' },
  // INFERRED: no documented code for an unknown card, product or record; Onerway validates ids as params.
  card_not_found: PARAM,
  resource_not_found: PARAM,
  duplicate_email: { status: 200, respCode: '80002', respMsg: 'Cardholder email already exists' },
  duplicate_resource: { status: 200, respCode: '80010', respMsg: 'Duplicate data' },
  // INFERRED: an operation the card's status does not allow is reported as a parameter error.
  invalid_state: PARAM,
  not_supported: { status: 200, respCode: '81001', respMsg: 'Business does not exist' },
  insufficient_balance: { status: 200, respCode: '80007', respMsg: 'Merchant balance not enough' },
  amount_above_max: { status: 200, respCode: '80008', respMsg: 'Recharge amount exceeds the maximum limit' },
  amount_below_min: { status: 200, respCode: '80009', respMsg: 'Recharge amount is less than the minimum limit' },
  limit_exceeded: { status: 200, respCode: '80011', respMsg: 'Cardholder card count limit' },
  merchant_inactive: { status: 200, respCode: '80004', respMsg: 'Merchant status is invalid' },
  service_unavailable: { status: 200, respCode: '80000', respMsg: 'Internal service error' },
  internal: { status: 200, respCode: '80000', respMsg: 'Internal service error' },
} as const satisfies Record<CanonicalCode, Code>;

export const envelope: Envelope = {
  codeField: 'respCode',
  ok: (data) => ({ respCode: '20000', respMsg: 'success', data: data ?? null }),
  error: (err: SandboxError) => {
    const code: Code = CODES[err.code];
    const respMsg = code.detail && err.detail ? `${code.respMsg}: ${err.detail}` : code.respMsg;
    return { status: code.status, body: { respCode: code.respCode, respMsg, data: null } };
  },
};
