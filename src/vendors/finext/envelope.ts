/**
 * Finext's envelope: `{code: 10200, msg: "ok", data?}`. INFERRED: Finext publishes no error-code table
 * (the intro and error pages were not retrievable), so every code below except 10200 is ours, in the
 * 10200 style. This is the one place they are decided; the README lists them. HTTP status is 200
 * throughout, as for success.
 */
import type { CanonicalCode, SandboxError } from '../../core/errors.js';
import type { Envelope } from '../../core/vendor.js';

interface Code {
  code: number;
  msg: string;
}

const PARAM: Code = { code: 10400, msg: 'parameter error' };
const AUTH: Code = { code: 10401, msg: 'authentication failed' };
const NOT_FOUND: Code = { code: 10404, msg: 'not found' };
const CONFLICT: Code = { code: 10409, msg: 'status conflict' };
const LIMIT: Code = { code: 10411, msg: 'amount limit exceeded' };
const INTERNAL: Code = { code: 10500, msg: 'internal error' };

export const CODES = {
  route_not_found: { code: 10404, msg: 'api not found' },
  method_not_allowed: { code: 10405, msg: 'method not allowed' },
  malformed_body: PARAM,
  unsupported_media_type: PARAM,
  payload_too_large: PARAM,
  unauthenticated: AUTH,
  forbidden: AUTH,
  merchant_inactive: AUTH,
  invalid_signature: { code: 10401, msg: 'sign error' },
  stale_timestamp: { code: 10402, msg: 'timestamp expired' },
  duplicate_request: { code: 10403, msg: 'duplicate request_id' },
  invalid_param: PARAM,
  idempotency_conflict: { code: 10403, msg: 'duplicate transaction_id' },
  account_not_found: { code: 10404, msg: 'account not found' },
  cardholder_not_found: { code: 10404, msg: 'account not found' },
  card_not_found: { code: 10404, msg: 'card not found' },
  resource_not_found: NOT_FOUND,
  duplicate_email: { code: 10409, msg: 'account already exists' },
  duplicate_resource: { code: 10409, msg: 'account already exists' },
  invalid_state: CONFLICT,
  not_supported: CONFLICT,
  insufficient_balance: { code: 10410, msg: 'insufficient balance' },
  amount_above_max: LIMIT,
  amount_below_min: LIMIT,
  limit_exceeded: LIMIT,
  service_unavailable: INTERNAL,
  internal: INTERNAL,
} as const satisfies Record<CanonicalCode, Code>;

export const envelope: Envelope = {
  codeField: 'code',
  ok: (data) => (data === undefined ? { code: 10200, msg: 'ok' } : { code: 10200, msg: 'ok', data }),
  error: (err: SandboxError) => {
    const { code, msg } = CODES[err.code];
    return { status: 200, body: { code, msg: err.detail ? `${msg}: ${err.detail}` : msg } };
  },
};
