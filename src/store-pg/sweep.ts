/**
 * The retention sweep on the PostgreSQL store (src/core/retention.ts says what expires and why): the
 * same rules as the file store's sweep, read from the database a page at a time instead of from memory.
 * Per kind and per tenant, records are read oldest first (insertion order) and the scan stops at the
 * first one still within its time, as on the file store; what has expired is removed in a transaction
 * of its tenant, each record only if it is still there (another replica may have swept it), at most
 * `budget` records per call.
 */
import type { Expiring } from '../core/retention.js';
import type { StoredRecord } from '../core/store-entries.mjs';
import type { PgRuntimeStore } from './runtime-store.js';

/** Records read per query while scanning a tenant. */
const PAGE = 500;

const TENANT_COUNTS = 'SELECT tenant_id, count(*)::int AS n FROM records WHERE collection = $1 GROUP BY tenant_id ORDER BY min(pos)';
const OLDEST = 'SELECT pos, data FROM records WHERE collection = $1 AND tenant_id = $2 AND pos > $3 ORDER BY pos LIMIT $4';

export async function sweepPostgres(
  store: PgRuntimeStore,
  kinds: readonly Expiring[],
  now: number,
  budget: number,
): Promise<{ removed: number; more: boolean }> {
  let removed = 0;
  for (const kind of kinds) {
    if (kind.keepMs === Infinity && kind.maxPerTenant === undefined) continue;
    const { rows: tenants } = await store.pg.query<{ tenant_id: string; n: number }>(TENANT_COUNTS, [kind.collection]);
    for (const { tenant_id: tenantId, n } of tenants) {
      const expired = await expiredOf(store, kind, tenantId, n, now, budget - removed);
      if (expired.length > 0) {
        await store.run(tenantId, (tx) => {
          for (const record of expired) {
            const current = tx.get(kind.collection, tenantId, record.id);
            // Gone (another replica swept it), or no longer removable as it now stands.
            if (!current || (kind.removable && !kind.removable(current, tx))) continue;
            if (kind.expire) kind.expire(tx, current);
            else tx.delete(kind.collection, tenantId, record.id);
          }
        });
      }
      removed += expired.length;
      if (removed >= budget) return { removed, more: true };
    }
  }
  return { removed, more: false };
}

/** A tenant's records of `kind` that have expired, oldest first, at most `budget`. */
async function expiredOf(store: PgRuntimeStore, kind: Expiring, tenantId: string, count: number, now: number, budget: number): Promise<StoredRecord[]> {
  const out: StoredRecord[] = [];
  let excess = kind.maxPerTenant === undefined ? 0 : count - kind.maxPerTenant;
  for (let after = 0; ;) {
    const { rows } = await store.pg.query<{ pos: string; data: StoredRecord }>(OLDEST, [kind.collection, tenantId, after, PAGE]);
    const removable = kind.removable ? await removableOf(store, kind, tenantId, rows) : undefined;
    for (const [i, { data: record }] of rows.entries()) {
      const old = kind.ageOf(record) + kind.keepMs <= now;
      if (!old && excess <= 0) return out;
      if (removable && !removable[i]) continue;
      if (out.length >= budget) return out;
      out.push(record);
      excess--;
    }
    if (rows.length < PAGE) return out;
    after = Number(rows.at(-1)!.pos);
  }
}

/** Records whose removability a transaction checks at once: each record it must read first is one round trip and a re-run. */
const CHECK = 50;

/** Thrown by the reader of the first pass: the check wants another record. */
const NEEDS_READ = Symbol('needs a read');
const NO_READS = {
  get: (): never => {
    throw NEEDS_READ;
  },
};

/**
 * Whether each record may go. Most checks look at the record alone (a webhook delivery that finished);
 * one that reads another record (a vendor's transaction is settled once the card transaction behind it
 * holds no money) is asked again in a read-only transaction of its tenant, the only place PostgreSQL's records
 * are read from synchronously.
 */
async function removableOf(store: PgRuntimeStore, kind: Expiring, tenantId: string, rows: ReadonlyArray<{ data: StoredRecord }>): Promise<boolean[]> {
  const out: boolean[] = [];
  const reads: number[] = [];
  for (const [i, { data }] of rows.entries()) {
    try {
      out.push(kind.removable!(data, NO_READS));
    } catch (error) {
      if (error !== NEEDS_READ) throw error;
      out.push(false);
      reads.push(i);
    }
  }
  for (let n = 0; n < reads.length; n += CHECK) {
    const chunk = reads.slice(n, n + CHECK);
    const answers = await store.run(tenantId, (tx) => chunk.map((i) => kind.removable!(rows[i]!.data, tx)));
    chunk.forEach((i, k) => (out[i] = answers[k]!));
  }
  return out;
}
