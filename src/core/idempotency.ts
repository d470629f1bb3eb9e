/**
 * Idempotency keys: the first answer to a key is stored with the change it caused (same transaction),
 * a repeat with the same body replays it byte for byte, a repeat with another body is a conflict, and a
 * repeat that arrives while the first is still running waits for it and then replays.
 * Only successful answers are kept, so a request refused for a fixable reason (balance, state) can be
 * retried with the same key. INFERRED: the vendors do not say what they keep; this is Stripe's rule
 * minus its caching of errors.
 */
import { SandboxError } from './errors.js';
import { fingerprint } from './ids.js';
import type { Store, Transaction } from './store.js';

export const IDEMPOTENCY = '_idempotency';

export interface StoredAnswer {
  id: string;
  tenantId: string;
  fingerprint: string;
  status: number;
  body: string;
  at: number;
}

export type Claim =
  | { kind: 'replay'; answer: StoredAnswer }
  | { kind: 'run'; fingerprint: string; release(): void };

export class Idempotency {
  readonly #inFlight = new Map<string, { fingerprint: string; done: Promise<void> }>();

  constructor(private readonly store: Store) {}

  /**
   * Decides what to do with a keyed request: replay a stored answer, or run it (the caller must
   * `release()` when its answer is stored or it failed). Waits for an identical request in flight.
   */
  async claim(tenantId: string, key: string, field: string, operation: string, body: unknown): Promise<Claim> {
    const print = fingerprint({ operation, body });
    for (;;) {
      const stored = this.store.get(IDEMPOTENCY, tenantId, key) as StoredAnswer | undefined;
      if (stored) {
        if (stored.fingerprint !== print) throw conflict(key, field);
        return { kind: 'replay', answer: stored };
      }
      const slot = `${tenantId}\u0000${key}`;
      const running = this.#inFlight.get(slot);
      if (running) {
        if (running.fingerprint !== print) throw conflict(key, field);
        await running.done;
        continue;
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
  }

  /** Stores the answer within the transaction that carries the request's effects. */
  remember(tx: Transaction, tenantId: string, key: string, print: string, status: number, body: string, at: number): void {
    tx.put<StoredAnswer>(IDEMPOTENCY, { id: key, tenantId, fingerprint: print, status, body, at });
  }
}

function conflict(key: string, field: string): SandboxError {
  return new SandboxError('idempotency_conflict', { field, diagnostic: `key ${key} was already used with a different request body` });
}
