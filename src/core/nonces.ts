/**
 * Nonces: request ids a tenant may use once only (Finext's `request_id`). A used id is recorded the
 * moment the request is authenticated, in its own transaction, so that a repeat is refused whether or
 * not the first request succeeded, and two copies racing each other cannot both pass (the commit applies
 * at once; the request goes on once it is durable).
 *
 * While the store refuses changes (a full disk, an I/O error), reads keep answering, as the README
 * promises: a nonce the store cannot record is kept in this process's memory instead, beside the store
 * and never in it, so that it is still refused for the rest of the process's life while the store shows
 * nothing its log refused. A restart forgets it with the rest of what was never written; the request it
 * guarded changed nothing (a write is refused by its own commit).
 */
import { SandboxError } from './errors.js';
import type { StorePort } from './store-port.js';

export const NONCES = '_nonces';

/** Per store: `tenant \0 nonce` → when it was used, for the nonces its log refused. */
const unrecorded = new WeakMap<StorePort, Map<string, number>>();

/**
 * The most nonces kept in memory per store while its log refuses them, the oldest forgotten first, so
 * that a failing store cannot make memory grow with every read. INFERRED: by the time a client has sent
 * this many more, the forgotten one's signed timestamp is long out of Finext's ±30 s window, so a
 * replay of it is refused as stale anyway.
 */
export const UNRECORDED_NONCES_MAX = 100_000;

export async function claimNonce(store: StorePort, tenantId: string, nonce: string, field: string, now: number): Promise<void> {
  const slot = `${tenantId}\u0000${nonce}`;
  let wrote = false;
  let recorded = false;
  // The check and the record are one transaction, so two copies racing each other cannot both pass.
  const usedAt = await store
    .run(tenantId, (tx) => {
      const at = tx.get<{ id: string; tenantId: string; at: number }>(NONCES, tenantId, nonce)?.at ?? unrecorded.get(store)?.get(slot);
      wrote = at === undefined && !store.failure;
      if (wrote) tx.put(NONCES, { id: nonce, tenantId, at: now });
      return at;
    })
    .then(
      (at) => {
        recorded = wrote;
        return at;
      },
      (error: unknown) => {
        if (!store.failure) throw error;
        return undefined;
      },
    );
  if (usedAt !== undefined) {
    throw new SandboxError('duplicate_request', {
      field,
      diagnostic: `${field} ${nonce} was already used by this merchant at ${new Date(usedAt).toISOString()}; every request needs a new one`,
    });
  }
  if (recorded) return;
  let kept = unrecorded.get(store);
  if (!kept) unrecorded.set(store, (kept = new Map()));
  kept.set(slot, now);
  if (kept.size > UNRECORDED_NONCES_MAX) kept.delete(kept.keys().next().value!);
}
