/**
 * What the control plane takes and answers, route by route (see src/control/): shapes that import
 * nothing (here and in src/core/wire-types.ts), so that a consumer of the client needs none of the
 * sandbox's internals nor their dependencies' types; test/testing/client.test.ts checks that the
 * webhook delivery written out here stays that of src/core/webhooks.ts.
 */

import type { CardAction, FaultRule, MagicValue as CoreMagicValue, Tenant, WebhookDelivery } from '../core/wire-types.js';

export type ClockMode = 'system' | 'frozen';

export type { CardAction, FaultKind, FaultRule, JournalEntry, Tenant, WebhookAttempt, WebhookDelivery } from '../core/wire-types.js';

/** A request value that forces an outcome (`*` in `value` stands for any characters). */
export type MagicValue = Omit<CoreMagicValue, 'anyCase'>;

/** The control plane's error body: `{"error": {code, field, message}}`. */
export interface ControlPlaneErrorBody {
  error: { code: string; field: string | null; message: string };
}

export interface Health {
  status: 'ok' | 'failing';
  uptimeMs: number;
  vendors: string[];
  clock: ClockState;
  store: string;
  storeFailure?: string;
}

export interface ClockState {
  now: number;
  mode: ClockMode;
}

/** One thing that fell due and ran while the clock was set or advanced. */
export interface RanJob {
  at: number;
  /** settlement (a vendor's deferred work), webhook (one delivery attempt), expiry (the retention sweep), or job. */
  kind: 'settlement' | 'webhook' | 'expiry' | 'job' | (string & {});
  /** The job type: `<vendor>.<job>`, `webhook.deliver`, `retention`. */
  job: string;
  tenant: string | null;
  /** A settlement: its vendor and the job's payload (the record it settles). */
  vendor?: string;
  payload?: unknown;
  /** A webhook attempt: the delivery, its number, where it went, the answer's status or the error, and the delivery's state after it. */
  deliveryId?: string;
  event?: string;
  attempt?: number;
  url?: string;
  status?: number | null;
  error?: string | null;
  state?: string;
  nextAttemptAt?: number | null;
  /** An expiry: how many records the sweep forgot. */
  removed?: number;
}

/** The answer of POST /__sandbox/clock: the clock, and what ran, in order. */
export interface ClockChange extends ClockState {
  ran: RanJob[];
}

export interface ScenarioList {
  scenarios: Array<{ name: string; description: string }>;
}

/** The answer of a scenario load or a reset. */
export interface Loaded {
  status: 'ok';
  scenario: string;
  tenant?: string;
}

export interface TenantList {
  tenants: Tenant[];
  /** Per vendor, the settings its merchants take (PATCH /__sandbox/tenants/<id> {"settings"}): name → rule. */
  settings: Record<string, Record<string, SettingRule>>;
}

/** A merchant setting's rule, default and meaning; a merchant's own value, where it has one, is in its `settings`. */
export type SettingRule = (
  { type: 'integer'; min?: number; max?: number; nullable?: boolean; default: number | null } | { type: 'enum'; values: string[]; default: string }
) & { doc: string };

export interface NewTenant {
  vendor: string;
  /** The scenario whose first merchant of the vendor it copies (default "default"). */
  scenario?: string;
  name?: string;
}

/** Merged into the tenant; settings are checked per vendor. */
export interface TenantPatch {
  webhookUrl?: string | null;
  webhookUrls?: Record<string, string>;
  credentials?: Record<string, string>;
  settings?: Record<string, unknown>;
}

export interface TenantDeleted {
  status: 'ok';
  id: string;
  removed: number;
}

export type NetworkEventName = 'authorize' | 'clear' | 'reverse' | 'refund';

export interface SimulateInput {
  vendor: string;
  cardId: string;
  /** Decimal amount; required but for reverse (the whole hold by default). */
  amount?: string | number;
  currency?: string;
  merchantName?: string;
  mcc?: string;
  /** The authorization or clearing this event refers to (default: the latest open one). */
  transactionId?: string;
  tenant?: string;
}

