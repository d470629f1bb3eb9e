/**
 * Canonical error codes. Handlers throw `SandboxError(code, …)`; each vendor's envelope maps every code
 * to its own HTTP status, business code and message (its `CODES` table is `satisfies
 * Record<CanonicalCode, …>`, so a vendor that forgets one does not compile).
 */
export const CANONICAL_CODES = [
  // transport
  'route_not_found',
  'method_not_allowed',
  'malformed_body',
  'unsupported_media_type',
  'payload_too_large',
  // authentication
  'unauthenticated',
  'forbidden',
  'invalid_signature',
  'stale_timestamp',
  'duplicate_request',
  // request
  'invalid_param',
  'idempotency_conflict',
  // resources
  'account_not_found',
  'cardholder_not_found',
  'card_not_found',
  'resource_not_found',
  'duplicate_email',
  'duplicate_resource',
  // business rules
  'invalid_state',
  'not_supported',
  'insufficient_balance',
  'amount_above_max',
  'amount_below_min',
  'limit_exceeded',
  'merchant_inactive',
  // faults
  'service_unavailable',
  'internal',
] as const;

export type CanonicalCode = (typeof CANONICAL_CODES)[number];

export interface SandboxErrorOptions {
  /** The request field at fault, if any (`amount`, `cardId`, …). */
  field?: string;
  /** Short public text a vendor may append to its terse message. */
  detail?: string;
  /** Longer developer-facing explanation: goes to the X-Sandbox-Diagnostic header and the log, never the body. */
  diagnostic?: string;
}

export class SandboxError extends Error {
  readonly code: CanonicalCode;
  readonly field?: string;
  readonly detail?: string;
  readonly diagnostic: string;

  constructor(code: CanonicalCode, options: SandboxErrorOptions = {}) {
    const diagnostic = options.diagnostic ?? options.detail ?? code;
    super(`${code}: ${diagnostic}`);
    this.name = 'SandboxError';
    this.code = code;
    this.field = options.field;
    this.detail = options.detail;
    this.diagnostic = diagnostic;
  }
}

export function invalidParam(field: string, rule: string, diagnostic?: string): SandboxError {
  return new SandboxError('invalid_param', { field, detail: `${field} ${rule}`, diagnostic: diagnostic ?? `${field} ${rule}` });
}

/** A refusal sent at another HTTP status than the envelope's own (a fault's 5xx or 429). */
export class Refusal extends Error {
  constructor(
    readonly error: SandboxError,
    readonly status: number,
  ) {
    super(error.message);
  }
}
