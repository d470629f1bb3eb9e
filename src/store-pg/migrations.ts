/**
 * The PostgreSQL store's schema, versioned (docs/design/shared-store.md §5.2, §5.8): numbered migrations
 * applied in order at start, each in its own transaction, under a session advisory lock so that replicas
 * starting together migrate once. `schema_migrations` records what ran; a database migrated by a newer
 * sandbox is refused. The SQL lives in TypeScript constants, not .sql files, so that the build (tsc to
 * dist/) ships it with no copy step.
 */
import type pg from 'pg';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Migration 1: the whole schema of §5.2. Step 3 uses `records`; the other tables wait for the steps that fill them. */
const RECORDS = `
CREATE SEQUENCE record_pos;
CREATE TABLE records (
  collection text NOT NULL,
  tenant_id text NOT NULL,
  id text NOT NULL,
  pos bigint NOT NULL DEFAULT nextval('record_pos'),
  data json NOT NULL,
  PRIMARY KEY (collection, tenant_id, id)
);
CREATE INDEX records_order ON records (collection, tenant_id, pos);
CREATE TABLE record_keys (
  collection text NOT NULL, tenant_id text NOT NULL, field text NOT NULL, value text NOT NULL, id text NOT NULL,
  PRIMARY KEY (collection, tenant_id, field, value, id)
);
CREATE TABLE counters (name text PRIMARY KEY, value bigint NOT NULL);
CREATE TABLE tenant_generations (tenant_id text PRIMARY KEY, generation bigint NOT NULL);
CREATE TABLE jobs (
  seq bigint PRIMARY KEY, owner text NOT NULL, due_at bigint NOT NULL, type text NOT NULL,
  data json NOT NULL, lease_owner text, lease_until timestamptz
);
CREATE INDEX jobs_due ON jobs (due_at, seq);
CREATE INDEX jobs_owner_due ON jobs (owner, due_at, seq);
CREATE TABLE sandbox_state (key text PRIMARY KEY, value json NOT NULL, generation bigint NOT NULL);
CREATE TABLE journal (seq bigserial PRIMARY KEY, at bigint NOT NULL, replica text NOT NULL, entry json NOT NULL);
`;

/**
 * Migration 2: what the replicas share beyond records (shared.ts): the clock and the fault rules as
 * values, the tenants' and jobs' generations, and the leases of jobs with a network step (webhooks).
 * Counters and jobs stay records (the `sequences` lock guards the counters; the replicas' copies of the
 * jobs are reloaded by generation), so the tables migration 1 made for them, for per-tenant generations
 * and for field lookups go: nothing reads or writes them.
 */
const SHARED = `
DROP TABLE counters, jobs, tenant_generations, record_keys;
INSERT INTO sandbox_state (key, value, generation) VALUES
  ('clock', 'null', 0), ('faults', 'null', 0), ('tenants', 'null', 0), ('jobs', 'null', 0)
ON CONFLICT (key) DO NOTHING;
CREATE TABLE job_leases (job_id text PRIMARY KEY, replica text NOT NULL, until timestamptz NOT NULL);
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'records', sql: RECORDS },
  { version: 2, name: 'shared state', sql: SHARED },
];

/** The key of the session advisory lock held while migrating. */
const MIGRATIONS_LOCK = 'card-sandbox:migrations';

/** Brings the database's schema up to `migrations`' newest version; resolves with the versions it applied. */
export async function migrate(pool: pg.Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [MIGRATIONS_LOCK]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      const applied = new Set(rows.map((r) => r.version));
      const newest = Math.max(0, ...applied);
      const known = Math.max(0, ...migrations.map((m) => m.version));
      if (newest > known) {
        throw new Error(
          `the database's schema is at version ${newest}, newer than this sandbox knows (${known}): it was migrated by a newer card-sandbox; run that version, or point --db at another database`,
        );
      }
      const done: number[] = [];
      for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
        if (applied.has(m.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(`migration ${m.version} (${m.name}) failed: ${(error as Error).message}`, { cause: error });
        }
        done.push(m.version);
      }
      return done;
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [MIGRATIONS_LOCK]);
    }
  } finally {
    client.release();
  }
}
