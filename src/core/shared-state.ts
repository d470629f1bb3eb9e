/**
 * What the replicas of one sandbox share beyond records (docs/design/shared-store.md §5.5, §5.6): the
 * clock, the fault rules, and the in-memory copies a replica keeps of small collections (tenants, jobs).
 * On the file store there is one process, so both calls do nothing. On PostgreSQL, `sync` brings this
 * replica's copies up to what the database holds (one round trip when nothing changed), and `publish`
 * writes what this replica changed, before the control plane answers, so that the next request to any
 * replica sees it.
 */
export interface SharedState {
  /**
   * Brings this replica's clock, fault rules, tenants and jobs up to date with every replica's changes.
   * Before a vendor request (`'request'`) a replica alone on its database has none to take, and may skip it.
   */
  sync(purpose?: 'request' | 'control'): Promise<void>;
  /** Makes this replica's changes to the clock and the fault rules visible to every replica. */
  publish(): Promise<void>;
  close(): Promise<void>;
}

/** One process: nothing to share. */
export const LOCAL_STATE: SharedState = {
  sync: () => Promise.resolve(),
  publish: () => Promise.resolve(),
  close: () => Promise.resolve(),
};
