/**
 * Retention: what the vendors themselves forget (idempotency answers, request-id nonces, webhook
 * delivery logs) is forgotten here too, on the sandbox clock, so that a long-lived sandbox's memory and
 * disk stay bounded. A sweep runs on the scheduler every minute of sandbox time, or every tenth of the
 * shortest retention period when that is shorter (so that what is kept for a period is kept for that
 * period, not up to a minute more: a 30 s period is swept every 3 s); advancing the clock sweeps too. It deletes expired records, at most SWEEP_BATCH per transaction.
 *
 * Each kind of record is scanned per tenant in insertion order, oldest first, and the scan of a tenant
 * stops at the first record still within its time: records are written in time order, so nothing
 * after it has expired (after the clock is set back, a record may wait until the ones before it go).
 */
import { NONCES } from './nonces.js';
import type { StoredRecord, Store, Transaction } from './store.js';

export const SWEEP_EVERY_MS = 60_000;
const SWEEP_MIN_MS = 1000;

/** How often the sweep runs for these kinds: a minute, or a tenth of the shortest period (at least a second). */
export function sweepInterval(kinds: readonly Expiring[]): number {
  const shortest = Math.min(...kinds.map((k) => k.keepMs));
  return Math.max(SWEEP_MIN_MS, Math.min(SWEEP_EVERY_MS, Math.floor(shortest / 10)));
}
export const SWEEP_BATCH = 1000;

export interface RetentionPolicy {
  /** How long an idempotency key's answer is replayed. */
  idempotencyMs: number;
  /** How long an idempotency key stays used after its answer is gone (see idempotency.ts). */
  idempotencyKeysMs: number;
  /** How long a request-id nonce is remembered (Finext request_id). */
  noncesMs: number;
  /** How long a delivered or failed webhook delivery stays in the log. */
  webhooksMs: number;
  /** Delivered or failed deliveries kept per tenant at most (the newest). */
  webhookEntries: number;
  /**
   * How long settled history (ledger movements, card transactions, vendors' settled records) is kept;
   * Infinity (the default) keeps it forever, as the vendors do. See History.
   */
  historyMs: number;
}

/** What a removability check may read: a store, or a transaction (on PostgreSQL the sweep asks inside the record's tenant's transaction). */
export interface RecordReader {
  get(collection: string, tenantId: string, id: string): StoredRecord | undefined;
}

/** One kind of record that expires. */
export interface Expiring {
  collection: string;
  /** The instant the record's time runs from. */
  ageOf(record: StoredRecord): number;
  keepMs: number;
  /** Whether the record may go at all (a webhook still being retried may not); the scan goes past one that may not. */
  removable?(record: StoredRecord, store: RecordReader): boolean;
  /** Kept at most per tenant (the newest), whatever their age. */
  maxPerTenant?: number;
  /** What expiring does (default: delete). */
  expire?(tx: Transaction, record: StoredRecord): void;
}

/**
 * A kind of record that is the history of money and state: the vendors keep it for good, and so does
 * the sandbox by default. A long-lived sandbox may choose to forget it (--retention-history): then a
 * record that is settled (nothing will change it any more) and older than that is forgotten, as if the
 * vendor had archived it. Queries stop finding it; balances do not change (the ledger folds what it
 * forgets into one carried-forward movement, core/ledger.ts).
 */
export interface History {
  collection: string;
  /** The instant the record was made (records are written in that order). */
  ageOf(record: StoredRecord): number;
  /** Whether nothing will change the record any more (a pending one is kept whatever its age). */
  settled(record: StoredRecord, store: RecordReader): boolean;
  /** What forgetting does (default: delete). */
  expire?(tx: Transaction, record: StoredRecord): void;
}

/** The history kinds as the sweep sees them: nothing when history is kept for good. */
export function historyExpiry(kinds: readonly History[], ms: number): Expiring[] {
  if (ms === Infinity) return [];
  return kinds.map((k) => ({ collection: k.collection, ageOf: k.ageOf, keepMs: ms, removable: k.settled, expire: k.expire }));
}

/**
 * Used request ids. DOC: Finext says only that request_id is "unique"; its timestamp must be within
 * ±30 s of the server's time and is signed, so a replayed request is refused as stale once that window
 * has passed, whatever the sandbox remembers. INFERRED: a request_id is refused again for `ms` (default
 * 5 min, ten times the window), which catches a client that reuses ids, without keeping every id
 * forever. A merchant whose timestampWindowMs is wider (or null) needs --retention-nonces to match.
 */
export function nonceExpiry(ms: number): Expiring {
  return { collection: NONCES, ageOf: (r) => (r as StoredRecord & { at: number }).at, keepMs: ms };
}

/** Deletes expired records of every kind, up to `budget` of them, in one transaction (`tx`, or a new one). */
export function sweep(
  store: Store,
  kinds: readonly Expiring[],
  now: number,
  budget = SWEEP_BATCH,
  tx: Transaction = store.begin(),
): { tx: Transaction; removed: number; more: boolean } {
  let removed = 0;
  for (const kind of kinds) {
    if (kind.keepMs === Infinity && kind.maxPerTenant === undefined) continue;
    for (const [, records] of store.tenantsOf(kind.collection)) {
      let excess = kind.maxPerTenant === undefined ? 0 : records.size - kind.maxPerTenant;
      for (const record of records.values()) {
        const old = kind.ageOf(record) + kind.keepMs <= now;
        if (!old && excess <= 0) break;
        if (kind.removable && !kind.removable(record, store)) continue;
        if (removed >= budget) return { tx, removed, more: true };
        if (kind.expire) kind.expire(tx, record);
        else tx.delete(kind.collection, record.tenantId, record.id);
        removed++;
        excess--;
      }
    }
  }
  return { tx, removed, more: false };
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `24h`, `7d`, `5m`, `30s`, `1500ms` or plain milliseconds; `off` keeps forever (Infinity). Undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  if (text === 'off') return Infinity;
  const match = /^(\d{1,15})(ms|s|m|h|d)?$/.exec(text);
  if (!match) return undefined;
  const ms = Number(match[1]) * UNITS[match[2] ?? 'ms']!;
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** The largest whole unit of a duration: 86400000 → `1d`; Infinity → `off`. */
export function formatDuration(ms: number): string {
  if (ms === Infinity) return 'off';
  for (const unit of ['d', 'h', 'm', 's'] as const) if (ms > 0 && ms % UNITS[unit]! === 0) return `${ms / UNITS[unit]!}${unit}`;
  return `${ms}ms`;
}
