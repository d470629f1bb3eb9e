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
import type { StorePort } from './store-port.js';
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

export type Claim = { kind: 'replay'; answer: { status: number; body: string } } | { kind: 'run'; fingerprint: string; release(): void };

export class Idempotency {
  readonly #inFlight = new Map<string, { fingerprint: string; done: Promise<void> }>();
  readonly #retention: IdempotencyRetention;

  constructor(
    private readonly store: StorePort,
    private readonly clock: Clock,
    retention: IdempotencyRetention = { answerMs: Infinity, keyMs: Infinity },
  ) {
    this.#retention = { answerMs: retention.answerMs, keyMs: Math.max(retention.keyMs, retention.answerMs) };
  }

  /**
   * Decides what to do with a keyed request: replay a stored answer, or run it (the caller must
   * `release()` when its answer is stored or it failed). Waits for an identical request in flight.
   */
  async claim(tenantId: string, key: string, field: string, operation: string, body: unknown): Promise<Claim> {
    const digest = canonicalDigest({ operation, body });
    const print = digest.subarray(0, 16).toString('base64url');
    for (;;) {
      // Read in a transaction of the tenant's, so a store shared by several processes serialises the look with their writes.
      let taken: (() => void) | undefined;
      const claim = await this.store
        .run(tenantId, (tx) => {
          const decided = this.#decide(tx, tenantId, key, field, digest, print);
          taken = decided.kind === 'run' ? decided.release : undefined;
          return decided;
        })
        .catch((error: unknown) => {
          // The run took the key in memory and then its transaction failed (a database lost at COMMIT):
          // nobody will release it, and every retry of the key would wait for it for ever.
          taken?.();
          throw error;
        });
      if (claim.kind !== 'wait') return claim;
      await claim.done;
    }
  }

  /** What `claim` does about the key now: replay, run (and hold the key), or wait for the identical request in flight. */
  #decide(tx: Transaction, tenantId: string, key: string, field: string, digest: Buffer, print: string): Claim | { kind: 'wait'; done: Promise<void> } {
    const now = this.clock.now();
    const stored = tx.get<StoredAnswer>(IDEMPOTENCY, tenantId, key);
    if (stored && !this.#answerExpired(stored, now)) {
      if (!sameRequest(stored.fingerprint, digest)) throw conflict(key, field);
      return { kind: 'replay', answer: { status: stored.status ?? 200, body: stored.body } };
    }
    const used = tx.get<UsedKey>(IDEMPOTENCY_KEYS, tenantId, key) ?? stored;
    if (used && !this.#keyExpired(used, now)) {
      if (!sameRequest(used.fingerprint, digest)) throw conflict(key, field);
      throw new SandboxError('idempotency_conflict', {
        field,
        diagnostic: `key ${key} was used at ${new Date(used.at).toISOString()}; its answer is no longer kept (answers ${formatDuration(this.#retention.answerMs)}, keys ${formatDuration(this.#retention.keyMs)}), and a key is used once`,
      });
    }
    const slot = `${tenantId}\u0000${key}`;
    const running = this.#inFlight.get(slot);
    if (running) {
      if (running.fingerprint !== print) throw conflict(key, field);
      return { kind: 'wait', done: running.done };
    }
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    this.#inFlight.set(slot, { fingerprint: print, done });
    return {
      kind: 'run',
      fingerprint: print,
      release: () => {
        this.#inFlight.delete(slot);
        release();
      },
    };
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
