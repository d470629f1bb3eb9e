/**
 * In-process sandboxes for tests: memory store (or a PostgreSQL database of their own), frozen clock,
 * strict contracts, silent log. A suite runs over both stores with `describeStores`: its tests' sandboxes
 * are on the store of the block they run in.
 */
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import { Contracts } from '../../src/core/contracts.js';
import { REGISTERED, registeredContracts } from './registry.js';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox.js';
import pg from 'pg';
import { createTestDatabase, describePostgres, POSTGRES_URL, type TestDatabase } from './postgres.js';

/** 2026-03-01T00:00:00Z: tests start here unless they say otherwise. */
export const T0 = Date.UTC(2026, 2, 1);

export type StoreKind = 'file' | 'postgres';
export const STORES: readonly StoreKind[] = ['file', 'postgres'];

/** What makeSandbox opens by default: the file store, or inside a `describeStores` block that block's store. */
let defaultStore: StoreKind = 'file';

const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((close) => close()));
});

/**
 * A sandbox for one test, closed after it. On `postgres` (the default inside a `describeStores`
 * PostgreSQL block) each sandbox gets an empty database of its own (created, or one an earlier test of the
 * file used, emptied), so that every test starts from the default scenario as on `:memory:`.
 */
export async function makeSandbox(options: SandboxOptions = {}, store: StoreKind = defaultStore): Promise<Sandbox> {
  if (store === 'file') {
    const sb = await createSandbox({ db: ':memory:', strictContracts: true, logLevel: 'silent', frozenAt: T0, ...options });
    open.push(() => sb.close());
    return sb;
  }
  if (!POSTGRES_URL) throw new Error('a PostgreSQL sandbox needs SANDBOX_TEST_PG (eval "$(.ci/postgres)" starts a throw-away server)');
  const db = spare.pop() ?? (await createTestDatabase(POSTGRES_URL));
  try {
    const sb = await createSandbox({ strictContracts: true, logLevel: 'silent', frozenAt: T0, ...options, db: db.url });
    open.push(() => sb.close().finally(() => recycle(db)));
    return sb;
  } catch (error) {
    await db.drop();
    throw error;
  }
}

/**
 * Databases of this test file whose sandbox has closed, emptied for the next: creating and migrating a
 * database per test costs more than the test. Dropped after the file.
 */
const spare: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(spare.splice(0).map((db) => db.drop()));
});

/** Empties every table but the migrations' (whatever tables the schema has now), or drops the database if that fails. */
async function recycle(db: TestDatabase): Promise<void> {
  const client = new pg.Client({ connectionString: db.url });
  try {
    await client.connect();
    const { rows } = await client.query<{ name: string }>(
      "SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'",
    );
    if (rows.length > 0) await client.query(`TRUNCATE ${rows.map((r) => r.name).join(', ')} RESTART IDENTITY`);
    spare.push(db);
  } catch {
    await client.end().catch(() => undefined);
    await db.drop();
    return;
  }
  await client.end();
}

/**
 * `describe.each` over the stores: `body` runs once in a block on the file store and once in a block on
 * PostgreSQL (describePostgres: skipped with its reason where no server is set), and makeSandbox opens
 * the block's store.
 */
export function describeStores(name: string, body: (store: StoreKind) => void): void {
  for (const store of STORES) {
    const block = () => {
      beforeAll(() => void (defaultStore = store));
      afterAll(() => void (defaultStore = 'file'));
      body(store);
    };
    if (store === 'file') describe(`${name} [file store]`, block);
    else describePostgres(`${name} [PostgreSQL store]`, block);
  }
}

/** Every registered vendor's contracts, the fake one's folder included; loaded on first use (registered.ts imports this file's users). */
let contracts: Contracts | undefined;

/** Fails the test with every problem when `body` does not match the contract `id`. */
export function expectContract(id: string, body: unknown): void {
  contracts ??= registeredContracts(REGISTERED);
  expect(contracts.has(id), `contract ${id} exists`).toBe(true);
  expect(contracts.problems(id, body), `${id}: ${JSON.stringify(body)}`).toEqual([]);
}

export function control(sb: Sandbox) {
  return {
    get: (path: string) => request(sb.app).get(`/__sandbox${path}`),
    post: (path: string, body: unknown = {}) =>
      request(sb.app)
        .post(`/__sandbox${path}`)
        .send(body as object),
    patch: (path: string, body: unknown) =>
      request(sb.app)
        .patch(`/__sandbox${path}`)
        .send(body as object),
    delete: (path: string) => request(sb.app).delete(`/__sandbox${path}`),
    advance: (ms: number) => request(sb.app).post('/__sandbox/clock').send({ advanceMs: ms }).expect(200),
  };
}

/** The whole state as GET /__sandbox/snapshot answers it, byte for byte. */
export async function snapshot(sb: Sandbox): Promise<string> {
  return (await request(sb.app).get('/__sandbox/snapshot').expect(200)).text;
}
