/**
 * The shapes the control plane takes and answers that the sandbox also works with inside: written here,
 * importing nothing, so that the control-plane client's types (src/client/types.ts) need none of the
 * sandbox's internals.
 */

export const FAULT_KINDS = ['latency', 'error', 'http_error', 'rate_limit', 'drop', 'commit_then_drop'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** A rule as posted, and as listed (with its id, its defaults, and what is left of `times`). */
export interface FaultRule {
  id: string;
  vendor?: string;
  operation?: string;
  tenant?: string;
  times?: number;
  probability?: number;
  seed?: number;
  fault: FaultKind;
  latencyMs?: number | [number, number];
  code?: string | number;
  status?: number;
  retryAfter?: number;
}

/** What a rule did to one request, as the journal shows it. */
export interface AppliedFault {
  /** The rule's id, or "header" for the request's own X-Sandbox-Fault. */
  rule: string;
  fault: FaultKind;
  latencyMs?: number;
  code?: string | number;
  status?: number;
  retryAfter?: number;
}

export interface Tenant {
  id: string;
  /** Tenants own themselves: `tenantId === id`. */
  tenantId: string;
  vendor: string;
  name: string;
  /** The vendor's own credential fields (`apiKey`, `api_key` + `secret`, …). */
  credentials: Record<string, string>;
  /** Where webhooks go; a vendor may also route by event through `webhookUrls`. */
  webhookUrl: string | null;
  webhookUrls?: Record<string, string>;
  /** Vendor-specific knobs (settlement delay, fees, limits, …). */
  settings: Record<string, unknown>;
}

export interface JournalEntry {
  id: string;
  at: number;
  method: string;
  path: string;
  vendor: string;
  operation: string | null;
  tenantId: string | null;
  /** HTTP status, or null when the connection was dropped without an answer. */
  status: number | null;
  /** The vendor's business code from its envelope (`"20000"`, 10404, 0, …). */
  code: string | number | null;
  durationMs: number;
  diagnostic: string | null;
  fault: AppliedFault | null;
  request: { headers: Record<string, string>; body: unknown };
  response: { body: unknown };
}

export interface MagicValue {
  /** The vendor's operation that takes the value. */
  operation: string;
  /** The request field that carries it. */
  field: string;
  /** The value, where `*` stands for any characters: `*_FAIL` is any value ending in `_FAIL`. */
  value: string;
  /** What it forces, in the vendor's own terms. */
  outcome: string;
  description: string;
  /** Letters match in any case (say so in the description too). */
  anyCase?: boolean;
}

export interface WebhookAttempt {
  at: number;
  url: string;
  status?: number;
  response?: string;
  error?: string;
  ms: number;
}

export interface WebhookDelivery {
  id: string;
  tenantId: string;
  vendor: string;
  event: string;
  /** The event as stored; each attempt is rendered from it (a vendor may add a timestamp and signature). */
  body: string;
  state: 'pending' | 'delivered' | 'retrying' | 'failed' | 'no_url';
  attempts: WebhookAttempt[];
  createdAt: number;
  nextAttemptAt: number | null;
  /** Where the current retry ladder starts in `attempts`: set by a resend, which starts the vendor's retries over. */
  retriesFrom?: number;
}

/** One of a vendor's own operations that changes a card's state, as the dashboard's buttons call it. */
export interface CardAction {
  /** The change in the vendor's terms, lower case: `freeze`, `unfreeze`, `block`, `cancel`… */
  name: string;
  /** The card machine's event it applies, and the state it leads to. */
  event: string;
  to: string;
  /** The vendor operation that does it. */
  operation: string;
  /** Where to POST it, from the sandbox's root. */
  path: string;
  /** The body fields that pick this card and this change; the caller adds credentials, signature, nonce and any idempotency key. */
  body: Record<string, unknown>;
}
