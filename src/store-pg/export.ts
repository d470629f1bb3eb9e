/**
 * Reads of the whole store for snapshot export and the control plane (docs/design/shared-store.md §5.6,
 * §8 step 7), in the file store's orders: collections by their first record, a collection's tenants by
 * their first record, a tenant's records by position (insertion order). The export reads in one
 * REPEATABLE READ transaction, so it is of one instant like the file store's pinned copy, and pages by
 * key on `records_order` (collection, tenant, position), so the replica holds one page at a time.
 */
import type pg from 'pg';
import type { StoredRecord } from '../core/store-entries.mjs';
import type { RecordPage } from '../core/store-port.js';

type Query = Pick<pg.ClientBase, 'query'>;

const COLLECTIONS = 'SELECT collection FROM records GROUP BY collection ORDER BY min(pos)';
const OWNERS = 'SELECT tenant_id FROM records WHERE collection = $1 GROUP BY tenant_id ORDER BY min(pos)';
const PAGE = 'SELECT pos, data FROM records WHERE collection = $1 AND tenant_id = $2 AND pos > $3 ORDER BY pos LIMIT $4';

export async function collections(db: Query): Promise<string[]> {
  const { rows } = await db.query<{ collection: string }>(COLLECTIONS);
  return rows.map((r) => r.collection);
}

export async function owners(db: Query, collection: string): Promise<string[]> {
  const { rows } = await db.query<{ tenant_id: string }>(OWNERS, [collection]);
  return rows.map((r) => r.tenant_id);
}

/** A tenant's records of `collection` in insertion order, `pageSize` at a time. */
async function* tenantPages(db: Query, collection: string, tenantId: string, pageSize: number): AsyncGenerator<StoredRecord[]> {
  let after = '0';
  for (;;) {
    // pos is a bigint: it comes back as text and goes back as text, never through a JS number.
    const { rows } = await db.query<{ pos: string; data: StoredRecord }>(PAGE, [collection, tenantId, after, pageSize]);
    if (rows.length > 0) yield rows.map((r) => r.data);
    if (rows.length < pageSize) return;
    after = rows.at(-1)!.pos;
  }
}

/**
 * Every record, as StorePort#snapshot promises, on a connection of its own held until the last page is
 * read or the reader stops (`return()` on the iterator, as `for … of` does when left early). Pages of one
 * collection's tenants are joined up to `pageSize` records, so a store of many small tenants does not
 * give many small pages.
 */
export async function* snapshotPages(pool: pg.Pool, pageSize: number): AsyncGenerator<RecordPage> {
  const client = await pool.connect();
  let failed: unknown;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    for (const collection of await collections(client)) {
      let records: StoredRecord[] = [];
      for (const tenantId of await owners(client, collection)) {
        for await (const page of tenantPages(client, collection, tenantId, pageSize)) {
          for (const record of page) {
            records.push(record);
            if (records.length < pageSize) continue;
            yield { collection, records };
            records = [];
          }
        }
      }
      if (records.length > 0) yield { collection, records };
    }
    await client.query('COMMIT');
  } catch (error) {
    failed = error;
    throw error;
  } finally {
    // A connection that failed mid-read is dropped; one left mid-transaction by a reader that stopped is rolled back first.
    if (failed !== undefined) client.release(failed as Error);
    else {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }
}
