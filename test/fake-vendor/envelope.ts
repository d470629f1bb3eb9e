/** Fakebank's envelope: `{code: "OK", message, data}`; errors carry their own HTTP status and `data: null`. */
import type { CanonicalCode, SandboxError } from '../../src/core/errors.js';
import type { Envelope } from '../../src/core/vendor.js';

interface Code {
  status: number;
  code: string;
}

const PARAM: Code = { status: 400, code: 'E_PARAM' };
const AUTH: Code = { status: 401, code: 'E_AUTH' };
const NOT_FOUND: Code = { status: 404, code: 'E_NOT_FOUND' };
const CONFLICT: Code = { status: 409, code: 'E_CONFLICT' };

export const CODES = {
  route_not_found: { status: 404, code: 'E_ROUTE' },
  method_not_allowed: { status: 405, code: 'E_ROUTE' },
  malformed_body: PARAM,
  unsupported_media_type: PARAM,
  payload_too_large: { status: 413, code: 'E_TOO_LARGE' },
  unauthenticated: AUTH,
  forbidden: { status: 403, code: 'E_FORBIDDEN' },
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
  invalid_state: { status: 409, code: 'E_STATE' },
  not_supported: PARAM,
  insufficient_balance: { status: 402, code: 'E_FUNDS' },
  amount_above_max: PARAM,
  amount_below_min: PARAM,
  limit_exceeded: PARAM,
  merchant_inactive: { status: 403, code: 'E_FORBIDDEN' },
  service_unavailable: { status: 503, code: 'E_UNAVAILABLE' },
  internal: { status: 500, code: 'E_INTERNAL' },
} as const satisfies Record<CanonicalCode, Code>;

export const envelope: Envelope = {
  codeField: 'code',
  ok: (data) => ({ code: 'OK', message: 'ok', data: data ?? null }),
  error: (err: SandboxError) => {
    const code: Code = CODES[err.code];
    return { status: code.status, body: { code: code.code, message: err.detail ?? err.code, data: null } };
  },
};
