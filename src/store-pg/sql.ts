/**
 * The PostgreSQL store's statements. Advisory lock keys are 64-bit hashes of a name: a collision between
 * two tenants only serialises them, and the order global → tenant → sequences is fixed, so no deadlock.
 */
export const GLOBAL_LOCK = 'card-sandbox:global';
/** Taken by a transaction at its first read of a record of the global tenant (the counters, the jobs). */
export const SEQUENCES_LOCK = 'card-sandbox:sequences';

export const tenantLock = (tenantId: string): string => `card-sandbox:tenant:${tenantId}`;

export const LOCK = 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))';

/** BEGIN and the locks of a scope: the global lock exclusively (GLOBAL), or shared and then the tenant's (`tenantLiteral`, escaped). */
export function begin(tenantLiteral: string | undefined): string {
  const global = `'${GLOBAL_LOCK}'`;
  return tenantLiteral === undefined
    ? `BEGIN; SELECT pg_advisory_xact_lock(hashtextextended(${global}, 0))`
    : `BEGIN; SELECT pg_advisory_xact_lock_shared(hashtextextended(${global}, 0)); SELECT pg_advisory_xact_lock(hashtextextended(${tenantLiteral}, 0))`;
}

export const GET = 'SELECT data FROM records WHERE collection = $1 AND tenant_id = $2 AND id = $3';
export const GET_MANY = `SELECT r.collection, r.tenant_id, r.id, r.data FROM records r
  JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(c, t, i) ON r.collection = k.c AND r.tenant_id = k.t AND r.id = k.i`;
export const LIST = 'SELECT data FROM records WHERE collection = $1 AND tenant_id = $2 ORDER BY pos';
/** Every tenant's records, tenant by tenant (in the order each tenant's first record was written), then in insertion order. */
export const LIST_ALL = 'SELECT data FROM records WHERE collection = $1 ORDER BY min(pos) OVER (PARTITION BY tenant_id), pos';

export const DELETE_ALL = 'DELETE FROM records';
export const DELETE = `DELETE FROM records r USING unnest($1::text[], $2::text[], $3::text[]) AS d(c, t, i)
  WHERE r.collection = d.c AND r.tenant_id = d.t AND r.id = d.i`;
/** Puts in the transaction's order, so that new records get their positions in it; an update keeps its record's place. */
export const UPSERT = `INSERT INTO records (collection, tenant_id, id, data)
  SELECT c, t, i, d::json FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS u(c, t, i, d, n) ORDER BY n
  ON CONFLICT (collection, tenant_id, id) DO UPDATE SET data = excluded.data`;

/** Bumps the generations of the shared collections a commit changed (in the commit's transaction). */
export const BUMP_GENERATIONS = 'UPDATE sandbox_state SET generation = generation + 1 WHERE key = ANY($1::text[]) RETURNING key, generation';
export const STATE = 'SELECT key, value, generation FROM sandbox_state';
export const STATE_GENERATION = 'SELECT generation FROM sandbox_state WHERE key = $1';
/** Writes a shared value (the clock, the fault rules) and answers its new generation. */
export const PUBLISH = 'UPDATE sandbox_state SET value = $2::json, generation = generation + 1 WHERE key = $1 RETURNING generation';
/** A job's lease for this replica: taken when nobody holds it or the holder's has run out. */
export const LEASE = `INSERT INTO job_leases (job_id, replica, until) VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond')
  ON CONFLICT (job_id) DO UPDATE SET replica = excluded.replica, until = excluded.until
  WHERE job_leases.until < clock_timestamp() OR job_leases.replica = excluded.replica RETURNING job_id`;
export const RELEASE = 'DELETE FROM job_leases WHERE job_id = $1 AND replica = $2';
/** Whether someone holds the job's lease now. */
export const LEASE_HELD = 'SELECT until > clock_timestamp() AS held FROM job_leases WHERE job_id = $1';

/** The simple-protocol forms (values given as escaped literals), for statements sent several to a trip. */
export const lockLiteral = (keyLiteral: string): string => `SELECT pg_advisory_xact_lock(hashtextextended(${keyLiteral}, 0))`;

/** Records by key; each key is three escaped literals (collection, tenant, id). */
export function getManyLiteral(keys: ReadonlyArray<readonly [string, string, string]>): string {
  return `SELECT collection, tenant_id, id, data FROM records WHERE (collection, tenant_id, id) IN (${keys.map((k) => `(${k.join(', ')})`).join(', ')})`;
}

/**
 * A batch's writes and COMMIT as one trip: a clear-all, the deletes, the puts in order (new records
 * get their positions in it; an update keeps its record's place), the generations of the shared
 * collections it touched (RETURNING, the second result from the end), COMMIT.
 */
export function writeLiterals(
  writes: {
    clearsAll: boolean;
    deletes: ReadonlyArray<{ c: string; t: string; id: string }>;
    puts: ReadonlyArray<{ c: string; v: { tenantId: string; id: string } }>;
  },
  generations: readonly string[],
  lit: (value: string) => string,
): string {
  const statements: string[] = [];
  if (writes.clearsAll) statements.push(DELETE_ALL);
  if (writes.deletes.length > 0) {
    statements.push(
      `DELETE FROM records WHERE (collection, tenant_id, id) IN (${writes.deletes.map((d) => `(${lit(d.c)}, ${lit(d.t)}, ${lit(d.id)})`).join(', ')})`,
    );
  }
  if (writes.puts.length > 0) {
    statements.push(
      `INSERT INTO records (collection, tenant_id, id, data) VALUES ${writes.puts
        .map((p) => `(${lit(p.c)}, ${lit(p.v.tenantId)}, ${lit(p.v.id)}, ${lit(JSON.stringify(p.v))}::json)`)
        .join(', ')} ON CONFLICT (collection, tenant_id, id) DO UPDATE SET data = excluded.data`,
    );
  }
  if (generations.length > 0) {
    statements.push(`UPDATE sandbox_state SET generation = generation + 1 WHERE key IN (${generations.map(lit).join(', ')}) RETURNING key, generation`);
  }
  statements.push('COMMIT');
  return statements.join('; ');
}
