import type { CardAction } from './vendor-calls.js';

/** The control plane's answers, as far as the dashboard reads them. */

export interface Health {
  status: string;
  uptimeMs: number;
  vendors: string[];
  clock: Clock;
  store: string;
  storeFailure?: string;
}

export interface Clock {
  now: number;
  mode: 'system' | 'frozen';
  /** What fell due while the clock moved (POST /clock). */
  ran?: Array<Record<string, unknown>>;
}

export interface Tenant {
  id: string;
  vendor: string;
  name: string;
  credentials: Record<string, string>;
  webhookUrl: string | null;
  webhookUrls?: Record<string, string>;
  settings: Record<string, unknown>;
}

export interface Scenario {
  name: string;
  description: string;
}

export interface CardRow {
  vendor: string;
  tenant: string;
  cardId: string;
  state: string;
  holder: string | null;
  masked: string | null;
  last4: string | null;
  currency: string;
  balances: Record<string, string>;
  createdAt: number;
}

export interface CardList {
  cards: CardRow[];
  page: number;
  size: number;
  total: number;
  pages: number;
  more: boolean;
}

export interface Pending {
  kind: string;
  id: string;
  since: number;
  outcomes: string[];
}

export interface CardDetail extends CardRow {
  actions: CardAction[];
  pending: Pending[];
}

export interface TimelineEvent {
  at: number;
  kind: 'request' | 'transition' | 'ledger' | 'webhook';
  [key: string]: unknown;
}

export interface Timeline {
  vendor: string;
  cardId: string;
  tenantId: string;
  events: TimelineEvent[];
}

export interface Attempt {
  at: number;
  url: string;
  status?: number;
  response?: string;
  error?: string;
  ms: number;
}

export interface Delivery {
  id: string;
  tenantId: string;
  vendor: string;
  event: string;
  body: string;
  state: string;
  attempts: Attempt[];
  createdAt: number;
  nextAttemptAt: number | null;
}

export interface JournalEntry {
  id: string;
  at: number;
  method: string;
  path: string;
  vendor: string | null;
  operation: string | null;
  tenantId: string | null;
  status: number;
  code: string | null;
  durationMs: number;
  diagnostic: string | null;
  fault: unknown;
  request: { headers?: Record<string, string>; body?: unknown };
  response: { body?: unknown; headers?: Record<string, string> };
}

export interface FaultRule {
  id: string;
  fault: string;
  vendor?: string;
  operation?: string;
  tenant?: string;
  times?: number;
  remaining?: number;
  probability?: number;
  status?: number;
  code?: string;
  latencyMs?: number;
  retryAfter?: number;
}

export interface MagicValue {
  operation: string;
  field: string;
  value: string;
  outcome: string;
  description: string;
}

export interface OutcomeKind {
  kind: string;
  id: string;
  outcomes: string[];
}
