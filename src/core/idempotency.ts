/**
 * Idempotency keys: the first answer to a key is stored with the change it caused (same transaction),
 * a repeat with the same body replays it byte for byte, a repeat with another body is a conflict, and a
 * repeat that arrives while the first is still running waits for it and then replays.
 * Only successful answers are kept, so a request refused for a fixable reason (balance, state) can be
 * retried with the same key. INFERRED: the vendors do not say what they keep; this is Stripe's rule
 * minus its caching of errors.
 *
 * Answers are kept for `answerMs` of sandbox time (Stripe keeps them 24 h). The key itself is kept
 * longer, as a tombstone of its fingerprint (`keyMs`): Onerway documents clientRequestId as unique per
 * operation and Finext its top-up transaction_id as unique, so a key reused after its answer is gone is
 * refused as a duplicate rather than run again. INFERRED: neither says for how long; past `keyMs` a key
 * is new again, which keeps the store bounded.
 */
import { SandboxError } from './errors.js';
import { canonicalDigest } from './fingerprint.js';
import type { Clock } from './clock.js';
import { formatDuration, type Expiring } from './retention.js';
import type { Key } from './store-port.js';
import type { StoredRecord, Transaction } from './store.js';

export const IDEMPOTENCY = '_idempotency';
/** Keys whose answer has expired: id → fingerprint, until the key expires too. */
export const IDEMPOTENCY_KEYS = '_idempotency_keys';

export interface StoredAnswer {
  id: string;
  tenantId: string;
  /** 128 bits of the request's digest, base64url; a pack written before this form holds the whole digest in hex. */
  fingerprint: string;
  /** Absent for 200, the only status kept today; packs written before this form carry it. */
  status?: number;
  body: string;
  at: number;
}

export interface UsedKey {
  id: string;
  tenantId: string;
  fingerprint: string;
  at: number;
}

export interface IdempotencyRetention {
  /** How long a key's answer is replayed. */
  answerMs: number;
  /** How long a key stays used (≥ answerMs); after the answer is gone, a reuse is refused as a duplicate. */
  keyMs: number;
}

/** A keyed request this process is running: its answer is stored by `remember`, and `release()` lets a duplicate waiting for it go on. */
export interface Claim {
  key: string;
  field: string;
  fingerprint: string;
  digest: Buffer;
  release(): void;
}

export class Idempotency {
  readonly #inFlight = new Map<string, { fingerprint: string; done: Promise<void> }>();
  readonly #retention: IdempotencyRetention;

  constructor(
    private readonly clock: Clock,
    retention: IdempotencyRetention = { answerMs: Infinity, keyMs: Infinity },
  ) {
    this.#retention = { answerMs: retention.answerMs, keyMs: Math.max(retention.keyMs, retention.answerMs) };
  }

  /**
   * Holds the key in this process while the request runs (the caller must `release()` when its answer
   * is stored or it failed): an identical request arriving meanwhile waits for it, another body is a
   * conflict. Whether the key was answered before is for `replay`, in the request's own transaction.
   */
  async claim(tenantId: string, key: string, field: string, operation: string, body: unknown): Promise<Claim> {
    const digest = canonicalDigest({ operation, body });
    const print = digest.subarray(0, 16).toString('base64url');
    const slot = `${tenantId}\u0000${key}`;
    for (let running = this.#inFlight.get(slot); running; running = this.#inFlight.get(slot)) {
      if (running.fingerprint !== print) throw conflict(key, field);
      await running.done;
    }
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    this.#inFlight.set(slot, { fingerprint: print, done });
    return {
      key,
      field,
      fingerprint: print,
      digest,
      release: () => {
        this.#inFlight.delete(slot);
        release();
      },
    };
  }

  /**
   * In the request's transaction, before its handler runs: the stored answer to replay byte for byte,
   * a refusal (the key used with another body, or used before and its answer no longer kept), or
   * undefined to run the request. Read under the tenant's lock, so a duplicate sent to another replica
   * of a shared store waits for the first's commit and replays it.
   */
  replay(tx: Transaction, tenantId: string, claim: Claim): { status: number; body: string } | undefined {
    const { key, field, digest } = claim;
    const now = this.clock.now();
    const stored = tx.get<StoredAnswer>(IDEMPOTENCY, tenantId, key);
    if (stored && !this.#answerExpired(stored, now)) {
      if (!sameRequest(stored.fingerprint, digest)) throw conflict(key, field);
      return { status: stored.status ?? 200, body: stored.body };
    }
    const used = tx.get<UsedKey>(IDEMPOTENCY_KEYS, tenantId, key) ?? stored;
    if (used && !this.#keyExpired(used, now)) {
      if (!sameRequest(used.fingerprint, digest)) throw conflict(key, field);
      throw new SandboxError('idempotency_conflict', {
        field,
        diagnostic: `key ${key} was used at ${new Date(used.at).toISOString()}; its answer is no longer kept (answers ${formatDuration(this.#retention.answerMs)}, keys ${formatDuration(this.#retention.keyMs)}), and a key is used once`,
      });
    }
    return undefined;
  }

  /** The records `replay` reads for a key (a store that loads on demand reads them up front). */
  keysOf(tenantId: string, claim: Claim): Key[] {
    return [
      { collection: IDEMPOTENCY, tenantId, id: claim.key },
      { collection: IDEMPOTENCY_KEYS, tenantId, id: claim.key },
    ];
  }

  /** Stores the answer within the transaction that carries the request's effects. */
  remember(tx: Transaction, tenantId: string, key: string, print: string, status: number, body: string, at: number): void {
    // An expired tombstone the sweep has not reached yet goes with the new answer.
    if (tx.get(IDEMPOTENCY_KEYS, tenantId, key)) tx.delete(IDEMPOTENCY_KEYS, tenantId, key);
    tx.put<StoredAnswer>(
      IDEMPOTENCY,
      status === 200 ? { id: key, tenantId, fingerprint: print, body, at } : { id: key, tenantId, fingerprint: print, status, body, at },
    );
  }

  /** What the retention sweep forgets: answers past answerMs (kept as tombstones while keyMs runs), then keys past keyMs. */
  expiring(): Expiring[] {
    const { answerMs, keyMs } = this.#retention;
    return [
      {
        collection: IDEMPOTENCY,
        ageOf: (r) => (r as StoredAnswer).at,
        keepMs: answerMs,
        expire: (tx, r) => {
          const { id, tenantId, fingerprint, at } = r as StoredAnswer;
          tx.delete(IDEMPOTENCY, tenantId, id);
          if (keyMs > answerMs) tx.put<UsedKey>(IDEMPOTENCY_KEYS, { id, tenantId, fingerprint, at });
        },
      },
      { collection: IDEMPOTENCY_KEYS, ageOf: (r) => (r as UsedKey).at, keepMs: keyMs },
    ];
  }

  #answerExpired(stored: StoredAnswer, now: number): boolean {
    return stored.at + this.#retention.answerMs <= now;
  }

  #keyExpired(used: StoredRecord & { at: number }, now: number): boolean {
    return used.at + this.#retention.keyMs <= now;
  }
}

/** Compares a stored fingerprint with the request's digest, in either stored form. */
function sameRequest(stored: string, digest: Buffer): boolean {
  return stored.length === 64 ? stored === digest.toString('hex') : stored === digest.subarray(0, 16).toString('base64url');
}

function conflict(key: string, field: string): SandboxError {
  return new SandboxError('idempotency_conflict', { field, diagnostic: `key ${key} was already used with a different request body` });
}
