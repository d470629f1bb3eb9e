/**
 * The footing the PostgreSQL store's suites stand on (test/helpers/postgres.ts): a server of a version
 * the store supports, and a database per suite that no other suite sees.
 */
import pg from 'pg';
import { expect, it } from 'vitest';
import { POSTGRES_URL, createTestDatabase, describePostgres } from '../helpers/postgres.js';

async function query<R extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

describePostgres('PostgreSQL test footing', (url) => {
  it('reaches a PostgreSQL server of version 15 or later', async () => {
    const [row] = await query<{ server_version_num: string }>(url(), 'SHOW server_version_num');
    expect(Number(row!.server_version_num)).toBeGreaterThanOrEqual(150000);
  });

  it('gives the suite an empty database of its own, apart from the server’s', async () => {
    const name = new URL(url()).pathname.slice(1);
    const [current] = await query<{ db: string }>(url(), 'SELECT current_database() AS db');
    expect(current!.db).toBe(name);
    expect(name).not.toBe(new URL(POSTGRES_URL!).pathname.slice(1));
    expect(await query(url(), `SELECT 1 FROM pg_tables WHERE schemaname = 'public'`)).toEqual([]);
    await query(url(), 'CREATE TABLE footing_probe (id int)');
    expect(await query(POSTGRES_URL!, `SELECT 1 FROM pg_tables WHERE tablename = 'footing_probe'`)).toEqual([]);
  });

  it('drops a test database, with its connections, when asked', async () => {
    const db = await createTestDatabase(POSTGRES_URL!);
    const held = new pg.Client({ connectionString: db.url });
    await held.connect();
    held.on('error', () => undefined);
    expect(await query(POSTGRES_URL!, 'SELECT 1 FROM pg_database WHERE datname = $1', [db.name])).toHaveLength(1);
    await db.drop();
    expect(await query(POSTGRES_URL!, 'SELECT 1 FROM pg_database WHERE datname = $1', [db.name])).toEqual([]);
    await held.end().catch(() => undefined);
  });
});
