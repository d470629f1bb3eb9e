/**
 * PostgreSQL for the benchmark rows that run the sandbox on it (bench/replicas.mjs, bench/scale.mjs):
 * the server named by SANDBOX_BENCH_PG, else SANDBOX_TEST_PG (`eval "$(.ci/postgres)"` starts a
 * throw-away one), and a fresh database per row, dropped afterwards. Without either variable the rows
 * are reported as skipped, with this reason, and the rest of the bench runs.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_SERVER = process.env.SANDBOX_BENCH_PG || process.env.SANDBOX_TEST_PG || undefined;
export const PG_SKIP_REASON = PG_SERVER
  ? undefined
  : 'no PostgreSQL: set SANDBOX_BENCH_PG (or SANDBOX_TEST_PG) to a server URL; eval "$(.ci/postgres)" starts a throw-away one';

/** The URL without its password, for reports. */
export function redact(url) {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/** Runs `fn(client)` on one connection to `url`, then closes it. */
export async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** An empty database beside the one PG_SERVER names: { name, url, drop() } (drop closes what is still connected to it). */
export async function freshDatabase(tag) {
  if (!PG_SERVER) throw new Error(PG_SKIP_REASON);
  const name = `bench_${tag.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await withClient(PG_SERVER, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(PG_SERVER);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => withClient(PG_SERVER, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

/** Bytes the database takes on disk (pg_database_size). */
export function databaseBytes(url) {
  return withClient(url, async (c) => Number((await c.query('SELECT pg_database_size(current_database()) AS n')).rows[0].n));
}