/** A network transaction as the control plane shows it: amounts as decimal strings. */
export interface SimulatedTransaction {
  id: string;
  tenantId: string;
  vendor: string;
  cardId: string;
  accountId: string;
  kind: 'authorization' | 'verification' | 'clearing' | 'reversal' | 'refund';
  status: 'approved' | 'declined';
  declineReason: string | null;
  amount: string;
  currency: string;
  cardAmount: string;
  cardCurrency: string;
  merchantName: string;
  mcc: string;
  authCode: string | null;
  originId: string | null;
  holdRemaining: string;
  authorizedAt: number;
  createdAt: number;
}

export interface MagicValues {
  vendors: Record<string, MagicValue[]>;
}

export interface OutcomeKinds {
  vendors: Record<string, Array<{ kind: string; id: string; outcomes: string[] }>>;
}

export interface ForceOutcome {
  vendor: string;
  kind: string;
  id: string;
  outcome: string;
  tenant?: string;
  /** Extra fields a kind takes (a rejection reason, …). */
  [field: string]: string | undefined;
}

export interface ForcedOutcome {
  vendor: string;
  kind: string;
  id: string;
  tenant: string;
  outcome: string;
  record: unknown;
}

/** A rule to add: without its id (the sandbox gives one). */
export type FaultInput = Omit<FaultRule, 'id'>;

export interface Removed {
  status: 'ok';
  removed: number;
}

export interface RequestFilter {
  vendor?: string;
  operation?: string;
  tenant?: string;
  code?: string | number;
  status?: number;
  since?: number;
  until?: number;
  limit?: number;
}

export interface WebhookFilter {
  vendor?: string;
  tenant?: string;
  event?: string;
  state?: WebhookDelivery['state'];
  limit?: number;
  after?: string;
}

export interface TimelineEvent {
  at: number;
  kind: 'request' | 'transition' | 'ledger' | 'webhook';
  [field: string]: unknown;
}

export interface Timeline {
  vendor: string;
  cardId: string;
  tenantId: string;
  events: TimelineEvent[];
}

/** GET /__sandbox/cards filters; all optional. `q` matches card id, last 4 digits and holder, case-insensitive. */
export interface CardFilter {
  vendor?: string;
  tenant?: string;
  q?: string;
  state?: string;
  /** From 1. */
  page?: number;
  /** 1 to 500; 50 unless given. */
  size?: number;
}

/** One card of any vendor, as GET /__sandbox/cards lists it. */
export interface CardSummary {
  vendor: string;
  tenant: string;
  cardId: string;
  /** Its card machine's state (ACTIVE, FROZEN, …). */
  state: string;
  holder: string | null;
  /** BIN + ****** + last 4, where the vendor has a card number. */
  masked: string | null;
  last4: string | null;
  currency: string;
  /** Exact decimal strings: available, held, balance. */
  balances: Record<string, string>;
  createdAt: number;
}

export interface CardPage {
  cards: CardSummary[];
  page: number;
  size: number;
  /** Matching cards over all pages. */
  total: number;
  pages: number;
  more: boolean;
}

/** A record of the card whose outcome POST /__sandbox/outcomes can force. */
export interface PendingRecord {
  kind: string;
  id: string;
  since: number;
  outcomes: string[];
}

export interface CardDetail extends CardSummary {
  actions: CardAction[];
  pending: PendingRecord[];
}

/** GET /__sandbox/requests/stream: the journal's filters, and how long the tail lasts. */
export interface RequestTailOptions extends Omit<RequestFilter, 'limit'> {
  /** Ends the tail after this many entries. */
  limit?: number;
  /** Seconds between heartbeat comments (15 unless given). */
  heartbeat?: number;
  /** Stops the tail. */
  signal?: AbortSignal;
}
