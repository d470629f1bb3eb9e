/**
 * Nonces: request ids a tenant may use once only (Finext's `request_id`). A used id is recorded the
 * moment the request is authenticated, in its own transaction, so that a repeat is refused whether or
 * not the first request succeeded, and two copies racing each other cannot both pass.
 */
import { SandboxError } from './errors.js';
import type { Store } from './store.js';

export const NONCES = '_nonces';

export function claimNonce(store: Store, tenantId: string, nonce: string, field: string, now: number): void {
  const used = store.get(NONCES, tenantId, nonce) as { at: number } | undefined;
  if (used) {
    throw new SandboxError('duplicate_request', { field, diagnostic: `${field} ${nonce} was already used by this merchant at ${new Date(used.at).toISOString()}; every request needs a new one` });
  }
  const tx = store.begin();
  tx.put(NONCES, { id: nonce, tenantId, at: now });
  // Applied at once; its durability follows from the log order of whatever this request commits next.
  void store.commit(tx);
}
