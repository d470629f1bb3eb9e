/**
 * A real PostgreSQL for the store suites: the server at SANDBOX_TEST_PG (`eval "$(.ci/postgres)"` starts
 * a throw-away one; .ci/run does). Without it the PostgreSQL suites are skipped with their reason
 * printed, unless SANDBOX_REQUIRE_POSTGRES=1 (set by .ci/run), where they fail instead.
 *
 * Each suite gets a database of its own, created from the server's URL and dropped after the suite, so
 * that test files running in parallel never see each other's records.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';

export const POSTGRES_URL = process.env.SANDBOX_TEST_PG;
export const POSTGRES_REQUIRED = process.env.SANDBOX_REQUIRE_POSTGRES === '1';
const required = POSTGRES_REQUIRED;

/**
 * A describe block with a fresh database for its tests, or skipped (with the reason) where no server is
 * configured. `url()` gives the database's URL inside the block's tests and hooks.
 */
export function describePostgres(name: string, body: (url: () => string) => void): void {
  if (!POSTGRES_URL && !required) {
    console.warn(`${name}: skipped, SANDBOX_TEST_PG is not set (eval "$(.ci/postgres)" starts a throw-away PostgreSQL; .ci/run does)`);
    describe.skip(name, () => body(() => undefined as never));
    return;
  }
  describe(name, () => {
    let db: TestDatabase | undefined;
    beforeAll(async () => {
      if (!POSTGRES_URL) throw new Error('SANDBOX_REQUIRE_POSTGRES=1 but SANDBOX_TEST_PG is not set: eval "$(.ci/postgres)" first');
      db = await createTestDatabase(POSTGRES_URL);
    }, 60_000);
    afterAll(async () => {
      await db?.drop();
    });
    body(() => {
      if (!db) throw new Error(`no test database (SANDBOX_TEST_PG=${POSTGRES_URL})`);
      return db.url;
    });
  });
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** Creates an empty database beside the one `serverUrl` names; `drop()` removes it, closing any connection left to it. */
export async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `sandbox_test_${randomBytes(6).toString('hex')}`;
  await admin(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
